// Winograd F(6x6, 3x3) tile transforms for 64-bit ARM with fused multiply-add, 4 channels per
// vector: the same operations, in the same order, as the x86 transforms in f32_winograd.c
// (see FConvolution+Winograd.swift for the matrices). A last, partial channel block goes
// through a zero-padded copy, so no load or store passes the channel count.
#include "f32_kernels.h"
#include <string.h>

#if defined(__aarch64__)
#include <arm_neon.h>

#define F32WN_INLINE static inline __attribute__((always_inline))

// r = B^T d for one column or row of 8 values. vfmsq_f32(c, a, b) is c - a·b, fused.
F32WN_INLINE void f32_wtn_in_1d(const float32x4_t* d, size_t s, float32x4_t* r, size_t rs) {
  const float32x4_t d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s];
  const float32x4_t d4 = d[4 * s], d5 = d[5 * s], d6 = d[6 * s], d7 = d[7 * s];
  const float32x4_t c525 = vdupq_n_f32(5.25f), c425 = vdupq_n_f32(4.25f);
  const float32x4_t c025 = vdupq_n_f32(0.25f), c125 = vdupq_n_f32(1.25f);
  const float32x4_t c05 = vdupq_n_f32(0.5f), c25 = vdupq_n_f32(2.5f);
  const float32x4_t c2 = vdupq_n_f32(2.0f), c4 = vdupq_n_f32(4.0f), c5 = vdupq_n_f32(5.0f);
  r[0] = vfmaq_f32(vsubq_f32(d0, d6), c525, vsubq_f32(d4, d2));
  r[7 * rs] = vfmaq_f32(vsubq_f32(d7, d1), c525, vsubq_f32(d3, d5));
  const float32x4_t e1 = vfmsq_f32(vaddq_f32(d2, d6), c425, d4);
  const float32x4_t o1 = vfmsq_f32(vaddq_f32(d1, d5), c425, d3);
  r[1 * rs] = vaddq_f32(e1, o1);
  r[2 * rs] = vsubq_f32(e1, o1);
  const float32x4_t e2 = vfmsq_f32(vfmaq_f32(d6, c025, d2), c125, d4);
  const float32x4_t o2 = vfmaq_f32(vfmsq_f32(vmulq_f32(c05, d1), c25, d3), c2, d5);
  r[3 * rs] = vaddq_f32(e2, o2);
  r[4 * rs] = vsubq_f32(e2, o2);
  const float32x4_t e3 = vfmsq_f32(vfmaq_f32(d6, c4, d2), c5, d4);
  const float32x4_t o3 = vfmaq_f32(vfmsq_f32(vmulq_f32(c2, d1), c25, d3), c05, d5);
  r[5 * rs] = vaddq_f32(e3, o3);
  r[6 * rs] = vsubq_f32(e3, o3);
}

// r = A^T m for one column or row of 8 values (6 results).
F32WN_INLINE void f32_wtn_out_1d(const float32x4_t* m, size_t s, float32x4_t* r, size_t rs) {
  const float32x4_t m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s];
  const float32x4_t m4 = m[4 * s], m5 = m[5 * s], m6 = m[6 * s], m7 = m[7 * s];
  const float32x4_t e1 = vaddq_f32(m1, m2), o1 = vsubq_f32(m1, m2);
  const float32x4_t e2 = vaddq_f32(m3, m4), o2 = vsubq_f32(m3, m4);
  const float32x4_t e3 = vaddq_f32(m5, m6), o3 = vsubq_f32(m5, m6);
  r[0] = vaddq_f32(vaddq_f32(m0, e1), vaddq_f32(e2, e3));
  r[1 * rs] = vfmaq_f32(vfmaq_f32(o1, vdupq_n_f32(0.5f), o3), vdupq_n_f32(2.0f), o2);
  r[2 * rs] = vfmaq_f32(vfmaq_f32(e1, vdupq_n_f32(0.25f), e3), vdupq_n_f32(4.0f), e2);
  r[3 * rs] = vfmaq_f32(vfmaq_f32(o1, vdupq_n_f32(0.125f), o3), vdupq_n_f32(8.0f), o2);
  r[4 * rs] = vfmaq_f32(vfmaq_f32(e1, vdupq_n_f32(0.0625f), e3), vdupq_n_f32(16.0f), e2);
  r[5 * rs] = vaddq_f32(vfmaq_f32(vfmaq_f32(o1, vdupq_n_f32(0.03125f), o3), vdupq_n_f32(32.0f), o2), m7);
}

