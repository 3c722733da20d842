// fp32 GEMM microkernels with an MR x NR register tile of accumulators over packed weights.
// One body per ISA, instantiated for the full tile and for a single row (fully connected
// layers and the last row of small matrices), so the row count is a compile-time constant
// and the accumulators live in registers.
#include "f32_kernels.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>

// AVX2 + FMA: NR = 16 is two ymm registers; 6 rows give 12 accumulators, leaving room for two
// weight vectors and a broadcast within the 16 ymm registers.
#define F32_GEMM_AVX2(NAME, MR)                                                                    \
  __attribute__((target("avx2,fma"))) void NAME(size_t mr, size_t nc, size_t kc, const float* a,  \
                                                size_t a_stride, const float* w, float* c,        \
                                                size_t c_stride, float min, float max) {          \
    const float* ap[MR];                                                                           \
    float* cp[MR];                                                                                 \
    ap[0] = a;                                                                                     \
    cp[0] = c;                                                                                     \
    _Pragma("unroll") for (int i = 1; i < MR; i++) {                                               \
      ap[i] = (size_t)i < mr ? ap[i - 1] + a_stride : ap[i - 1];                                   \
      cp[i] = (size_t)i < mr ? cp[i - 1] + c_stride : cp[i - 1];                                   \
    }                                                                                              \
    const __m256 vmin = _mm256_set1_ps(min);                                                       \
    const __m256 vmax = _mm256_set1_ps(max);                                                       \
    for (;;) {                                                                                     \
      __m256 acc0[MR], acc1[MR];                                                                   \
      const __m256 b0 = _mm256_loadu_ps(w), b1 = _mm256_loadu_ps(w + 8);                           \
      _Pragma("unroll") for (int i = 0; i < MR; i++) { acc0[i] = b0; acc1[i] = b1; }               \
      w += 16;                                                                                     \
      for (size_t k = 0; k < kc; k++) {                                                            \
        const __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);                         \
        w += 16;                                                                                   \
        _Pragma("unroll") for (int i = 0; i < MR; i++) {                                           \
          const __m256 va = _mm256_broadcast_ss(ap[i] + k);                                        \
          acc0[i] = _mm256_fmadd_ps(va, w0, acc0[i]);                                              \
          acc1[i] = _mm256_fmadd_ps(va, w1, acc1[i]);                                              \
        }                                                                                          \
      }                                                                                            \
      _Pragma("unroll") for (int i = 0; i < MR; i++) {                                             \
        acc0[i] = _mm256_min_ps(_mm256_max_ps(acc0[i], vmin), vmax);                               \
        acc1[i] = _mm256_min_ps(_mm256_max_ps(acc1[i], vmin), vmax);                               \
      }                                                                                            \
      if (nc >= 16) {                                                                              \
        /* Rows are stored last to first so an aliased row rewrites the value of the row  */       \
        /* it aliases with the same bits. */                                                       \
        _Pragma("unroll") for (int i = MR - 1; i >= 0; i--) {                                      \
          _mm256_storeu_ps(cp[i], acc0[i]);                                                        \
          _mm256_storeu_ps(cp[i] + 8, acc1[i]);                                                    \
          cp[i] += 16;                                                                             \
        }                                                                                          \
        nc -= 16;                                                                                  \
        if (nc == 0) return;                                                                       \
      } else {                                                                                     \
        float tmp[16];                                                                             \
        _Pragma("unroll") for (int i = MR - 1; i >= 0; i--) {                                      \
          _mm256_storeu_ps(tmp, acc0[i]);                                                          \
          _mm256_storeu_ps(tmp + 8, acc1[i]);                                                      \
          memcpy(cp[i], tmp, nc * sizeof(float));                                                  \
        }                                                                                          \
        return;                                                                                    \
      }                                                                                            \
    }                                                                                              \
  }

F32_GEMM_AVX2(f32_gemm_minmax_ukernel_6x16__avx2_fma, 6)
F32_GEMM_AVX2(f32_gemm_minmax_ukernel_1x16__avx2_fma, 1)

