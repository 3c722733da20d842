#!/usr/bin/env bash
# Times edgetop's int8 and fp32 backends next to XNNPACK (ai-edge-litert) on the same
# MobileNet architectures, one thread, in interleaved rounds, and prints per-round ratios
# and their median. Needs the anchors' venv (../shared/anchors/README.md):
#   python3 -m venv /tmp/anchors-venv && /tmp/anchors-venv/bin/pip install numpy onnx onnxruntime ai-edge-litert
# Usage: scripts/bench-vs-xnnpack.sh [ROUNDS] [RUNS]     (from the package root)
#   ISA=avx2 scripts/bench-vs-xnnpack.sh ...   times both sides on their AVX2+FMA kernels (see below).
set -euo pipefail
rounds=${1:-5}; runs=${2:-200}
P=${ANCHORS_PYTHON:-/tmp/anchors-venv/bin/python}
A=${ANCHORS:-../shared/anchors}
E=.build/release/edgetop
out=${OUT_DIR:-/tmp/edgetop-bench}
mkdir -p "$out"
[ -x "$E" ] || swift build -c release --product edgetop
for m in "mobilenet_v1 v1" "mobilenet_v2 v2"; do
  set -- $m
  for d in int8 fp32; do
    [ -f "$out/$2_$d.tflite" ] || "$P" "$A/tflite_mobilenet.py" --model "$1" --alpha 1.0 --resolution 224 --dtype "$d" --out "$out/$2_$d.tflite" >/dev/null
  done
done
# ISA=avx2: both sides on their AVX2+FMA kernels (what a Zen 3 runs), emulated on an AVX-512
# host: edgetop through EDGETOP_BENCH_ISA, XNNPACK through scripts/xnnpack-avx2-view.sh.
if [ "${ISA:-host}" = avx2 ]; then
  export PYTHONPATH; PYTHONPATH=$(ANCHORS_PYTHON="$P" ANCHORS="$A" scripts/xnnpack-avx2-view.sh "$out/v1_int8.tflite")
  export EDGETOP_BENCH_ISA=avx2
  echo "ISA view: AVX2+FMA kernels on both sides (instruction set emulated on this CPU)" >&2
fi
log="$out/rounds.jsonl"; : > "$log"
for r in $(seq "$rounds"); do
  for m in "mobilenet-v1 v1" "mobilenet-v2 v2"; do
    set -- $m
    for d in int8 fp32; do
      x=$("$P" "$A/litert_time.py" "$out/$2_$d.tflite" --threads 1 --warmup 30 --runs "$runs" 2>/dev/null)
      e=$("$E" bench --model "$1" --width 1.0 --resolution 224 --backend "$d" --threads 1 --warmup 30 --runs "$runs" --json)
      echo "{\"round\":$r,\"model\":\"$2\",\"dtype\":\"$d\",\"xnnpack\":$x,\"edgetop\":$e}" >> "$log"
    done
  done
  echo "round $r done" >&2
done
python3 - "$log" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(v): return statistics.median(v)
print(f"{'model':6} {'dtype':5} {'XNNPACK p50':>12} {'edgetop p50':>12} {'ratio p50':>10} {'XNNPACK min':>12} {'edgetop min':>12} {'ratio min':>10}")
for m in ("v1", "v2"):
    for d in ("int8", "fp32"):
        rs = [r for r in rows if r["model"] == m and r["dtype"] == d]
        xp = [r["xnnpack"]["median_ms"] for r in rs]; ep = [r["edgetop"]["p50_ms"] for r in rs]
        xm = [r["xnnpack"]["min_ms"] for r in rs]; em = [r["edgetop"]["min_ms"] for r in rs]
        rp = [e / x for e, x in zip(ep, xp)]; rm = [e / x for e, x in zip(em, xm)]
        print(f"{m:6} {d:5} {med(xp):10.2f}ms {med(ep):10.2f}ms {med(rp):6.2f} ({min(rp):.2f}-{max(rp):.2f}) "
              f"{med(xm):8.2f}ms {med(em):10.2f}ms {med(rm):6.2f} ({min(rm):.2f}-{max(rm):.2f})")
    i8 = [r["edgetop"]["p50_ms"] for r in rows if r["model"] == m and r["dtype"] == "int8"]
    f32 = [r["edgetop"]["p50_ms"] for r in rows if r["model"] == m and r["dtype"] == "fp32"]
    sp = [f / i for f, i in zip(f32, i8)]
    print(f"{m:6} edgetop fp32/int8 speed-up (p50, per round): median {med(sp):.2f}x ({min(sp):.2f}-{max(sp):.2f})")
q = [r["edgetop"]["quality"] for r in rows if r["round"] == 1]
print("quality (round 1):", [(r["model"], r["dtype"], round(r["edgetop"]["quality"]["cosine"], 6), r["edgetop"]["quality"]["top1_agree"]) for r in rows if r["round"] == 1])
PY
