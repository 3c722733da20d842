// int8 GEMM and indirect GEMM microkernels for 64-bit ARM, QNNPACK-style: uint8 activations,
// int8 per-channel weights, the input zero point folded into the packed bias (see
// QWeightPacking), fp32 requantization rounding ties to even, identical to QRequantization.
//
// Two families, chosen at start-up from the CPU's hwcaps:
// - 8x8 for every ARMv8.0 core (Cortex-A53 and later): activations and weights widen to int16
//   and multiply-accumulate into int32 with `smlal` by lane, one K value at a time (K packed
//   one value per column, kr = 1).
// - 4x16c4 for ARMv8.2 cores with the dot-product extension: `sdot` sums four int8 products
//   into each int32 lane. It multiplies signed bytes only, so activations are flipped to
//   (a - 128) with one XOR and the packing adds 128·Σw to the bias, exactly as the input
//   zero point is folded.
#include "q8kernels.h"
#include <string.h>

#include "edge_mca.h"
#include "neon_acc.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#define Q8N_INLINE static inline __attribute__((always_inline))
#if defined(__clang__)
#define Q8N_DOT_TARGET __attribute__((target("dotprod")))
#else
#define Q8N_DOT_TARGET __attribute__((target("arch=armv8.2-a+dotprod")))
#endif

// FCVTNS rounds to nearest with ties to even; SCVTF and FMUL round to nearest even (FPCR's
// default, which nothing changes), and the integer clamp bounds make clamping before rounding
// equal to clamping after.
Q8N_INLINE int32x4_t q8n_requantize(int32x4_t acc, float32x4_t scale, float32x4_t vmin, float32x4_t vmax,
                                    int32x4_t vzp) {
  float32x4_t f = vmulq_f32(vcvtq_f32_s32(acc), scale);
  f = vminq_f32(vmaxq_f32(f, vmin), vmax);
  return vaddq_s32(vcvtnq_s32_f32(f), vzp);
}

// Eight requantized values (already within 0...255 after the clamp) as bytes.
Q8N_INLINE uint8x8_t q8n_narrow8(int32x4_t lo, int32x4_t hi) {
  return vqmovun_s16(vcombine_s16(vqmovn_s32(lo), vqmovn_s32(hi)));
}

Q8N_INLINE void q8n_store(uint8_t* out, const uint8_t* bytes, size_t n, size_t nr) {
  if (n == nr) memcpy(out, bytes, nr); else memcpy(out, bytes, n);
}

// ---------------------------------------------------------------------------------------------
// 8x8, ARMv8.0. Packed block: int32 bias[8], int8 weights[ks][kc][8], float scale[8].

// The 8-K loop in a fixed order, as one asm statement: every load and widening of a pass
// first, then its 128 multiply-accumulates. An in-order core (Cortex-A53/A55) writes results
// back in program order, so each load or widening the compiler placed among the `smlal`s
// waited for the one before it; grouped, they pay that once a pass. Rows' activations widen
// in v0-v7, the 8 K values of weights in v8-v15, and the accumulators live in v16-v31 (row r:
// columns 0-3 in v(16+2r), 4-7 in v(17+2r)), passing through `acc` in that order. Runs
// `passes` >= 1 passes of 8 K values from the rows at `a`.
#define Q8N_MLAL_K(W, K)                                                                    \
  "smlal v16.4s, " W ".4h, v0.h[" K "]\n\t"                                                 \
  "smlal2 v17.4s, " W ".8h, v0.h[" K "]\n\t"                                                \
  "smlal v18.4s, " W ".4h, v1.h[" K "]\n\t"                                                 \
  "smlal2 v19.4s, " W ".8h, v1.h[" K "]\n\t"                                                \
  "smlal v20.4s, " W ".4h, v2.h[" K "]\n\t"                                                 \
  "smlal2 v21.4s, " W ".8h, v2.h[" K "]\n\t"                                                \
  "smlal v22.4s, " W ".4h, v3.h[" K "]\n\t"                                                 \
  "smlal2 v23.4s, " W ".8h, v3.h[" K "]\n\t"                                                \
  "smlal v24.4s, " W ".4h, v4.h[" K "]\n\t"                                                 \
  "smlal2 v25.4s, " W ".8h, v4.h[" K "]\n\t"                                                \
  "smlal v26.4s, " W ".4h, v5.h[" K "]\n\t"                                                 \
  "smlal2 v27.4s, " W ".8h, v5.h[" K "]\n\t"                                                \
  "smlal v28.4s, " W ".4h, v6.h[" K "]\n\t"                                                 \
  "smlal2 v29.4s, " W ".8h, v6.h[" K "]\n\t"                                                \
  "smlal v30.4s, " W ".4h, v7.h[" K "]\n\t"                                                 \
  "smlal2 v31.4s, " W ".8h, v7.h[" K "]\n\t"