// AVX-512F: NR = 32 is two zmm registers; 7 rows give 14 accumulators. On cores that split
// 512-bit operations in two (Zen 4) the FMA rate equals AVX2's, but the 32 registers allow a
// taller tile, so fewer loads per FMA.
#define F32_GEMM_AVX512(NAME, MR)                                                                  \
  __attribute__((target("avx512f"))) void NAME(size_t mr, size_t nc, size_t kc, const float* a,   \
                                               size_t a_stride, const float* w, float* c,         \
                                               size_t c_stride, float min, float max) {           \
    const float* ap[MR];                                                                           \
    float* cp[MR];                                                                                 \
    ap[0] = a;                                                                                     \
    cp[0] = c;                                                                                     \
    _Pragma("unroll") for (int i = 1; i < MR; i++) {                                               \
      ap[i] = (size_t)i < mr ? ap[i - 1] + a_stride : ap[i - 1];                                   \
      cp[i] = (size_t)i < mr ? cp[i - 1] + c_stride : cp[i - 1];                                   \
    }                                                                                              \
    const __m512 vmin = _mm512_set1_ps(min);                                                       \
    const __m512 vmax = _mm512_set1_ps(max);                                                       \
    for (;;) {                                                                                     \
      __m512 acc0[MR], acc1[MR];                                                                   \
      const __m512 b0 = _mm512_loadu_ps(w), b1 = _mm512_loadu_ps(w + 16);                          \
      _Pragma("unroll") for (int i = 0; i < MR; i++) { acc0[i] = b0; acc1[i] = b1; }               \
      w += 32;                                                                                     \
      for (size_t k = 0; k < kc; k++) {                                                            \
        const __m512 w0 = _mm512_loadu_ps(w), w1 = _mm512_loadu_ps(w + 16);                        \
        w += 32;                                                                                   \
        _Pragma("unroll") for (int i = 0; i < MR; i++) {                                           \
          const __m512 va = _mm512_set1_ps(ap[i][k]);                                              \
          acc0[i] = _mm512_fmadd_ps(va, w0, acc0[i]);                                              \
          acc1[i] = _mm512_fmadd_ps(va, w1, acc1[i]);                                              \
        }                                                                                          \
      }                                                                                            \
      _Pragma("unroll") for (int i = 0; i < MR; i++) {                                             \
        acc0[i] = _mm512_min_ps(_mm512_max_ps(acc0[i], vmin), vmax);                               \
        acc1[i] = _mm512_min_ps(_mm512_max_ps(acc1[i], vmin), vmax);                               \
      }                                                                                            \
      if (nc >= 32) {                                                                              \
        _Pragma("unroll") for (int i = MR - 1; i >= 0; i--) {                                      \
          _mm512_storeu_ps(cp[i], acc0[i]);                                                        \
          _mm512_storeu_ps(cp[i] + 16, acc1[i]);                                                   \
          cp[i] += 32;                                                                             \
        }                                                                                          \
        nc -= 32;                                                                                  \
        if (nc == 0) return;                                                                       \
      } else {                                                                                     \
        const __mmask16 m0 = nc >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nc) - 1);          \
        const __mmask16 m1 = nc > 16 ? (__mmask16)((1u << (nc - 16)) - 1) : (__mmask16)0;          \
        _Pragma("unroll") for (int i = MR - 1; i >= 0; i--) {                                      \
          _mm512_mask_storeu_ps(cp[i], m0, acc0[i]);                                               \
          _mm512_mask_storeu_ps(cp[i] + 16, m1, acc1[i]);                                          \
        }                                                                                          \
        return;                                                                                    \
      }                                                                                            \
    }                                                                                              \
  }

F32_GEMM_AVX512(f32_gemm_minmax_ukernel_7x32__avx512f, 7)
F32_GEMM_AVX512(f32_gemm_minmax_ukernel_1x32__avx512f, 1)
#endif
