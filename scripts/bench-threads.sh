#!/usr/bin/env bash
# Two threads against one, edgetop next to XNNPACK (ai-edge-litert), in interleaved rounds.
#
# Each round times, for MobileNet v1 and v2 1.0@224 in int8 and fp32: edgetop with 1 and 2
# threads and XNNPACK with 1 and 2 threads, each in its own process, one after the other
# (the order rotates from round to round so no side always runs first after a pause).
# It prints, per model and data type, every round's speed-ups (1-thread time / 2-thread
# time) and edgetop/XNNPACK ratios, then their median and range, once for the per-run
# median and once for the fastest run of each batch. The load average is logged with
# every round: two-thread figures only mean something when the second core was free.
#
# Needs the anchors' venv (../shared/anchors/README.md):
#   python3 -m venv /tmp/anchors-venv && /tmp/anchors-venv/bin/pip install numpy onnx onnxruntime ai-edge-litert
# Usage: scripts/bench-threads.sh [ROUNDS] [RUNS] [MODELS]     (from the package root)
#   ROUNDS default 5, RUNS (timed runs per batch, after 30 warm-up runs) default 200,
#   MODELS default "v1 v2". Rows go to $OUT_DIR/threads.jsonl (default /tmp/edgetop-bench).
#   ISA=avx2 times both sides on their AVX2+FMA kernels (scripts/xnnpack-avx2-view.sh).
set -euo pipefail
rounds=${1:-5}; runs=${2:-200}; models=${3:-"v1 v2"}
P=${ANCHORS_PYTHON:-/tmp/anchors-venv/bin/python}
# The anchors sit beside the package (../shared), or two levels up from a git worktree.
A=${ANCHORS:-$( [ -d ../shared/anchors ] && echo ../shared/anchors || echo ../../shared/anchors )}
E=${EDGETOP:-.build/release/edgetop}
out=${OUT_DIR:-/tmp/edgetop-bench}
mkdir -p "$out"
[ -x "$P" ] || { echo "bench-threads: $P not found; set up the anchors' venv first (see the header)" >&2; exit 2; }
[ -x "$E" ] || swift build -c release --product edgetop
for m in $models; do
  case $m in v1|v2) ;; *) echo "bench-threads: unknown model '$m' (v1 or v2)" >&2; exit 2 ;; esac
  for d in int8 fp32; do
    [ -f "$out/${m}_$d.tflite" ] || "$P" "$A/tflite_mobilenet.py" --model "mobilenet_$m" --alpha 1.0 \
      --resolution 224 --dtype "$d" --out "$out/${m}_$d.tflite" >/dev/null
  done
done
# ISA=avx2: both sides on their AVX2+FMA kernels (what a Zen 3 runs), emulated on an AVX-512
# host: edgetop through EDGETOP_BENCH_ISA, XNNPACK through scripts/xnnpack-avx2-view.sh.
if [ "${ISA:-host}" = avx2 ]; then
  export PYTHONPATH; PYTHONPATH=$(ANCHORS_PYTHON="$P" ANCHORS="$A" scripts/xnnpack-avx2-view.sh "$out/${m}_int8.tflite")
  export EDGETOP_BENCH_ISA=avx2
  echo "ISA view: AVX2+FMA kernels on both sides (instruction set emulated on this CPU)" >&2
fi
log="$out/threads.jsonl"; : > "$log"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "CPU: $cpu, $(nproc) CPUs; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

edgetop() { "$E" bench --model "mobilenet-$1" --width 1.0 --resolution 224 --backend "$2" --threads "$3" --warmup 30 --runs "$runs" --json; }
xnnpack() { "$P" "$A/litert_time.py" "$out/$1_$2.tflite" --threads "$3" --warmup 30 --runs "$runs" 2>/dev/null; }

sides=("edgetop 1" "edgetop 2" "xnnpack 1" "xnnpack 2")
for r in $(seq "$rounds"); do
  for m in $models; do
    for d in int8 fp32; do
      load=$(cut -d' ' -f1 /proc/loadavg)
      declare -A got=()
      for i in 0 1 2 3; do
        set -- ${sides[$(( (i + r) % 4 ))]}
        got["$1$2"]=$($1 "$m" "$d" "$2")
      done
      echo "{\"round\":$r,\"model\":\"$m\",\"dtype\":\"$d\",\"load\":$load,\"e1\":${got[edgetop1]},\"e2\":${got[edgetop2]},\"x1\":${got[xnnpack1]},\"x2\":${got[xnnpack2]}}" >> "$log"
      unset got
    done
  done
  echo "round $r of $rounds done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$log" "$cpu" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"CPU: {sys.argv[2]}; {len({r['round'] for r in rows})} interleaved rounds, "
      f"{rows[0]['e1']['runs']} timed runs per batch; rows in {sys.argv[1]}")
def span(v): return f"{statistics.median(v):5.2f} ({min(v):.2f}-{max(v):.2f})"
for key, xkey, what in (("p50_ms", "median_ms", "per-run median"), ("min_ms", "min_ms", "fastest run")):
    print(f"\n{what} of each batch, ms; speed-up = 1-thread / 2-thread time; ratio = edgetop / XNNPACK")
    print(f"{'model':5} {'dtype':5} {'rnd':>3} {'load':>5} {'edge 1t':>8} {'edge 2t':>8} {'xnn 1t':>8} {'xnn 2t':>8}"
          f" {'edge x2':>8} {'xnn x2':>7} {'ratio 1t':>8} {'ratio 2t':>8}")
    for m in ("v1", "v2"):
        for d in ("int8", "fp32"):
            rs = [r for r in rows if r["model"] == m and r["dtype"] == d]
            if not rs: continue
            es, xs, r1, r2 = [], [], [], []
            for r in rs:
                e1, e2, x1, x2 = r["e1"][key], r["e2"][key], r["x1"][xkey], r["x2"][xkey]
                es.append(e1 / e2); xs.append(x1 / x2); r1.append(e1 / x1); r2.append(e2 / x2)
                print(f"{m:5} {d:5} {r['round']:3} {r['load']:5.2f} {e1:8.2f} {e2:8.2f} {x1:8.2f} {x2:8.2f}"
                      f" {es[-1]:8.2f} {xs[-1]:7.2f} {r1[-1]:8.2f} {r2[-1]:8.2f}")
            print(f"{m:5} {d:5} median (range): edgetop 2-thread speed-up {span(es)}, XNNPACK {span(xs)}; "
                  f"edgetop/XNNPACK 1 thread {span(r1)}, 2 threads {span(r2)}")
bad = [(r["model"], r["dtype"], r["e1"]["quality"]) for r in rows if r["round"] == 1]
print("\nquality (round 1, 1 thread):", [(m, d, round(q["cosine"], 6), q["top1_agree"]) for m, d, q in bad])
PY
