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
           FuzzSTuiCSV FuzzPowerLog FuzzSystemJSON FuzzTheme FuzzProfile FuzzTFLite FuzzDashboard)
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
  # Fork mode, so that an input flagged as slow does not end the run: on a loaded machine
  # at nice 19 a 3 ms input can be starved past 1 s of wall time. Every flagged input is
  # re-run alone below and counts as a failure only if it is slow there too.
  # -rss_limit_mb bounds the whole process (AddressSanitizer's shadow memory included);
  # -malloc_limit_mb bounds what one input may ask for at once.
  nice -n 19 "$bin/$t" "Fuzz/.corpus/$t" "Fuzz/corpus/$t" -fork=1 -ignore_timeouts=1 \
    -max_total_time="$seconds" -timeout=1 -malloc_limit_mb=256 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="Fuzz/.artifacts/$t-" > "Fuzz/.logs/$t.log" 2>&1
}

status=0
running=0
for t in "${targets[@]}"; do
  rm -f Fuzz/.artifacts/"$t"-*
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || status=1; running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done

total=0
printf '%-20s %12s %8s %10s  %s\n' target executions seconds "exec/s" result
for t in "${targets[@]}"; do
  log="Fuzz/.logs/$t.log"
  last=$(grep -E '^#[0-9]+: ' "$log" | tail -n 1)
  runs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
  secs=$(sed -nE 's/.* time: ([0-9]+)s .*/\1/p' <<<"$last")
  result=ok
  if grep -qE '^==[0-9]+==ERROR|crash-|oom-|leak-' "$log" || ls Fuzz/.artifacts/"$t"-crash-* Fuzz/.artifacts/"$t"-oom-* >/dev/null 2>&1; then
    result="FAILED (see $log and Fuzz/.artifacts)"; status=1
  fi
  slow=0
  for f in Fuzz/.artifacts/"$t"-timeout-*; do
    [ -e "$f" ] || continue
    if "$bin/$t" -runs=1 -timeout=1 "$f" > "$f.rerun" 2>&1; then
      slow=$((slow + 1))
    else
      result="FAILED: $f is slow alone too"; status=1
    fi
  done
  [ "$slow" -gt 0 ] && [ "$result" = ok ] && result="ok ($slow flagged slow under load; each under 1 s alone)"
  runs=${runs:-0}; secs=${secs:-0}
  total=$((total + runs))
  printf '%-20s %12s %8s %10s  %s\n' "$t" "$runs" "$secs" "$([ "$secs" -gt 0 ] && echo $((runs / secs)) || echo -)" "$result"
done
echo "total executions: $total"
exit $status
