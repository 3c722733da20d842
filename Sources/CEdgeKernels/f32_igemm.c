// fp32 indirect GEMM (implicit-GEMM convolution) microkernels: the MR x NR register tile of
// f32_gemm.c, with each row of A given as `ks` pointers to runs of `kc` floats instead of
// one contiguous row. A convolution passes, per output pixel, one pointer per kernel row
// (kW*inC contiguous NHWC floats, or a zero run for padding), so no patch of the input is
// copied except at the left and right edges, where the caller builds the run.
#include "f32_kernels.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>

// AVX2 + FMA, 6x16: the register budget of f32_gemm_minmax_ukernel_6x16__avx2_fma.
__attribute__((target("avx2,fma"), always_inline)) static inline void f32_igemm_6x16__avx2_fma(
    size_t mr, size_t nc, size_t kc, size_t ks, const float** a, const float* w, float* c, size_t c_stride,
    float min, float max) {
  enum { MR = 6 };
  float* cp[MR];
  cp[0] = c;
  for (int i = 1; i < MR; i++) cp[i] = (size_t)i < mr ? cp[i - 1] + c_stride : cp[i - 1];
  const __m256 vmin = _mm256_set1_ps(min), vmax = _mm256_set1_ps(max);
  for (;;) {
    __m256 acc0[MR], acc1[MR];
    const __m256 b0 = _mm256_loadu_ps(w), b1 = _mm256_loadu_ps(w + 8);
    _Pragma("unroll") for (int i = 0; i < MR; i++) { acc0[i] = b0; acc1[i] = b1; }
    w += 16;
    for (size_t p = 0; p < ks; p++) {
      const float* ap[MR];
      _Pragma("unroll") for (int i = 0; i < MR; i++) ap[i] = a[p * MR + i];
      for (size_t k = 0; k < kc; k++) {
        const __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);
        w += 16;
        _Pragma("unroll") for (int i = 0; i < MR; i++) {
          const __m256 va = _mm256_broadcast_ss(ap[i] + k);
          acc0[i] = _mm256_fmadd_ps(va, w0, acc0[i]);
          acc1[i] = _mm256_fmadd_ps(va, w1, acc1[i]);
        }
      }
    }
    _Pragma("unroll") for (int i = 0; i < MR; i++) {
      acc0[i] = _mm256_min_ps(_mm256_max_ps(acc0[i], vmin), vmax);
      acc1[i] = _mm256_min_ps(_mm256_max_ps(acc1[i], vmin), vmax);
    }
    if (nc >= 16) {
      // Last row first: an aliased row rewrites its twin with the same bits.
      _Pragma("unroll") for (int i = MR - 1; i >= 0; i--) {
        _mm256_storeu_ps(cp[i], acc0[i]);
        _mm256_storeu_ps(cp[i] + 8, acc1[i]);
        cp[i] += 16;
      }
      nc -= 16;
      if (nc == 0) return;
    } else {
      float tmp[16];
      _Pragma("unroll") for (int i = MR - 1; i >= 0; i--) {
        _mm256_storeu_ps(tmp, acc0[i]);
        _mm256_storeu_ps(tmp + 8, acc1[i]);
        memcpy(cp[i], tmp, nc * sizeof(float));
      }
      return;
    }
  }
}

// kc = 9 (a 3x3 stem on RGB: three pixels of three channels per kernel row) gets its own
// copy with the k loop unrolled: at 9 steps the loop's own overhead is a tenth of the work.
__attribute__((target("avx2,fma"))) void f32_igemm_minmax_ukernel_6x16__avx2_fma(
    size_t mr, size_t nc, size_t kc, size_t ks, const float** a, const float* w, float* c, size_t c_stride,
    float min, float max) {
  if (kc == 9) {
    f32_igemm_6x16__avx2_fma(mr, nc, 9, ks, a, w, c, c_stride, min, max);
  } else {
    f32_igemm_6x16__avx2_fma(mr, nc, kc, ks, a, w, c, c_stride, min, max);
  }
}

// AVX-512F, 7x32: the register budget of f32_gemm_minmax_ukernel_7x32__avx512f.
__attribute__((target("avx512f"))) void f32_igemm_minmax_ukernel_7x32__avx512f(
    size_t mr, size_t nc, size_t kc, size_t ks, const float** a, const float* w, float* c, size_t c_stride,
    float min, float max) {
  enum { MR = 7 };
  float* cp[MR];
  cp[0] = c;
  for (int i = 1; i < MR; i++) cp[i] = (size_t)i < mr ? cp[i - 1] + c_stride : cp[i - 1];
  const __m512 vmin = _mm512_set1_ps(min), vmax = _mm512_set1_ps(max);
  for (;;) {
    __m512 acc0[MR], acc1[MR];
    const __m512 b0 = _mm512_loadu_ps(w), b1 = _mm512_loadu_ps(w + 16);
    _Pragma("unroll") for (int i = 0; i < MR; i++) { acc0[i] = b0; acc1[i] = b1; }
    w += 32;
    for (size_t p = 0; p < ks; p++) {
      const float* ap[MR];
      _Pragma("unroll") for (int i = 0; i < MR; i++) ap[i] = a[p * MR + i];
      for (size_t k = 0; k < kc; k++) {
        const __m512 w0 = _mm512_loadu_ps(w), w1 = _mm512_loadu_ps(w + 16);
        w += 32;
        _Pragma("unroll") for (int i = 0; i < MR; i++) {
          const __m512 va = _mm512_set1_ps(ap[i][k]);
          acc0[i] = _mm512_fmadd_ps(va, w0, acc0[i]);
          acc1[i] = _mm512_fmadd_ps(va, w1, acc1[i]);
        }
      }
    }
    _Pragma("unroll") for (int i = 0; i < MR; i++) {
      acc0[i] = _mm512_min_ps(_mm512_max_ps(acc0[i], vmin), vmax);
      acc1[i] = _mm512_min_ps(_mm512_max_ps(acc1[i], vmin), vmax);
    }
    if (nc >= 32) {
      _Pragma("unroll") for (int i = MR - 1; i >= 0; i--) {
        _mm512_storeu_ps(cp[i], acc0[i]);
        _mm512_storeu_ps(cp[i] + 16, acc1[i]);
        cp[i] += 32;
      }
      nc -= 32;
      if (nc == 0) return;
    } else {
      const __mmask16 m0 = nc >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nc) - 1);
      const __mmask16 m1 = nc > 16 ? (__mmask16)((1u << (nc - 16)) - 1) : (__mmask16)0;
      _Pragma("unroll") for (int i = MR - 1; i >= 0; i--) {
        _mm512_mask_storeu_ps(cp[i], m0, acc0[i]);
        _mm512_mask_storeu_ps(cp[i] + 16, m1, acc1[i]);
      }
      return;
    }
  }
}
#endif
