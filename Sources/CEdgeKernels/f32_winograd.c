// Winograd F(6x6, 3x3) tile transforms with AVX-512F (16 channels per vector) and AVX2+FMA (8). The batched
// products between them run on the GEMM microkernel; see FConvolution+Winograd.swift for the
// matrices (interpolation points 0, ±1, ±2, ±1/2, ∞).
#include "f32_kernels.h"
#if defined(__x86_64__)
#include <immintrin.h>

// r = B^T d for one column or row of 8 values.
__attribute__((target("avx512f"))) static inline void f32_wt_in_1d(const __m512* d, size_t s, __m512* r, size_t rs) {
  const __m512 d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s];
  const __m512 d4 = d[4 * s], d5 = d[5 * s], d6 = d[6 * s], d7 = d[7 * s];
  const __m512 c525 = _mm512_set1_ps(5.25f), c425 = _mm512_set1_ps(4.25f);
  const __m512 c025 = _mm512_set1_ps(0.25f), c125 = _mm512_set1_ps(1.25f);
  const __m512 c05 = _mm512_set1_ps(0.5f), c25 = _mm512_set1_ps(2.5f);
  const __m512 c2 = _mm512_set1_ps(2.0f), c4 = _mm512_set1_ps(4.0f), c5 = _mm512_set1_ps(5.0f);
  r[0] = _mm512_fmadd_ps(c525, _mm512_sub_ps(d4, d2), _mm512_sub_ps(d0, d6));
  r[7 * rs] = _mm512_fmadd_ps(c525, _mm512_sub_ps(d3, d5), _mm512_sub_ps(d7, d1));
  const __m512 e1 = _mm512_fnmadd_ps(c425, d4, _mm512_add_ps(d2, d6));
  const __m512 o1 = _mm512_fnmadd_ps(c425, d3, _mm512_add_ps(d1, d5));
  r[1 * rs] = _mm512_add_ps(e1, o1);
  r[2 * rs] = _mm512_sub_ps(e1, o1);
  const __m512 e2 = _mm512_fnmadd_ps(c125, d4, _mm512_fmadd_ps(c025, d2, d6));
  const __m512 o2 = _mm512_fmadd_ps(c2, d5, _mm512_fnmadd_ps(c25, d3, _mm512_mul_ps(c05, d1)));
  r[3 * rs] = _mm512_add_ps(e2, o2);
  r[4 * rs] = _mm512_sub_ps(e2, o2);
  const __m512 e3 = _mm512_fnmadd_ps(c5, d4, _mm512_fmadd_ps(c4, d2, d6));
  const __m512 o3 = _mm512_fmadd_ps(c05, d5, _mm512_fnmadd_ps(c25, d3, _mm512_mul_ps(c2, d1)));
  r[5 * rs] = _mm512_add_ps(e3, o3);
  r[6 * rs] = _mm512_sub_ps(e3, o3);
}

// r = A^T m for one column or row of 8 values (6 results).
__attribute__((target("avx512f"))) static inline void f32_wt_out_1d(const __m512* m, size_t s, __m512* r, size_t rs) {
  const __m512 m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s];
  const __m512 m4 = m[4 * s], m5 = m[5 * s], m6 = m[6 * s], m7 = m[7 * s];
  const __m512 e1 = _mm512_add_ps(m1, m2), o1 = _mm512_sub_ps(m1, m2);
  const __m512 e2 = _mm512_add_ps(m3, m4), o2 = _mm512_sub_ps(m3, m4);
  const __m512 e3 = _mm512_add_ps(m5, m6), o3 = _mm512_sub_ps(m5, m6);
  r[0] = _mm512_add_ps(_mm512_add_ps(m0, e1), _mm512_add_ps(e2, e3));
  r[1 * rs] = _mm512_fmadd_ps(_mm512_set1_ps(2.0f), o2, _mm512_fmadd_ps(_mm512_set1_ps(0.5f), o3, o1));
  r[2 * rs] = _mm512_fmadd_ps(_mm512_set1_ps(4.0f), e2, _mm512_fmadd_ps(_mm512_set1_ps(0.25f), e3, e1));
  r[3 * rs] = _mm512_fmadd_ps(_mm512_set1_ps(8.0f), o2, _mm512_fmadd_ps(_mm512_set1_ps(0.125f), o3, o1));
  r[4 * rs] = _mm512_fmadd_ps(_mm512_set1_ps(16.0f), e2, _mm512_fmadd_ps(_mm512_set1_ps(0.0625f), e3, e1));
  r[5 * rs] = _mm512_add_ps(_mm512_fmadd_ps(_mm512_set1_ps(32.0f), o2, _mm512_fmadd_ps(_mm512_set1_ps(0.03125f), o3, o1)), m7);
}