Q8N_INLINE void q8n_8x8_loop(int32x4_t acc[16], const uint8_t* const a[8], const int8_t** wp, size_t passes) {
  const uint8_t *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3], *a4 = a[4], *a5 = a[5], *a6 = a[6], *a7 = a[7];
  const int8_t* w = *wp;
  __asm__ volatile(
      EDGE_NEON_LOAD_ACC16
      "0:\n\t"
      EDGE_MCA_ASM_BEGIN("q8_gemm_8x8__neon")
      "subs %[n], %[n], #1\n\t"
      "ldr d0, [%[a0]]\n\t"
      "add %[a0], %[a0], #8\n\t"
      "ldr d1, [%[a1]]\n\t"
      "add %[a1], %[a1], #8\n\t"
      "ldr d2, [%[a2]]\n\t"
      "add %[a2], %[a2], #8\n\t"
      "ldr d3, [%[a3]]\n\t"
      "add %[a3], %[a3], #8\n\t"
      "ldr d4, [%[a4]]\n\t"
      "add %[a4], %[a4], #8\n\t"
      "ldr d5, [%[a5]]\n\t"
      "add %[a5], %[a5], #8\n\t"
      "ldr d6, [%[a6]]\n\t"
      "add %[a6], %[a6], #8\n\t"
      "ldr d7, [%[a7]]\n\t"
      "add %[a7], %[a7], #8\n\t"
      "ldr d8, [%[w], #0]\n\t"
      "ldr d9, [%[w], #8]\n\t"
      "ldr d10, [%[w], #16]\n\t"
      "ldr d11, [%[w], #24]\n\t"
      "ldr d12, [%[w], #32]\n\t"
      "ldr d13, [%[w], #40]\n\t"
      "ldr d14, [%[w], #48]\n\t"
      "ldr d15, [%[w], #56]\n\t"
      "add %[w], %[w], #64\n\t"
      "ushll v0.8h, v0.8b, #0\n\t"
      "ushll v1.8h, v1.8b, #0\n\t"
      "ushll v2.8h, v2.8b, #0\n\t"
      "ushll v3.8h, v3.8b, #0\n\t"
      "ushll v4.8h, v4.8b, #0\n\t"
      "ushll v5.8h, v5.8b, #0\n\t"
      "ushll v6.8h, v6.8b, #0\n\t"
      "ushll v7.8h, v7.8b, #0\n\t"
      "sshll v8.8h, v8.8b, #0\n\t"
      "sshll v9.8h, v9.8b, #0\n\t"
      "sshll v10.8h, v10.8b, #0\n\t"
      "sshll v11.8h, v11.8b, #0\n\t"
      "sshll v12.8h, v12.8b, #0\n\t"
      "sshll v13.8h, v13.8b, #0\n\t"
      "sshll v14.8h, v14.8b, #0\n\t"
      "sshll v15.8h, v15.8b, #0\n\t"
      Q8N_MLAL_K("v8", "0")
      Q8N_MLAL_K("v9", "1")
      Q8N_MLAL_K("v10", "2")
      Q8N_MLAL_K("v11", "3")
      Q8N_MLAL_K("v12", "4")
      Q8N_MLAL_K("v13", "5")
      Q8N_MLAL_K("v14", "6")
      Q8N_MLAL_K("v15", "7")
      "b.ne 0b\n\t"
      EDGE_MCA_ASM_END("q8_gemm_8x8__neon")
      EDGE_NEON_STORE_ACC16
      : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [a4] "+r"(a4), [a5] "+r"(a5), [a6] "+r"(a6),
        [a7] "+r"(a7), [w] "+r"(w), [n] "+r"(passes)
      : [acc] "r"(acc)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13",
        "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28",
        "v29", "v30", "v31");
  *wp = w;
}

