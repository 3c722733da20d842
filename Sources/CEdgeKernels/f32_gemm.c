// fp32 GEMM microkernels with an MR x NR register tile of accumulators over packed weights.
// One body per ISA for the full tile, so the row count is a compile-time constant and the
// accumulators live in registers; a single row (fully connected layers, the last row of
// small matrices) has its own kernel at the end.
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
      if (nc > 8) {                                                                                \
        for (size_t k = 0; k < kc; k++) {                                                          \
          const __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);                       \
          w += 16;                                                                                 \
          _Pragma("unroll") for (int i = 0; i < MR; i++) {                                         \
            const __m256 va = _mm256_broadcast_ss(ap[i] + k);                                      \
            acc0[i] = _mm256_fmadd_ps(va, w0, acc0[i]);                                            \
            acc1[i] = _mm256_fmadd_ps(va, w1, acc1[i]);                                            \
          }                                                                                        \
        }                                                                                          \
      } else {                                                                                     \
        /* A last panel of 8 columns or fewer: the upper half would be padding. */                 \
        for (size_t k = 0; k < kc; k++) {                                                          \
          const __m256 w0 = _mm256_loadu_ps(w);                                                    \
          w += 16;                                                                                 \
          _Pragma("unroll") for (int i = 0; i < MR; i++) {                                         \
            acc0[i] = _mm256_fmadd_ps(_mm256_broadcast_ss(ap[i] + k), w0, acc0[i]);                \
          }                                                                                        \
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
// Fewer rows, the same per-row summation: a matrix's rows are dealt out evenly over its tiles
// (49 rows as 4x6 + 5x5, not 8x6 + 1 that costs a whole 6-row tile), bit for bit the same.
F32_GEMM_AVX2(f32_gemm_minmax_ukernel_5x16__avx2_fma, 5)
F32_GEMM_AVX2(f32_gemm_minmax_ukernel_4x16__avx2_fma, 4)
F32_GEMM_AVX2(f32_gemm_minmax_ukernel_3x16__avx2_fma, 3)
F32_GEMM_AVX2(f32_gemm_minmax_ukernel_2x16__avx2_fma, 2)
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
      if (nc > 24) {                                                                               \
        for (size_t k = 0; k < kc; k++) {                                                          \
          const __m512 w0 = _mm512_loadu_ps(w), w1 = _mm512_loadu_ps(w + 16);                      \
          w += 32;                                                                                 \
          _Pragma("unroll") for (int i = 0; i < MR; i++) {                                         \
            const __m512 va = _mm512_set1_ps(ap[i][k]);                                            \
            acc0[i] = _mm512_fmadd_ps(va, w0, acc0[i]);                                            \
            acc1[i] = _mm512_fmadd_ps(va, w1, acc1[i]);                                            \
          }                                                                                        \
        }                                                                                          \
      } else if (nc > 16) {                                                                        \
        /* A last panel of 17 to 24 columns (MobileNet v2's 24-channel projections): the */        \
        /* upper half runs 256 bits wide, which cores that split 512-bit FMAs (Zen 4) issue  */     \
        /* at twice the rate, so a quarter of the tile's FMA work is not spent on padding. */      \
        __m256 acch[MR];                                                                           \
        _Pragma("unroll") for (int i = 0; i < MR; i++) acch[i] = _mm512_castps512_ps256(acc1[i]);  \
        for (size_t k = 0; k < kc; k++) {                                                          \
          const __m512 w0 = _mm512_loadu_ps(w);                                                    \
          const __m256 w1 = _mm256_loadu_ps(w + 16);                                               \
          w += 32;                                                                                 \
          _Pragma("unroll") for (int i = 0; i < MR; i++) {                                         \
            const __m512 va = _mm512_set1_ps(ap[i][k]);                                            \
            acc0[i] = _mm512_fmadd_ps(va, w0, acc0[i]);                                            \
            acch[i] = _mm256_fmadd_ps(_mm512_castps512_ps256(va), w1, acch[i]);                    \
          }                                                                                        \
        }                                                                                          \
        _Pragma("unroll") for (int i = 0; i < MR; i++) acc1[i] = _mm512_zextps256_ps512(acch[i]);  \
      } else {                                                                                     \
        /* A last panel of 16 columns or fewer (MobileNet v2's 16-channel projection is one): */   \
        /* the upper half would be padding, so half the FMAs. */                                   \
        for (size_t k = 0; k < kc; k++) {                                                          \
          const __m512 w0 = _mm512_loadu_ps(w);                                                    \
          w += 32;                                                                                 \
          _Pragma("unroll") for (int i = 0; i < MR; i++) {                                         \
            acc0[i] = _mm512_fmadd_ps(_mm512_set1_ps(ap[i][k]), w0, acc0[i]);                      \
          }                                                                                        \
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
F32_GEMM_AVX512(f32_gemm_minmax_ukernel_6x32__avx512f, 6)
F32_GEMM_AVX512(f32_gemm_minmax_ukernel_5x32__avx512f, 5)
F32_GEMM_AVX512(f32_gemm_minmax_ukernel_4x32__avx512f, 4)
F32_GEMM_AVX512(f32_gemm_minmax_ukernel_3x32__avx512f, 3)
F32_GEMM_AVX512(f32_gemm_minmax_ukernel_2x32__avx512f, 2)
F32_GEMM_AVX512(f32_gemm_minmax_ukernel_1x32__avx512f, 1)

// One row (a fully connected layer at batch 1, the last row of a matrix): with a single row
// the MR-row body has only two accumulators, and each FMA waits for the previous one (four
// cycles), so it ran at a quarter of the rate the weights can stream in. Here the depth is
// split over four accumulator pairs, summed at the end.
#define F32_GEMM_1ROW_ACC4(NAME, TARGET, VEC, NRV, LOAD, SET1, ZERO, FMA, ADD, CLAMP_STORE_TAIL)    \
  __attribute__((target(TARGET))) void NAME(size_t mr, size_t nc, size_t kc, const float* a,       \
                                            size_t a_stride, const float* w, float* c,             \
                                            size_t c_stride, float min, float max) {               \
    (void)mr; (void)a_stride; (void)c_stride;                                                      \
    for (;;) {                                                                                     \
      VEC p0 = LOAD(w), p1 = LOAD(w + NRV);                                                        \
      VEC q0 = ZERO(), q1 = ZERO(), r0 = ZERO(), r1 = ZERO(), s0 = ZERO(), s1 = ZERO();            \
      w += 2 * NRV;                                                                                \
      size_t k = 0;                                                                                \
      for (; k + 4 <= kc; k += 4) {                                                                \
        const VEC v0 = SET1(a[k]), v1 = SET1(a[k + 1]), v2 = SET1(a[k + 2]), v3 = SET1(a[k + 3]);  \
        p0 = FMA(v0, LOAD(w), p0);                                                                 \
        p1 = FMA(v0, LOAD(w + NRV), p1);                                                           \
        q0 = FMA(v1, LOAD(w + 2 * NRV), q0);                                                       \
        q1 = FMA(v1, LOAD(w + 3 * NRV), q1);                                                       \
        r0 = FMA(v2, LOAD(w + 4 * NRV), r0);                                                       \
        r1 = FMA(v2, LOAD(w + 5 * NRV), r1);                                                       \
        s0 = FMA(v3, LOAD(w + 6 * NRV), s0);                                                       \
        s1 = FMA(v3, LOAD(w + 7 * NRV), s1);                                                       \
        w += 8 * NRV;                                                                              \
      }                                                                                            \
      for (; k < kc; k++) {                                                                        \
        const VEC v0 = SET1(a[k]);                                                                 \
        p0 = FMA(v0, LOAD(w), p0);                                                                 \
        p1 = FMA(v0, LOAD(w + NRV), p1);                                                           \
        w += 2 * NRV;                                                                              \
      }                                                                                            \
      p0 = ADD(ADD(p0, q0), ADD(r0, s0));                                                          \
      p1 = ADD(ADD(p1, q1), ADD(r1, s1));                                                          \
      CLAMP_STORE_TAIL                                                                             \
    }                                                                                              \
  }

#define F32_GEMM_1ROW_STORE_AVX512                                                                 \
  const __m512 vmin = _mm512_set1_ps(min), vmax = _mm512_set1_ps(max);                             \
  p0 = _mm512_min_ps(_mm512_max_ps(p0, vmin), vmax);                                               \
  p1 = _mm512_min_ps(_mm512_max_ps(p1, vmin), vmax);                                               \
  if (nc >= 32) {                                                                                  \
    _mm512_storeu_ps(c, p0);                                                                       \
    _mm512_storeu_ps(c + 16, p1);                                                                  \
    c += 32;                                                                                       \
    nc -= 32;                                                                                      \
    if (nc == 0) return;                                                                           \
  } else {                                                                                         \
    const __mmask16 m0 = nc >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nc) - 1);               \
    const __mmask16 m1 = nc > 16 ? (__mmask16)((1u << (nc - 16)) - 1) : (__mmask16)0;               \
    _mm512_mask_storeu_ps(c, m0, p0);                                                              \
    _mm512_mask_storeu_ps(c + 16, m1, p1);                                                         \
    return;                                                                                        \
  }

F32_GEMM_1ROW_ACC4(f32_gemm_minmax_ukernel_1x32__avx512f_acc4, "avx512f", __m512, 16, _mm512_loadu_ps,
                   _mm512_set1_ps, _mm512_setzero_ps, _mm512_fmadd_ps, _mm512_add_ps, F32_GEMM_1ROW_STORE_AVX512)

#define F32_GEMM_1ROW_STORE_AVX2                                                                   \
  const __m256 vmin = _mm256_set1_ps(min), vmax = _mm256_set1_ps(max);                             \
  p0 = _mm256_min_ps(_mm256_max_ps(p0, vmin), vmax);                                               \
  p1 = _mm256_min_ps(_mm256_max_ps(p1, vmin), vmax);                                               \
  if (nc >= 16) {                                                                                  \
    _mm256_storeu_ps(c, p0);                                                                       \
    _mm256_storeu_ps(c + 8, p1);                                                                   \
    c += 16;                                                                                       \
    nc -= 16;                                                                                      \
    if (nc == 0) return;                                                                           \
  } else {                                                                                         \
    float tmp[16];                                                                                 \
    _mm256_storeu_ps(tmp, p0);                                                                     \
    _mm256_storeu_ps(tmp + 8, p1);                                                                 \
    memcpy(c, tmp, nc * sizeof(float));                                                            \
    return;                                                                                        \
  }

F32_GEMM_1ROW_ACC4(f32_gemm_minmax_ukernel_1x16__avx2_fma_acc4, "avx2,fma", __m256, 8, _mm256_loadu_ps,
                   _mm256_set1_ps, _mm256_setzero_ps, _mm256_fmadd_ps, _mm256_add_ps, F32_GEMM_1ROW_STORE_AVX2)
#endif
