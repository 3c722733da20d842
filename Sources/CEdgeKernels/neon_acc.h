// The hand-scheduled NEON loops keep sixteen int32x4 accumulators in v16-v31 for the whole
// loop and pass them in and out through a 256-byte array named `acc` in the asm operands:
// these are the lines that move them.
#ifndef EDGETOP_NEON_ACC_H
#define EDGETOP_NEON_ACC_H
#define EDGE_NEON_LOAD_ACC16                \
  "ldp q16, q17, [%[acc], #0]\n\t"          \
  "ldp q18, q19, [%[acc], #32]\n\t"         \
  "ldp q20, q21, [%[acc], #64]\n\t"         \
  "ldp q22, q23, [%[acc], #96]\n\t"         \
  "ldp q24, q25, [%[acc], #128]\n\t"        \
  "ldp q26, q27, [%[acc], #160]\n\t"        \
  "ldp q28, q29, [%[acc], #192]\n\t"        \
  "ldp q30, q31, [%[acc], #224]\n\t"
#define EDGE_NEON_STORE_ACC16               \
  "stp q16, q17, [%[acc], #0]\n\t"          \
  "stp q18, q19, [%[acc], #32]\n\t"         \
  "stp q20, q21, [%[acc], #64]\n\t"         \
  "stp q22, q23, [%[acc], #96]\n\t"         \
  "stp q24, q25, [%[acc], #128]\n\t"        \
  "stp q26, q27, [%[acc], #160]\n\t"        \
  "stp q28, q29, [%[acc], #192]\n\t"        \
  "stp q30, q31, [%[acc], #224]\n\t"
#endif