Q8N_INLINE void q8n_igemm_8x8_core(size_t mr, size_t nc, size_t kc, size_t ks,
                                   const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                   const void* w, uint8_t* c, size_t c_stride,
                                   const q8_requant_params* params) {
  const uint8_t* const* rows[8];
  rows[0] = r0;
  for (int r = 1; r < 8; r++) rows[r] = (size_t)r < mr ? rows[r - 1] + rstride : rows[r - 1];

  const int32_t* bias = (const int32_t*)w;
  int32x4_t acc_lo[8], acc_hi[8];
  const int32x4_t b_lo = vld1q_s32(bias), b_hi = vld1q_s32(bias + 4);
  for (int r = 0; r < 8; r++) { acc_lo[r] = b_lo; acc_hi[r] = b_hi; }
  const int8_t* wp = (const int8_t*)w + 8 * sizeof(int32_t);

  for (size_t p = 0; p < ks; p++) {
    const uint8_t* a[8];
    for (int r = 0; r < 8; r++) a[r] = rows[r][p] + a_offset;
    size_t k = 0;
    if (kc >= 8) {
      int32x4_t acc[16];
      for (int r = 0; r < 8; r++) { acc[2 * r] = acc_lo[r]; acc[2 * r + 1] = acc_hi[r]; }
      q8n_8x8_loop(acc, a, &wp, kc / 8);
      for (int r = 0; r < 8; r++) { acc_lo[r] = acc[2 * r]; acc_hi[r] = acc[2 * r + 1]; }
      k = kc & ~(size_t)7;
    }
    for (; k < kc; k++) {
      const int16x8_t vw = vmovl_s8(vld1_s8(wp));
      wp += 8;
      for (int r = 0; r < 8; r++) {
        const int16_t av = (int16_t)a[r][k];
        acc_lo[r] = vmlal_n_s16(acc_lo[r], vget_low_s16(vw), av);
        acc_hi[r] = vmlal_high_n_s16(acc_hi[r], vw, av);
      }
    }
  }

  const float* scale = (const float*)wp;
  const float32x4_t s_lo = vld1q_f32(scale), s_hi = vld1q_f32(scale + 4);
  const float32x4_t vmin = vdupq_n_f32(params->min_less_zero_point);
  const float32x4_t vmax = vdupq_n_f32(params->max_less_zero_point);
  const int32x4_t vzp = vdupq_n_s32(params->zero_point);
  uint8_t* out[8];
  out[0] = c;
  for (int r = 1; r < 8; r++) out[r] = (size_t)r < mr ? out[r - 1] + c_stride : out[r - 1];
  const size_t n = nc < 8 ? nc : 8;
  // Highest row first: an aliased row then rewrites the same bytes the valid row computed.
  for (int r = 7; r >= 0; r--) {
    uint8_t bytes[8];
    vst1_u8(bytes, q8n_narrow8(q8n_requantize(acc_lo[r], s_lo, vmin, vmax, vzp),
                               q8n_requantize(acc_hi[r], s_hi, vmin, vmax, vzp)));
    q8n_store(out[r], bytes, n, 8);
  }
}

