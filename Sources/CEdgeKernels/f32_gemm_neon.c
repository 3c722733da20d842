// fp32 GEMM microkernels for 64-bit ARM with fused multiply-add (every ARMv8.0 core has it):
// an MR x 8 register tile over packed weights, instantiated for 6 rows and for one row, as the
// x86 families are (see f32_gemm.c). Each output is bias + Σ a·w fused in ascending K order.
#include "f32_kernels.h"
#include <string.h>

#include "edge_mca.h"

#if defined(__aarch64__)
#include <arm_neon.h>

// One K step of every row by lane L of the rows' four loaded activations.
#define F32N_LANE_STEP(MR, L)                                                                      \
  {                                                                                                \
    const float32x4_t w0 = vld1q_f32(w), w1 = vld1q_f32(w + 4);                                    \
    w += 8;                                                                                        \
    for (int i = 0; i < MR; i++) {                                                                 \
      acc0[i] = vfmaq_laneq_f32(acc0[i], w0, va[i], L);                                            \
      acc1[i] = vfmaq_laneq_f32(acc1[i], w1, va[i], L);                                            \
    }                                                                                              \
  }

// K in fours, compiled freely: four loaded activations per row feed the FMAs by lane, a
// quarter of the loads of a broadcast per value.
#define F32N_K4_LANES(MR)                                                                          \
  for (; k + 4 <= kc; k += 4) {                                                                    \
    float32x4_t va[MR];                                                                            \
    for (int i = 0; i < MR; i++) {                                                                 \
      va[i] = vld1q_f32(ak[i]);                                                                    \
      ak[i] += 4;                                                                                  \
    }                                                                                              \
    F32N_LANE_STEP(MR, 0) F32N_LANE_STEP(MR, 1) F32N_LANE_STEP(MR, 2) F32N_LANE_STEP(MR, 3)        \
  }

// K in fours for six rows, scheduled by hand (f32n_6x8_loop).
#define F32N_K4_6X8_ASM(MR)                                                                        \
  if (kc >= 4) {                                                                                   \
    float32x4_t acc[12];                                                                           \
    for (int i = 0; i < 6; i++) { acc[2 * i] = acc0[i]; acc[2 * i + 1] = acc1[i]; }                \
    f32n_6x8_loop(acc, ak, &w, kc / 4);                                                            \
    for (int i = 0; i < 6; i++) { acc0[i] = acc[2 * i]; acc1[i] = acc[2 * i + 1]; }                \
    k = kc & ~(size_t)3;                                                                           \
  }

// The 6-row K loop in a fixed order, which a compiler's scheduler does not keep: every load of
// a pass first, then its 48 FMAs. An in-order core (Cortex-A53/A55) issues in program order
// and writes results back in order, so a load placed after an FMA waits for that FMA's long
// latency; one group of loads a pass pays that wait once, where loads spread among the FMAs
// (as compiled from intrinsics) pay it for each. Single 128-bit loads, not pairs: the A55
// issues a pair of q registers over several cycles. FMAs stay in ascending K order for every
// output, as the reference requires. The whole loop is one asm statement because the twelve
// accumulators as operands would exceed GCC's limit of 30; they live in v8-v15 and v22-v25
// and pass through `acc` (acc0 then acc1 of each row). Activations in v0-v5, weights in v6,
// v7, v16-v21. Runs `passes` >= 1 passes of four K values.
#define F32N_FMA_K(W0, W1, L)                                                                      \
  "fmla v8.4s, " W0 ".4s, v0.s[" L "]\n\t"                                                         \
  "fmla v9.4s, " W1 ".4s, v0.s[" L "]\n\t"                                                         \
  "fmla v10.4s, " W0 ".4s, v1.s[" L "]\n\t"                                                        \
  "fmla v11.4s, " W1 ".4s, v1.s[" L "]\n\t"                                                        \
  "fmla v12.4s, " W0 ".4s, v2.s[" L "]\n\t"                                                        \
  "fmla v13.4s, " W1 ".4s, v2.s[" L "]\n\t"                                                        \
  "fmla v14.4s, " W0 ".4s, v3.s[" L "]\n\t"                                                        \
  "fmla v15.4s, " W1 ".4s, v3.s[" L "]\n\t"                                                        \
  "fmla v22.4s, " W0 ".4s, v4.s[" L "]\n\t"                                                        \
  "fmla v23.4s, " W1 ".4s, v4.s[" L "]\n\t"                                                        \
  "fmla v24.4s, " W0 ".4s, v5.s[" L "]\n\t"                                                        \
  "fmla v25.4s, " W1 ".4s, v5.s[" L "]\n\t"

