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

// NR = 8 is two q registers; 6 rows give 12 accumulators, 6 more hold four K values of each
// row, leaving room for the weights within the 32 registers.
#define F32_GEMM_NEONFMA(NAME, MR)                                                                 \
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
      size_t k = 0;                                                                                \
      /* Four K values per row load at once and feed the FMAs by lane: a quarter of the loads */  \
      /* of a broadcast per value, which the in-order cores (Cortex-A53/A55) are short of. */     \
      for (; k + 4 <= kc; k += 4) {                                                                \
        EDGE_MCA_BEGIN(#NAME);                                                                     \
        float32x4_t va[MR];                                                                        \
        for (int i = 0; i < MR; i++) va[i] = vld1q_f32(ap[i] + k);                                 \
        F32N_LANE_STEP(MR, 0) F32N_LANE_STEP(MR, 1) F32N_LANE_STEP(MR, 2) F32N_LANE_STEP(MR, 3)    \
        EDGE_MCA_END(#NAME);                                                                       \
      }                                                                                            \
      for (; k < kc; k++) {                                                                        \
        const float32x4_t w0 = vld1q_f32(w), w1 = vld1q_f32(w + 4);                                \
        w += 8;                                                                                    \
        for (int i = 0; i < MR; i++) {                                                             \
          const float32x4_t va = vld1q_dup_f32(ap[i] + k);                                         \
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

F32_GEMM_NEONFMA(f32_gemm_minmax_ukernel_6x8__neonfma, 6)
F32_GEMM_NEONFMA(f32_gemm_minmax_ukernel_1x8__neonfma, 1)
#endif