void q8_gemm_8x8__neon(size_t mr, size_t nc, size_t kc, const uint8_t* a, size_t a_stride,
                       const void* w, uint8_t* c, size_t c_stride, const q8_requant_params* params) {
  const uint8_t* rows[8];
  for (int r = 0; r < 8; r++) rows[r] = a + (size_t)r * a_stride;
  q8n_igemm_8x8_core(mr, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
}

void q8_igemm_8x8__neon(size_t mr, size_t nc, size_t kc, size_t ks,
                        const uint8_t* const* indirection, size_t indirection_stride, size_t a_offset,
                        const void* w, uint8_t* c, size_t c_stride, const q8_requant_params* params) {
  q8n_igemm_8x8_core(mr, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params);
}

// ---------------------------------------------------------------------------------------------
// 4x16c4, ARMv8.2 dot product. Packed block: int32 bias[16] (with 128·Σw added),
// int8 weights[ks][ceil(kc/4)][16][4], float scale[16].

// Sixteen accumulators, one q register each (row R, columns 4Q...4Q+3), named rather than an
// array: as an array indexed in unrolled loops clang kept them on the stack, so every pass of
// the inner loop stored and reloaded all sixteen.
#define Q8N_ACC_DECL(R) int32x4_t acc##R##0 = b0, acc##R##1 = b1, acc##R##2 = b2, acc##R##3 = b3;

// One K group (four K values) of one row: lane LANE of the row's 16 loaded activation bytes
// (its group of four) against one 16-byte load of packed weights per four columns.
#define Q8N_SDOT_ROW(R, LANE)                                                               \
  acc##R##0 = vdotq_laneq_s32(acc##R##0, w0, va##R, LANE);                                  \
  acc##R##1 = vdotq_laneq_s32(acc##R##1, w1, va##R, LANE);                                  \
  acc##R##2 = vdotq_laneq_s32(acc##R##2, w2, va##R, LANE);                                  \
  acc##R##3 = vdotq_laneq_s32(acc##R##3, w3, va##R, LANE);

#define Q8N_SDOT_GROUP(LANE)                                                                \
  {                                                                                         \
    const int8x16_t w0 = vld1q_s8(wp), w1 = vld1q_s8(wp + 16);                              \
    const int8x16_t w2 = vld1q_s8(wp + 32), w3 = vld1q_s8(wp + 48);                         \
    wp += 64;                                                                               \
    Q8N_SDOT_ROW(0, LANE) Q8N_SDOT_ROW(1, LANE) Q8N_SDOT_ROW(2, LANE) Q8N_SDOT_ROW(3, LANE) \
  }

// Activation bytes flipped to signed (a - 128), which `sdot` multiplies.
#define Q8N_FLIP(V) vreinterpretq_s8_u8(veorq_u8((V), flip))

// The 16-K loop in a fixed order, as one asm statement: compiled from intrinsics, the weight
// loads became register pairs, which the Cortex-A55 issues over several cycles, and their
// place among the dot products was the compiler's. Here each load is a single q register and
// the weights of the next K group load among the current group's 16 dot products. The
// accumulators live in v16-v31 (row r, columns 4q...4q+3 in v(16+4r+q)) and pass through
// `acc` in that order; activations in v0-v3, weights alternate between v4-v7 and v8-v11, the
// flip constant is v12. Runs `passes` >= 1 passes of 16 K values from the rows at `a`.
static inline __attribute__((always_inline)) Q8N_DOT_TARGET void q8n_4x16c4_loop(int32x4_t acc[16],
                                                                               const uint8_t* const a[4],
                                                                               const int8_t** wp, size_t passes) {
  const uint8_t *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
  const int8_t* w = *wp;
  __asm__ volatile(
      ".arch_extension dotprod\n\t"
      "movi v12.16b, #128\n\t"
      EDGE_NEON_LOAD_ACC16
      "0:\n\t"
      EDGE_MCA_ASM_BEGIN("q8_gemm_4x16c4__neondot")
      "ldr q0, [%[a0]]\n\t"
      "add %[a0], %[a0], #16\n\t"
      "ldr q1, [%[a1]]\n\t"
      "add %[a1], %[a1], #16\n\t"
      "ldr q2, [%[a2]]\n\t"
      "add %[a2], %[a2], #16\n\t"
      "ldr q3, [%[a3]]\n\t"
      "add %[a3], %[a3], #16\n\t"
      "ldr q4, [%[w], #0]\n\t"
      "ldr q5, [%[w], #16]\n\t"
      "ldr q6, [%[w], #32]\n\t"
      "ldr q7, [%[w], #48]\n\t"
      "subs %[n], %[n], #1\n\t"
      "eor v0.16b, v0.16b, v12.16b\n\t"
      "eor v1.16b, v1.16b, v12.16b\n\t"
      "eor v2.16b, v2.16b, v12.16b\n\t"
      "eor v3.16b, v3.16b, v12.16b\n\t"
      "ldr q8, [%[w], #64]\n\t"
      "sdot v16.4s, v4.16b, v0.4b[0]\n\t"
      "sdot v17.4s, v5.16b, v0.4b[0]\n\t"
      "sdot v18.4s, v6.16b, v0.4b[0]\n\t"
      "sdot v19.4s, v7.16b, v0.4b[0]\n\t"
      "ldr q9, [%[w], #80]\n\t"
      "sdot v20.4s, v4.16b, v1.4b[0]\n\t"
      "sdot v21.4s, v5.16b, v1.4b[0]\n\t"
      "sdot v22.4s, v6.16b, v1.4b[0]\n\t"
      "sdot v23.4s, v7.16b, v1.4b[0]\n\t"
      "ldr q10, [%[w], #96]\n\t"
      "sdot v24.4s, v4.16b, v2.4b[0]\n\t"
      "sdot v25.4s, v5.16b, v2.4b[0]\n\t"
      "sdot v26.4s, v6.16b, v2.4b[0]\n\t"
      "sdot v27.4s, v7.16b, v2.4b[0]\n\t"
      "ldr q11, [%[w], #112]\n\t"
      "sdot v28.4s, v4.16b, v3.4b[0]\n\t"
      "sdot v29.4s, v5.16b, v3.4b[0]\n\t"
      "sdot v30.4s, v6.16b, v3.4b[0]\n\t"
      "sdot v31.4s, v7.16b, v3.4b[0]\n\t"
      "ldr q4, [%[w], #128]\n\t"
      "sdot v16.4s, v8.16b, v0.4b[1]\n\t"
      "sdot v17.4s, v9.16b, v0.4b[1]\n\t"
      "sdot v18.4s, v10.16b, v0.4b[1]\n\t"
      "sdot v19.4s, v11.16b, v0.4b[1]\n\t"
      "ldr q5, [%[w], #144]\n\t"
      "sdot v20.4s, v8.16b, v1.4b[1]\n\t"
      "sdot v21.4s, v9.16b, v1.4b[1]\n\t"
      "sdot v22.4s, v10.16b, v1.4b[1]\n\t"
      "sdot v23.4s, v11.16b, v1.4b[1]\n\t"
      "ldr q6, [%[w], #160]\n\t"
      "sdot v24.4s, v8.16b, v2.4b[1]\n\t"
      "sdot v25.4s, v9.16b, v2.4b[1]\n\t"
      "sdot v26.4s, v10.16b, v2.4b[1]\n\t"
      "sdot v27.4s, v11.16b, v2.4b[1]\n\t"
      "ldr q7, [%[w], #176]\n\t"
      "sdot v28.4s, v8.16b, v3.4b[1]\n\t"
      "sdot v29.4s, v9.16b, v3.4b[1]\n\t"
      "sdot v30.4s, v10.16b, v3.4b[1]\n\t"
      "sdot v31.4s, v11.16b, v3.4b[1]\n\t"
      "ldr q8, [%[w], #192]\n\t"
      "sdot v16.4s, v4.16b, v0.4b[2]\n\t"
      "sdot v17.4s, v5.16b, v0.4b[2]\n\t"
      "sdot v18.4s, v6.16b, v0.4b[2]\n\t"
      "sdot v19.4s, v7.16b, v0.4b[2]\n\t"
      "ldr q9, [%[w], #208]\n\t"
      "sdot v20.4s, v4.16b, v1.4b[2]\n\t"
      "sdot v21.4s, v5.16b, v1.4b[2]\n\t"
      "sdot v22.4s, v6.16b, v1.4b[2]\n\t"
      "sdot v23.4s, v7.16b, v1.4b[2]\n\t"
      "ldr q10, [%[w], #224]\n\t"
      "sdot v24.4s, v4.16b, v2.4b[2]\n\t"
      "sdot v25.4s, v5.16b, v2.4b[2]\n\t"
      "sdot v26.4s, v6.16b, v2.4b[2]\n\t"
      "sdot v27.4s, v7.16b, v2.4b[2]\n\t"
      "ldr q11, [%[w], #240]\n\t"
      "sdot v28.4s, v4.16b, v3.4b[2]\n\t"
      "sdot v29.4s, v5.16b, v3.4b[2]\n\t"
      "sdot v30.4s, v6.16b, v3.4b[2]\n\t"
      "sdot v31.4s, v7.16b, v3.4b[2]\n\t"
      "sdot v16.4s, v8.16b, v0.4b[3]\n\t"
      "sdot v17.4s, v9.16b, v0.4b[3]\n\t"
      "sdot v18.4s, v10.16b, v0.4b[3]\n\t"
      "sdot v19.4s, v11.16b, v0.4b[3]\n\t"
      "sdot v20.4s, v8.16b, v1.4b[3]\n\t"
      "sdot v21.4s, v9.16b, v1.4b[3]\n\t"
      "sdot v22.4s, v10.16b, v1.4b[3]\n\t"
      "sdot v23.4s, v11.16b, v1.4b[3]\n\t"
      "sdot v24.4s, v8.16b, v2.4b[3]\n\t"
      "sdot v25.4s, v9.16b, v2.4b[3]\n\t"
      "sdot v26.4s, v10.16b, v2.4b[3]\n\t"
      "sdot v27.4s, v11.16b, v2.4b[3]\n\t"
      "sdot v28.4s, v8.16b, v3.4b[3]\n\t"
      "sdot v29.4s, v9.16b, v3.4b[3]\n\t"
      "sdot v30.4s, v10.16b, v3.4b[3]\n\t"
      "sdot v31.4s, v11.16b, v3.4b[3]\n\t"
      "add %[w], %[w], #256\n\t"
      "b.ne 0b\n\t"
      EDGE_MCA_ASM_END("q8_gemm_4x16c4__neondot")
      EDGE_NEON_STORE_ACC16
      : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [w] "+r"(w), [n] "+r"(passes)
      : [acc] "r"(acc)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v16",
        "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
  *wp = w;
}

Q8N_INLINE Q8N_DOT_TARGET void q8n_igemm_4x16c4_core(size_t mr, size_t nc, size_t kc, size_t ks,
                                                     const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                                     const void* w, uint8_t* c, size_t c_stride,
                                                     const q8_requant_params* params) {
  const uint8_t* const* rows[4];
  rows[0] = r0;
  for (int r = 1; r < 4; r++) rows[r] = (size_t)r < mr ? rows[r - 1] + rstride : rows[r - 1];

  const int32_t* bias = (const int32_t*)w;
  const int32x4_t b0 = vld1q_s32(bias), b1 = vld1q_s32(bias + 4);
  const int32x4_t b2 = vld1q_s32(bias + 8), b3 = vld1q_s32(bias + 12);
  Q8N_ACC_DECL(0) Q8N_ACC_DECL(1) Q8N_ACC_DECL(2) Q8N_ACC_DECL(3)
  const int8_t* wp = (const int8_t*)w + 16 * sizeof(int32_t);
  const uint8x16_t flip = vdupq_n_u8(0x80);

  for (size_t p = 0; p < ks; p++) {
    const uint8_t* a[4];
    for (int r = 0; r < 4; r++) a[r] = rows[r][p] + a_offset;
    size_t k = 0;
    // 16 K values a pass: one 16-byte load per row serves four groups by lane, one 16-byte
    // load of weights serves four columns of a group; 64 dot products, 20 loads.
    if (kc >= 16) {
      int32x4_t acc[16] = {acc00, acc01, acc02, acc03, acc10, acc11, acc12, acc13,
                           acc20, acc21, acc22, acc23, acc30, acc31, acc32, acc33};
      q8n_4x16c4_loop(acc, a, &wp, kc / 16);
      acc00 = acc[0]; acc01 = acc[1]; acc02 = acc[2]; acc03 = acc[3];
      acc10 = acc[4]; acc11 = acc[5]; acc12 = acc[6]; acc13 = acc[7];
      acc20 = acc[8]; acc21 = acc[9]; acc22 = acc[10]; acc23 = acc[11];
      acc30 = acc[12]; acc31 = acc[13]; acc32 = acc[14]; acc33 = acc[15];
      k = kc & ~(size_t)15;
    }
    const uint8_t *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
    // Remaining groups of four; past kc the packed weights are zero, so the padding bytes
    // (read from a zeroed copy, never past the row) add nothing.
    for (; k < kc; k += 4) {
      const size_t n = kc - k < 4 ? kc - k : 4;
      uint8_t quad[4][4] = {{0}};
      memcpy(quad[0], a0 + k, n);
      memcpy(quad[1], a1 + k, n);
      memcpy(quad[2], a2 + k, n);
      memcpy(quad[3], a3 + k, n);
      uint32_t bits[4];
      memcpy(bits, quad, sizeof bits);
      const int8x16_t va0 = Q8N_FLIP(vreinterpretq_u8_u32(vdupq_n_u32(bits[0])));
      const int8x16_t va1 = Q8N_FLIP(vreinterpretq_u8_u32(vdupq_n_u32(bits[1])));
      const int8x16_t va2 = Q8N_FLIP(vreinterpretq_u8_u32(vdupq_n_u32(bits[2])));
      const int8x16_t va3 = Q8N_FLIP(vreinterpretq_u8_u32(vdupq_n_u32(bits[3])));
      Q8N_SDOT_GROUP(0)
    }
  }

  const float* scale = (const float*)wp;
  const float32x4_t vmin = vdupq_n_f32(params->min_less_zero_point);
  const float32x4_t vmax = vdupq_n_f32(params->max_less_zero_point);
  const int32x4_t vzp = vdupq_n_s32(params->zero_point);
  const float32x4_t s0 = vld1q_f32(scale), s1 = vld1q_f32(scale + 4);
  const float32x4_t s2 = vld1q_f32(scale + 8), s3 = vld1q_f32(scale + 12);
  uint8_t bytes[4][16];
#define Q8N_ROW_BYTES(R)                                                                    \
  vst1_u8(bytes[R], q8n_narrow8(q8n_requantize(acc##R##0, s0, vmin, vmax, vzp),             \
                                q8n_requantize(acc##R##1, s1, vmin, vmax, vzp)));           \
  vst1_u8(bytes[R] + 8, q8n_narrow8(q8n_requantize(acc##R##2, s2, vmin, vmax, vzp),         \
                                    q8n_requantize(acc##R##3, s3, vmin, vmax, vzp)));
  Q8N_ROW_BYTES(0) Q8N_ROW_BYTES(1) Q8N_ROW_BYTES(2) Q8N_ROW_BYTES(3)
#undef Q8N_ROW_BYTES
  uint8_t* out[4];
  out[0] = c;
  for (int r = 1; r < 4; r++) out[r] = (size_t)r < mr ? out[r - 1] + c_stride : out[r - 1];
  const size_t n = nc < 16 ? nc : 16;
  // Highest row first: an aliased row then rewrites the same bytes the valid row computed.
  for (int r = 3; r >= 0; r--) q8n_store(out[r], bytes[r], n, 16);
}

Q8N_DOT_TARGET void q8_gemm_4x16c4__neondot(size_t mr, size_t nc, size_t kc, const uint8_t* a, size_t a_stride,
                                            const void* w, uint8_t* c, size_t c_stride,
                                            const q8_requant_params* params) {
  const uint8_t* rows[4];
  for (int r = 0; r < 4; r++) rows[r] = a + (size_t)r * a_stride;
  q8n_igemm_4x16c4_core(mr, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
}

Q8N_DOT_TARGET void q8_igemm_4x16c4__neondot(size_t mr, size_t nc, size_t kc, size_t ks,
                                             const uint8_t* const* indirection, size_t indirection_stride,
                                             size_t a_offset, const void* w, uint8_t* c, size_t c_stride,
                                             const q8_requant_params* params) {
  q8n_igemm_4x16c4_core(mr, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params);
}
#endif
