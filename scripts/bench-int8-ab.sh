#!/usr/bin/env bash
# Times two edgetop binaries (before and after a kernel change) on int8 MobileNet v1 and v2
# (1.0@224, one thread) in interleaved rounds, with the int8 family EDGETOP_BENCH_ISA forces
# (default avx2), and prints per model the median over rounds of each binary's per-run median
# and fastest run, and after/before measured in the same round (median, range in brackets).
# Usage: scripts/bench-int8-ab.sh BEFORE AFTER [ROUNDS] [RUNS]   (default 5 rounds of 50 runs)
#   EDGETOP_AB_BACKEND=fp32 times the fp32 backend instead (EDGETOP_BENCH_ISA=avx2 forces its
#   AVX2+FMA kernels too, =host the CPU's own).
#   e.g. git worktree add /tmp/before <commit> && (cd /tmp/before && swift build -c release --product edgetop)
#        scripts/bench-int8-ab.sh /tmp/before/.build/release/edgetop .build/release/edgetop
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BEFORE AFTER [ROUNDS] [RUNS]" >&2; exit 2; }
before=$1; after=$2; rounds=${3:-5}; runs=${4:-50}
isa=${EDGETOP_BENCH_ISA:-avx2}
out=${OUT_DIR:-/tmp/edgetop-bench}; mkdir -p "$out"
log="$out/ab-rounds.jsonl"; : > "$log"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); ISA: $isa; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq "$rounds"); do
  for m in mobilenet-v1 mobilenet-v2; do
    for side in before after; do
      bin=$before; [ "$side" = after ] && bin=$after
      e=$(EDGETOP_BENCH_ISA=$isa "$bin" bench --model "$m" --width 1.0 --resolution 224 --backend "${EDGETOP_AB_BACKEND:-int8}" --threads 1 \
            --warmup 20 --runs "$runs" --json)
      echo "{\"round\":$r,\"model\":\"$m\",\"side\":\"$side\",\"edgetop\":$e}" >> "$log"
    done
  done
  echo "round $r done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
python3 - "$log" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
med = statistics.median
print(f"{'model':13} {'before p50':>11} {'after p50':>10} {'before min':>11} {'after min':>10} {'after/before p50':>18} {'after/before min':>18}  quality")
for m in sorted({r["model"] for r in rows}):
    get = lambda s, k: {r["round"]: r["edgetop"][k] for r in rows if r["model"] == m and r["side"] == s}
    bp, ap, bm, am = get("before", "p50_ms"), get("after", "p50_ms"), get("before", "min_ms"), get("after", "min_ms")
    rp = [ap[k] / bp[k] for k in bp]; rm = [am[k] / bm[k] for k in bm]
    q = [r["edgetop"]["quality"] for r in rows if r["model"] == m]
    same = len({(x["cosine"], x["top1_agree"]) for x in q}) == 1
    print(f"{m:13} {med(bp.values()):9.2f}ms {med(ap.values()):8.2f}ms {med(bm.values()):9.2f}ms {med(am.values()):8.2f}ms "
          f"{med(rp):6.3f} ({min(rp):.3f}-{max(rp):.3f}) {med(rm):6.3f} ({min(rm):.3f}-{max(rm):.3f})  "
          f"cos {q[0]['cosine']:.6f} {'same for both' if same else 'DIFFERS'}")
print(f"{len(rows) // 4} rounds x {len(rows) and rows[0]['edgetop'].get('runs', '?')} runs")
PY