static inline __attribute__((always_inline)) void f32n_6x8_loop(float32x4_t acc[12], const float* ak[6],
                                                                const float** wp, size_t passes) {
  const float *a0 = ak[0], *a1 = ak[1], *a2 = ak[2], *a3 = ak[3], *a4 = ak[4], *a5 = ak[5];
  const float* w = *wp;
  __asm__ volatile(
      "ldp q8, q9, [%[acc]]\n\t"
      "ldp q10, q11, [%[acc], #32]\n\t"
      "ldp q12, q13, [%[acc], #64]\n\t"
      "ldp q14, q15, [%[acc], #96]\n\t"
      "ldp q22, q23, [%[acc], #128]\n\t"
      "ldp q24, q25, [%[acc], #160]\n\t"
      "0:\n\t"
      EDGE_MCA_ASM_BEGIN("f32_gemm_minmax_ukernel_6x8__neonfma")
      "ldr q6, [%[w]]\n\t"
      "ldr q7, [%[w], #16]\n\t"
      "ldr q0, [%[a0]]\n\t"
      "add %[a0], %[a0], #16\n\t"
      "ldr q1, [%[a1]]\n\t"
      "add %[a1], %[a1], #16\n\t"
      "ldr q2, [%[a2]]\n\t"
      "add %[a2], %[a2], #16\n\t"
      "ldr q3, [%[a3]]\n\t"
      "add %[a3], %[a3], #16\n\t"
      "ldr q4, [%[a4]]\n\t"
      "add %[a4], %[a4], #16\n\t"
      "ldr q5, [%[a5]]\n\t"
      "add %[a5], %[a5], #16\n\t"
      "ldr q16, [%[w], #32]\n\t"
      "ldr q17, [%[w], #48]\n\t"
      "ldr q18, [%[w], #64]\n\t"
      "ldr q19, [%[w], #80]\n\t"
      "ldr q20, [%[w], #96]\n\t"
      "ldr q21, [%[w], #112]\n\t"
      "add %[w], %[w], #128\n\t"
      "subs %[n], %[n], #1\n\t"
      F32N_FMA_K("v6", "v7", "0")
      F32N_FMA_K("v16", "v17", "1")
      F32N_FMA_K("v18", "v19", "2")
      F32N_FMA_K("v20", "v21", "3")
      "b.ne 0b\n\t"
      EDGE_MCA_ASM_END("f32_gemm_minmax_ukernel_6x8__neonfma")
      "stp q8, q9, [%[acc]]\n\t"
      "stp q10, q11, [%[acc], #32]\n\t"
      "stp q12, q13, [%[acc], #64]\n\t"
      "stp q14, q15, [%[acc], #96]\n\t"
      "stp q22, q23, [%[acc], #128]\n\t"
      "stp q24, q25, [%[acc], #160]\n\t"
      : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [a4] "+r"(a4), [a5] "+r"(a5),
        [w] "+r"(w), [n] "+r"(passes)
      : [acc] "r"(acc)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13",
        "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25");
  ak[0] = a0; ak[1] = a1; ak[2] = a2; ak[3] = a3; ak[4] = a4; ak[5] = a5;
  *wp = w;
}

// NR = 8 is two q registers; 6 rows give 12 accumulators, 6 more hold four K values of each
// row, leaving room for the weights within the 32 registers. K4LOOP runs the K values in
// fours, advancing k, ak and w.
#define F32_GEMM_NEONFMA(NAME, MR, K4LOOP)                                                         \
  void NAME(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,      \
            float* c, size_t c_stride, float min, float max) {                                    \
    const float* ap[MR];                                                                           \
    float* cp[MR];                                                                                 \
    ap[0] = a;                                                                                     \
    cp[0] = c;                                                                                     \
    for (int i = 1; i < MR; i++) {                                                                 \
      ap[i] = (size_t)i < mr ? ap[i - 1] + a_stride : ap[i - 1];                                   \
      cp[i] = (size_t)i < mr ? cp[i - 1] + c_stride : cp[i - 1];                                   \
    }                                                                                              \
    const float32x4_t vmin = vdupq_n_f32(min);                                                     \
    const float32x4_t vmax = vdupq_n_f32(max);                                                     \
    for (;;) {                                                                                     \
      float32x4_t acc0[MR], acc1[MR];                                                              \
      const float32x4_t b0 = vld1q_f32(w), b1 = vld1q_f32(w + 4);                                  \
      for (int i = 0; i < MR; i++) { acc0[i] = b0; acc1[i] = b1; }                                 \
      w += 8;                                                                                      \
      const float* ak[MR];                                                                         \
      for (int i = 0; i < MR; i++) ak[i] = ap[i];                                                  \
      size_t k = 0;                                                                                \
      K4LOOP(MR)                                                                                   \
      for (; k < kc; k++) {                                                                        \
        const float32x4_t w0 = vld1q_f32(w), w1 = vld1q_f32(w + 4);                                \
        w += 8;                                                                                    \
        for (int i = 0; i < MR; i++) {                                                             \
          const float32x4_t va = vld1q_dup_f32(ak[i]++);                                           \
          acc0[i] = vfmaq_f32(acc0[i], va, w0);                                                    \
          acc1[i] = vfmaq_f32(acc1[i], va, w1);                                                    \
        }                                                                                          \
      }                                                                                            \
      for (int i = 0; i < MR; i++) {                                                               \
        acc0[i] = vminq_f32(vmaxq_f32(acc0[i], vmin), vmax);                                       \
        acc1[i] = vminq_f32(vmaxq_f32(acc1[i], vmin), vmax);                                       \
      }                                                                                            \
      if (nc >= 8) {                                                                               \
        /* Rows are stored last to first so an aliased row rewrites its row's bits. */             \
        for (int i = MR - 1; i >= 0; i--) {                                                        \
          vst1q_f32(cp[i], acc0[i]);                                                               \
          vst1q_f32(cp[i] + 4, acc1[i]);                                                           \
          cp[i] += 8;                                                                              \
        }                                                                                          \
        nc -= 8;                                                                                   \
        if (nc == 0) return;                                                                       \
      } else {                                                                                     \
        float tmp[8];                                                                              \
        for (int i = MR - 1; i >= 0; i--) {                                                        \
          vst1q_f32(tmp, acc0[i]);                                                                 \
          vst1q_f32(tmp + 4, acc1[i]);                                                             \
          memcpy(cp[i], tmp, nc * sizeof(float));                                                  \
        }                                                                                          \
        return;                                                                                    \
      }                                                                                            \
    }                                                                                              \
  }

F32_GEMM_NEONFMA(f32_gemm_minmax_ukernel_6x8__neonfma, 6, F32N_K4_6X8_ASM)
F32_GEMM_NEONFMA(f32_gemm_minmax_ukernel_1x8__neonfma, 1, F32N_K4_LANES)
#endif