__attribute__((target("avx512f"))) void f32_winograd6x6_input_tile__avx512f(
    const float* input, size_t height, size_t width, size_t channels, ptrdiff_t iy0, ptrdiff_t ix0,
    float* dst, size_t pos_stride) {
  __m512 t[64];
  for (size_t c = 0; c < channels; c += 16) {
    const size_t n = channels - c < 16 ? channels - c : 16;
    const __mmask16 mask = (__mmask16)((1u << n) - 1);
    for (size_t a = 0; a < 8; a++) {
      const ptrdiff_t iy = iy0 + (ptrdiff_t)a;
      __m512* row = t + 8 * a;
      if (iy < 0 || iy >= (ptrdiff_t)height) {
        for (size_t j = 0; j < 8; j++) row[j] = _mm512_setzero_ps();
        continue;
      }
      __m512 d[8];
      for (size_t b = 0; b < 8; b++) {
        const ptrdiff_t ix = ix0 + (ptrdiff_t)b;
        d[b] = ix >= 0 && ix < (ptrdiff_t)width
                   ? _mm512_maskz_loadu_ps(mask, input + ((size_t)iy * width + (size_t)ix) * channels + c)
                   : _mm512_setzero_ps();
      }
      f32_wt_in_1d(d, 1, row, 1);
    }
    for (size_t j = 0; j < 8; j++) {
      __m512 r[8];
      f32_wt_in_1d(t + j, 8, r, 1);
      for (size_t i = 0; i < 8; i++) _mm512_mask_storeu_ps(dst + (i * 8 + j) * pos_stride + c, mask, r[i]);
    }
  }
}

__attribute__((target("avx512f"))) void f32_winograd6x6_output_tile__avx512f(
    const float* m, size_t pos_stride, size_t channels, const float* bias, float* output, size_t out_h,
    size_t out_w, size_t out_c, size_t oy0, size_t ox0, float min, float max) {
  const __m512 vmin = _mm512_set1_ps(min), vmax = _mm512_set1_ps(max);
  const size_t rows = out_h - oy0 < 6 ? out_h - oy0 : 6;
  const size_t cols = out_w - ox0 < 6 ? out_w - ox0 : 6;
  __m512 t[48];
  for (size_t c = 0; c < channels; c += 16) {
    const size_t n = channels - c < 16 ? channels - c : 16;
    const __mmask16 mask = (__mmask16)((1u << n) - 1);
    for (size_t i = 0; i < 8; i++) {
      __m512 v[8];
      for (size_t j = 0; j < 8; j++) v[j] = _mm512_maskz_loadu_ps(mask, m + (i * 8 + j) * pos_stride + c);
      f32_wt_out_1d(v, 1, t + 6 * i, 1);
    }
    const __m512 vb = _mm512_maskz_loadu_ps(mask, bias + c);
    for (size_t s = 0; s < cols; s++) {
      __m512 y[6];
      f32_wt_out_1d(t + s, 6, y, 1);
      float* o = output + (oy0 * out_w + ox0 + s) * out_c + c;
      for (size_t r = 0; r < rows; r++) {
        const __m512 v = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(y[r], vb), vmin), vmax);
        _mm512_mask_storeu_ps(o + r * out_w * out_c, mask, v);
      }
    }
  }
}

