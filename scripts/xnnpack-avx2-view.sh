#!/usr/bin/env bash
# Makes a copy of the anchors' ai-edge-litert in which XNNPACK sees an AVX2+FMA CPU without
# AVX-512, so that an AVX-512 machine can time XNNPACK's AVX2 kernels, the ones a Zen 3 runs,
# next to edgetop's (`EDGETOP_BENCH_ISA=avx2`). Prints the directory to put on PYTHONPATH.
#
# How: CPU feature detection asks the OS, with `xgetbv`, which register states it saves;
# AVX-512 counts only when the opmask and ZMM states (XCR0 bits 5-7) are on. Each `xgetbv`
# in the library's code becomes `push 7; pop rax` (same three bytes): x87, SSE and AVX state
# only. CPUID still reports AVX2 and FMA, so the AVX2 kernels are chosen, and nothing else
# changes. With `perf` at hand the script checks the choice: it samples a run of the int8
# model and fails unless XNNPACK's hottest kernels are its `__avx2` ones and none is AVX-512.
#
# This emulates the instruction set only: the kernels run on this CPU's cores and caches,
# not a Zen 3's. Figures taken with it say so (docs/benchmarks.md).
#
# Usage: scripts/xnnpack-avx2-view.sh [MODEL.tflite]     (from the package root)
#   ANCHORS_PYTHON (default /tmp/anchors-venv/bin/python), VIEW_DIR (default /tmp/xnnpack-avx2-view)
set -euo pipefail
P=${ANCHORS_PYTHON:-/tmp/anchors-venv/bin/python}
view=${VIEW_DIR:-/tmp/xnnpack-avx2-view}
[ -x "$P" ] || { echo "xnnpack-avx2-view: $P not found; set up the anchors' venv (../shared/anchors/README.md)" >&2; exit 2; }
command -v objdump >/dev/null || { echo "xnnpack-avx2-view: objdump (binutils) is needed" >&2; exit 2; }
src=$("$P" -c 'import ai_edge_litert, os; print(os.path.dirname(ai_edge_litert.__file__))')
rm -rf "$view"; mkdir -p "$view"; cp -r "$src" "$view/"
python3 - "$view/ai_edge_litert" <<'PY'
import glob, os, re, subprocess, sys
patched = 0
for lib in sorted(glob.glob(os.path.join(sys.argv[1], "*.so"))):
    # File offset of each executable section, to turn an instruction's address into a position.
    sections = {}
    for line in subprocess.run(["objdump", "-h", lib], capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if len(f) >= 6 and f[0].isdigit():
            sections[f[1]] = (int(f[3], 16), int(f[5], 16), int(f[2], 16))   # vma, file offset, size
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", lib], capture_output=True, text=True).stdout
    sites = [int(m.group(1), 16) for m in re.finditer(r"^\s*([0-9a-f]+):\s+xgetbv\s*$", dis, re.M)]
    if not sites:
        continue
    data = bytearray(open(lib, "rb").read())
    for addr in sites:
        vma, off, size = next(v for v in sections.values() if v[0] <= addr < v[0] + v[2])
        pos = addr - vma + off
        if data[pos:pos + 3] != b"\x0f\x01\xd0":
            sys.exit(f"xnnpack-avx2-view: {lib}: no xgetbv at file offset {pos:#x}")
        data[pos:pos + 3] = b"\x6a\x07\x58"          # push 7; pop rax
        patched += 1
    open(lib, "wb").write(data)
    print(f"xnnpack-avx2-view: {os.path.basename(lib)}: {len(sites)} xgetbv patched", file=sys.stderr)
if patched == 0:
    sys.exit("xnnpack-avx2-view: no xgetbv found; this ai-edge-litert detects features another way")
PY
model=${1:-}
if [ -n "$model" ] && command -v perf >/dev/null; then
  A=${ANCHORS:-$( [ -d ../shared/anchors ] && echo ../shared/anchors || echo ../../shared/anchors )}
  data=$(mktemp)
  PYTHONPATH="$view" perf record -q -o "$data" -- "$P" "$A/litert_time.py" "$model" --threads 1 --warmup 5 --runs 20 >/dev/null 2>&1
  hot=$(perf report -i "$data" --sort sym --stdio 2>/dev/null | grep -o 'xnn_[a-z0-9_]*' | head -5)
  rm -f "$data"
  echo "$hot" | sed 's/^/xnnpack-avx2-view: hot kernel /' >&2
  if echo "$hot" | grep -q avx512 || ! echo "$hot" | head -1 | grep -q -e '__avx2' -e 'fma3'; then
    echo "xnnpack-avx2-view: XNNPACK did not switch to its AVX2 kernels" >&2; exit 1
  fi
fi
echo "$view"