F32WN_INLINE float32x4_t f32_wtn_load(const float* p, size_t n) {
  if (n == 4) return vld1q_f32(p);
  float tmp[4] = {0, 0, 0, 0};
  memcpy(tmp, p, n * sizeof(float));
  return vld1q_f32(tmp);
}

F32WN_INLINE void f32_wtn_store(float* p, float32x4_t v, size_t n) {
  if (n == 4) { vst1q_f32(p, v); return; }
  float tmp[4];
  vst1q_f32(tmp, v);
  memcpy(p, tmp, n * sizeof(float));
}

void f32_winograd6x6_input_tile__neonfma(const float* input, size_t height, size_t width, size_t channels,
                                         ptrdiff_t iy0, ptrdiff_t ix0, float* dst, size_t pos_stride) {
  float32x4_t t[64];
  for (size_t c = 0; c < channels; c += 4) {
    const size_t n = channels - c < 4 ? channels - c : 4;
    for (size_t a = 0; a < 8; a++) {
      const ptrdiff_t iy = iy0 + (ptrdiff_t)a;
      float32x4_t* row = t + 8 * a;
      if (iy < 0 || iy >= (ptrdiff_t)height) {
        for (size_t j = 0; j < 8; j++) row[j] = vdupq_n_f32(0.0f);
        continue;
      }
      float32x4_t d[8];
      for (size_t b = 0; b < 8; b++) {
        const ptrdiff_t ix = ix0 + (ptrdiff_t)b;
        d[b] = ix >= 0 && ix < (ptrdiff_t)width
                   ? f32_wtn_load(input + ((size_t)iy * width + (size_t)ix) * channels + c, n)
                   : vdupq_n_f32(0.0f);
      }
      f32_wtn_in_1d(d, 1, row, 1);
    }
    for (size_t j = 0; j < 8; j++) {
      float32x4_t r[8];
      f32_wtn_in_1d(t + j, 8, r, 1);
      for (size_t i = 0; i < 8; i++) f32_wtn_store(dst + (i * 8 + j) * pos_stride + c, r[i], n);
    }
  }
}

void f32_winograd6x6_output_tile__neonfma(const float* m, size_t pos_stride, size_t channels, const float* bias,
                                          float* output, size_t out_h, size_t out_w, size_t out_c, size_t oy0,
                                          size_t ox0, float min, float max) {
  const float32x4_t vmin = vdupq_n_f32(min), vmax = vdupq_n_f32(max);
  const size_t rows = out_h - oy0 < 6 ? out_h - oy0 : 6;
  const size_t cols = out_w - ox0 < 6 ? out_w - ox0 : 6;
  float32x4_t t[48];
  for (size_t c = 0; c < channels; c += 4) {
    const size_t n = channels - c < 4 ? channels - c : 4;
    for (size_t i = 0; i < 8; i++) {
      float32x4_t v[8];
      for (size_t j = 0; j < 8; j++) v[j] = f32_wtn_load(m + (i * 8 + j) * pos_stride + c, n);
      f32_wtn_out_1d(v, 1, t + 6 * i, 1);
    }
    const float32x4_t vb = f32_wtn_load(bias + c, n);
    for (size_t s = 0; s < cols; s++) {
      float32x4_t y[6];
      f32_wtn_out_1d(t + s, 6, y, 1);
      float* o = output + (oy0 * out_w + ox0 + s) * out_c + c;
      for (size_t r = 0; r < rows; r++) {
        f32_wtn_store(o + r * out_w * out_c, vminq_f32(vmaxq_f32(vaddq_f32(y[r], vb), vmin), vmax), n);
      }
    }
  }
}
#endif
