#!/usr/bin/env bash
# Proves, as far as an x86-64 machine can, that edgetop builds and computes correctly on 64-bit
# ARM: the C microkernels compile for aarch64 with Swift's own clang (what `swift build` uses
# there, at -O2 and at the -O0 of debug builds) and with GCC, warnings as errors; every C
# function the Swift code calls exists for the architecture it is compiled for; and the NEON
# kernels give the reference's bytes when run under qemu-user, on a CPU with the dot product
# (-cpu max) and on a Cortex-A53 without it.
#
# Usage: scripts/test-aarch64.sh   (installs gcc-aarch64-linux-gnu and qemu-user if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
command -v qemu-aarch64 >/dev/null || need+=(qemu-user)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
clang="$swift_bin/clang"
[ -x "$clang" ] || clang=clang
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
K=Sources/CEdgeKernels

echo "== compile the C target for aarch64 (clang $("$clang" --version | head -1 | sed 's/.*version //;s/ .*//'), gcc $(aarch64-linux-gnu-gcc -dumpversion))"
for f in "$K"/*.c; do
  b=$(basename "$f" .c)
  "$clang" --target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu -O2 -Wall -Wextra -Werror \
    -I"$K/include" -c "$f" -o "$out/clang_$b.o"
  aarch64-linux-gnu-gcc -O2 -Wall -Wextra -Werror -I"$K/include" -c "$f" -o "$out/gcc_$b.o"
  # -O0 is what `swift build`'s debug configuration gives C: the hand-scheduled asm loops must
  # get their operands there too.
  "$clang" --target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu -O0 -Wall -Wextra -Werror \
    -I"$K/include" -c "$f" -o "$out/clangO0_$b.o"
done

echo "== Swift calls only C functions built for its architecture"
python3 scripts/check-arch-symbols.py "$clang"

echo "== link the kernel tests"
aarch64-linux-gnu-gcc -O2 -Wall -Wextra -Werror -I"$K/include" -static -o "$out/kernels-clang" \
  Tests/aarch64/kernel_tests.c "$out"/clang_*.o -lm
aarch64-linux-gnu-gcc -O2 -Wall -Wextra -Werror -I"$K/include" -static -o "$out/kernels-gcc" \
  Tests/aarch64/kernel_tests.c "$out"/gcc_*.o -lm
aarch64-linux-gnu-gcc -O2 -Wall -Wextra -Werror -I"$K/include" -static -o "$out/kernels-clangO0" \
  Tests/aarch64/kernel_tests.c "$out"/clangO0_*.o -lm

status=0
for build in clang gcc; do
  echo "== $build-built kernels, qemu -cpu max (ARMv8.x with dot product)"
  EXPECT_NEONDOT=1 qemu-aarch64 -cpu max "$out/kernels-$build" || status=1
  echo "== $build-built kernels, qemu -cpu cortex-a53 (ARMv8.0)"
  EXPECT_NEONDOT=0 qemu-aarch64 -cpu cortex-a53 "$out/kernels-$build" || status=1
done
echo "== clang -O0 kernels, qemu -cpu max"
EXPECT_NEONDOT=1 qemu-aarch64 -cpu max "$out/kernels-clangO0" || status=1
exit $status
