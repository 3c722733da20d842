#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (with AddressSanitizer) and runs each for SECONDS
# (default 60) from its committed seed corpus, at low priority. Limits, as docs/fuzzing.md
# states them: 1 s per input, no single allocation of 256 MB or more, inputs up to 8 KiB.
# New inputs go to Fuzz/.corpus (not committed); a crash, timeout or oversized allocation
# leaves its input in Fuzz/.artifacts and makes this script exit 1.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#   FUZZ_JOBS=2 scripts/fuzz.sh 600     # two targets at a time
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(FuzzTraceFile FuzzGzip FuzzLoadGenTrace FuzzLoadGenDetail FuzzLoadGenSummary
           FuzzSTuiCSV FuzzPowerLog FuzzSystemJSON FuzzTheme FuzzProfile)
fi
jobs=${FUZZ_JOBS:-1}

(cd Fuzz && nice -n 19 swift build -c release \
   -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -v "Cannot export local symbol" | tail -n 3)
bin=$(cd Fuzz && swift build -c release --show-bin-path \
   -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)

mkdir -p Fuzz/.corpus Fuzz/.artifacts Fuzz/.logs
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
# Swift's own crash reporter adds nothing to libFuzzer's report (and trips ASan itself).
export SWIFT_BACKTRACE=enable=no

run_one() {
  local t=$1
  mkdir -p "Fuzz/.corpus/$t"
  # -rss_limit_mb bounds the whole process (AddressSanitizer's shadow memory included);
  # -malloc_limit_mb bounds what one input may ask for at once.
  nice -n 19 "$bin/$t" "Fuzz/.corpus/$t" "Fuzz/corpus/$t" \
    -max_total_time="$seconds" -timeout=1 -malloc_limit_mb=256 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="Fuzz/.artifacts/$t-" > "Fuzz/.logs/$t.log" 2>&1
}

status=0
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || status=1; running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done

total=0
printf '%-20s %12s %8s %10s  %s\n' target executions seconds "exec/s" result
for t in "${targets[@]}"; do
  log="Fuzz/.logs/$t.log"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  if grep -q "^Done [0-9]* runs" "$log"; then result=ok; else result="FAILED (see $log)"; status=1; fi
  runs=${runs:-0}; secs=${secs:-0}
  total=$((total + runs))
  printf '%-20s %12s %8s %10s  %s\n' "$t" "$runs" "$secs" "$([ "$secs" -gt 0 ] && echo $((runs / secs)) || echo -)" "$result"
done
echo "total executions: $total"
exit $status