// Lane masks for the last, partial channel block: 8 - n leading entries selected.
static const int f32_wt_mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

// AVX2 + FMA: the same transforms, 8 channels per vector.
// r = B^T d for one column or row of 8 values.
__attribute__((target("avx2,fma"))) static inline void f32_wt_in_1d_avx2(const __m256* d, size_t s, __m256* r, size_t rs) {
  const __m256 d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s];
  const __m256 d4 = d[4 * s], d5 = d[5 * s], d6 = d[6 * s], d7 = d[7 * s];
  const __m256 c525 = _mm256_set1_ps(5.25f), c425 = _mm256_set1_ps(4.25f);
  const __m256 c025 = _mm256_set1_ps(0.25f), c125 = _mm256_set1_ps(1.25f);
  const __m256 c05 = _mm256_set1_ps(0.5f), c25 = _mm256_set1_ps(2.5f);
  const __m256 c2 = _mm256_set1_ps(2.0f), c4 = _mm256_set1_ps(4.0f), c5 = _mm256_set1_ps(5.0f);
  r[0] = _mm256_fmadd_ps(c525, _mm256_sub_ps(d4, d2), _mm256_sub_ps(d0, d6));
  r[7 * rs] = _mm256_fmadd_ps(c525, _mm256_sub_ps(d3, d5), _mm256_sub_ps(d7, d1));
  const __m256 e1 = _mm256_fnmadd_ps(c425, d4, _mm256_add_ps(d2, d6));
  const __m256 o1 = _mm256_fnmadd_ps(c425, d3, _mm256_add_ps(d1, d5));
  r[1 * rs] = _mm256_add_ps(e1, o1);
  r[2 * rs] = _mm256_sub_ps(e1, o1);
  const __m256 e2 = _mm256_fnmadd_ps(c125, d4, _mm256_fmadd_ps(c025, d2, d6));
  const __m256 o2 = _mm256_fmadd_ps(c2, d5, _mm256_fnmadd_ps(c25, d3, _mm256_mul_ps(c05, d1)));
  r[3 * rs] = _mm256_add_ps(e2, o2);
  r[4 * rs] = _mm256_sub_ps(e2, o2);
  const __m256 e3 = _mm256_fnmadd_ps(c5, d4, _mm256_fmadd_ps(c4, d2, d6));
  const __m256 o3 = _mm256_fmadd_ps(c05, d5, _mm256_fnmadd_ps(c25, d3, _mm256_mul_ps(c2, d1)));
  r[5 * rs] = _mm256_add_ps(e3, o3);
  r[6 * rs] = _mm256_sub_ps(e3, o3);
}

// r = A^T m for one column or row of 8 values (6 results).
__attribute__((target("avx2,fma"))) static inline void f32_wt_out_1d_avx2(const __m256* m, size_t s, __m256* r, size_t rs) {
  const __m256 m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s];
  const __m256 m4 = m[4 * s], m5 = m[5 * s], m6 = m[6 * s], m7 = m[7 * s];
  const __m256 e1 = _mm256_add_ps(m1, m2), o1 = _mm256_sub_ps(m1, m2);
  const __m256 e2 = _mm256_add_ps(m3, m4), o2 = _mm256_sub_ps(m3, m4);
  const __m256 e3 = _mm256_add_ps(m5, m6), o3 = _mm256_sub_ps(m5, m6);
  r[0] = _mm256_add_ps(_mm256_add_ps(m0, e1), _mm256_add_ps(e2, e3));
  r[1 * rs] = _mm256_fmadd_ps(_mm256_set1_ps(2.0f), o2, _mm256_fmadd_ps(_mm256_set1_ps(0.5f), o3, o1));
  r[2 * rs] = _mm256_fmadd_ps(_mm256_set1_ps(4.0f), e2, _mm256_fmadd_ps(_mm256_set1_ps(0.25f), e3, e1));
  r[3 * rs] = _mm256_fmadd_ps(_mm256_set1_ps(8.0f), o2, _mm256_fmadd_ps(_mm256_set1_ps(0.125f), o3, o1));
  r[4 * rs] = _mm256_fmadd_ps(_mm256_set1_ps(16.0f), e2, _mm256_fmadd_ps(_mm256_set1_ps(0.0625f), e3, e1));
  r[5 * rs] = _mm256_add_ps(_mm256_fmadd_ps(_mm256_set1_ps(32.0f), o2, _mm256_fmadd_ps(_mm256_set1_ps(0.03125f), o3, o1)), m7);
}

