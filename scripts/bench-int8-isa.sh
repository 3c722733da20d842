#!/usr/bin/env bash
# Times edgetop's int8 MobileNet v1 and v2 (1.0@224, one thread) with each int8 kernel family
# this CPU can run, forced through EDGETOP_BENCH_ISA, in interleaved rounds: the AVX-512 VNNI
# kernels, the AVX2 ones (what a Zen 3 runs) and the AVX-VNNI source through its EVEX twin (what
# an AVX-VNNI CPU without AVX-512 runs, in the EVEX encoding). Prints, per model and family, the
# median over rounds of the per-run median and of the fastest run, and each family's time
# relative to the host's in the same round.
# Usage: scripts/bench-int8-isa.sh [ROUNDS] [RUNS] [FAMILIES...]   (from the package root;
#   builds .build/release/edgetop if missing; default 5 rounds of 100 runs, host avx2 avxvnni-evex)
set -euo pipefail
rounds=${1:-5}; runs=${2:-100}
shift $(( $# < 2 ? $# : 2 ))
families=("$@"); [ ${#families[@]} -gt 0 ] || families=(host avx2 avxvnni-evex)
E=.build/release/edgetop
[ -x "$E" ] || swift build -c release --product edgetop
out=${OUT_DIR:-/tmp/edgetop-bench}; mkdir -p "$out"
log="$out/isa-rounds.jsonl"; : > "$log"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq "$rounds"); do
  for m in mobilenet-v1 mobilenet-v2; do
    for f in "${families[@]}"; do
      e=$(EDGETOP_BENCH_ISA=$f "$E" bench --model "$m" --width 1.0 --resolution 224 --backend int8 --threads 1 \
            --warmup 20 --runs "$runs" --json)
      echo "{\"round\":$r,\"model\":\"$m\",\"isa\":\"$f\",\"edgetop\":$e}" >> "$log"
    done
  done
  echo "round $r done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
python3 - "$log" "${families[0]}" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
base = sys.argv[2]
med = statistics.median
print(f"{'model':13} {'family':13} {'p50':>9} {'min':>9} {'p50/' + base:>16} {'min/' + base:>16}  quality")
for m in sorted({r["model"] for r in rows}):
    for f in dict.fromkeys(r["isa"] for r in rows):
        rs = [r for r in rows if r["model"] == m and r["isa"] == f]
        bs = {r["round"]: r for r in rows if r["model"] == m and r["isa"] == base}
        p50 = [r["edgetop"]["p50_ms"] for r in rs]; mn = [r["edgetop"]["min_ms"] for r in rs]
        rp = [r["edgetop"]["p50_ms"] / bs[r["round"]]["edgetop"]["p50_ms"] for r in rs]
        rm = [r["edgetop"]["min_ms"] / bs[r["round"]]["edgetop"]["min_ms"] for r in rs]
        q = rs[0]["edgetop"]["quality"]
        print(f"{m:13} {f:13} {med(p50):7.2f}ms {med(mn):7.2f}ms {med(rp):6.2f} ({min(rp):.2f}-{max(rp):.2f}) "
              f"{med(rm):6.2f} ({min(rm):.2f}-{max(rm):.2f})  cos {q['cosine']:.6f} top1 {'agree' if q['top1_agree'] else 'DIFFER'}")
print(f"{len(rows) // max(1, len({(r['model'], r['isa']) for r in rows}))} rounds; kernels per family:")
for f in dict.fromkeys(r["isa"] for r in rows):
    k = next(r for r in rows if r["isa"] == f)["edgetop"]["kernels"]
    print(f"  {f}: " + ", ".join(x for x in k if x.startswith("qu8")))
PY
