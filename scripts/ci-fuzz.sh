#!/usr/bin/env bash
# CI: every fuzz target for a short, bounded time (10 s each, two at a time: about a
# minute after the build), AddressSanitizer on. Fails on any crash, timeout or oversized
# allocation; the input that caused it is left in Fuzz/.artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_JOBS=2 exec scripts/fuzz.sh "${FUZZ_CI_SECONDS:-10}"