__attribute__((target("avx2,fma"))) void f32_winograd6x6_input_tile__avx2_fma(
    const float* input, size_t height, size_t width, size_t channels, ptrdiff_t iy0, ptrdiff_t ix0,
    float* dst, size_t pos_stride) {
  __m256 t[64];
  for (size_t c = 0; c < channels; c += 8) {
    const size_t n = channels - c < 8 ? channels - c : 8;
    const __m256i mask = _mm256_loadu_si256((const __m256i*)&f32_wt_mask_table[8 - n]);
    for (size_t a = 0; a < 8; a++) {
      const ptrdiff_t iy = iy0 + (ptrdiff_t)a;
      __m256* row = t + 8 * a;
      if (iy < 0 || iy >= (ptrdiff_t)height) {
        for (size_t j = 0; j < 8; j++) row[j] = _mm256_setzero_ps();
        continue;
      }
      __m256 d[8];
      for (size_t b = 0; b < 8; b++) {
        const ptrdiff_t ix = ix0 + (ptrdiff_t)b;
        d[b] = ix >= 0 && ix < (ptrdiff_t)width
                   ? _mm256_maskload_ps(input + ((size_t)iy * width + (size_t)ix) * channels + c, mask)
                   : _mm256_setzero_ps();
      }
      f32_wt_in_1d_avx2(d, 1, row, 1);
    }
    for (size_t j = 0; j < 8; j++) {
      __m256 r[8];
      f32_wt_in_1d_avx2(t + j, 8, r, 1);
      for (size_t i = 0; i < 8; i++) _mm256_maskstore_ps(dst + (i * 8 + j) * pos_stride + c, mask, r[i]);
    }
  }
}

__attribute__((target("avx2,fma"))) void f32_winograd6x6_output_tile__avx2_fma(
    const float* m, size_t pos_stride, size_t channels, const float* bias, float* output, size_t out_h,
    size_t out_w, size_t out_c, size_t oy0, size_t ox0, float min, float max) {
  const __m256 vmin = _mm256_set1_ps(min), vmax = _mm256_set1_ps(max);
  const size_t rows = out_h - oy0 < 6 ? out_h - oy0 : 6;
  const size_t cols = out_w - ox0 < 6 ? out_w - ox0 : 6;
  __m256 t[48];
  for (size_t c = 0; c < channels; c += 8) {
    const size_t n = channels - c < 8 ? channels - c : 8;
    const __m256i mask = _mm256_loadu_si256((const __m256i*)&f32_wt_mask_table[8 - n]);
    for (size_t i = 0; i < 8; i++) {
      __m256 v[8];
      for (size_t j = 0; j < 8; j++) v[j] = _mm256_maskload_ps(m + (i * 8 + j) * pos_stride + c, mask);
      f32_wt_out_1d_avx2(v, 1, t + 6 * i, 1);
    }
    const __m256 vb = _mm256_maskload_ps(bias + c, mask);
    for (size_t s = 0; s < cols; s++) {
      __m256 y[6];
      f32_wt_out_1d_avx2(t + s, 6, y, 1);
      float* o = output + (oy0 * out_w + ox0 + s) * out_c + c;
      for (size_t r = 0; r < rows; r++) {
        const __m256 v = _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(y[r], vb), vmin), vmax);
        _mm256_maskstore_ps(o + r * out_w * out_c, mask, v);
      }
    }
  }
}
#endif
