#!/usr/bin/env bash
# The AVX-VNNI int8 kernels must really be AVX-VNNI code: their object code has to hold the
# VEX-encoded vpdpbusd ({vex} prefix, c4/c5 bytes) and no EVEX (62-prefixed) instruction,
# since a CPU with AVX-VNNI but no AVX-512 faults on EVEX. Their test twins (the same source
# compiled for AVX-512 VL + VNNI) must hold the EVEX form instead. The machines here lack
# AVX-VNNI, so this disassembly is the check that the code shipped for it is what it claims.
#
# Usage: scripts/ci-avxvnni-encoding.sh   (needs clang, from the Swift toolchain, and objdump)
set -euo pipefail
cd "$(dirname "$0")/.."

swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
clang="$swift_bin/clang"
[ -x "$clang" ] || clang=clang
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
K=Sources/CEdgeKernels
status=0

for kind in gemm dwconv; do
  vex="q8${kind}_avxvnni"
  evex="q8${kind}_avxvnni_evex"
  for b in "$vex" "$evex"; do
    "$clang" -O2 -fno-strict-aliasing -Wall -Wextra -Werror -I"$K/include" -c "$K/$b.c" -o "$out/$b.o"
    objdump -d --no-show-raw-insn "$out/$b.o" > "$out/$b.s"
    objdump -d "$out/$b.o" > "$out/$b.raw"
  done
  n_vex=$(grep -c '{vex} vpdpbusd' "$out/$vex.s" || true)
  # A raw-byte line whose instruction bytes start with 62 is EVEX-encoded.
  n_evex_in_vex=$(grep -cE '^\s+[0-9a-f]+:\s+62 ' "$out/$vex.raw" || true)
  n_twin=$(grep -E 'vpdpbusd' "$out/$evex.s" | grep -vc '{vex}' || true)
  echo "$vex.c: $n_vex VEX vpdpbusd, $n_evex_in_vex EVEX instructions; $evex.c: $n_twin EVEX vpdpbusd"
  if [ "$n_vex" -eq 0 ]; then echo "error: $vex.c has no VEX-encoded vpdpbusd" >&2; status=1; fi
  if [ "$n_evex_in_vex" -ne 0 ]; then
    echo "error: $vex.c holds EVEX instructions, which fault on AVX-VNNI CPUs without AVX-512:" >&2
    grep -E '^\s+[0-9a-f]+:\s+62 ' "$out/$vex.raw" | head -5 >&2
    status=1
  fi
  if [ "$n_twin" -eq 0 ]; then echo "error: $evex.c has no EVEX vpdpbusd" >&2; status=1; fi
done
exit $status
