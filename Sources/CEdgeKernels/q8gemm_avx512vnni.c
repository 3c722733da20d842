// int8 GEMM and indirect GEMM microkernels for AVX-512 VNNI: uint8 activations times int8
// weights with vpdpbusd (the unsigned-by-signed pairing the instruction offers), 4 rows x 64
// columns of int32 accumulators, fp32 requantization with ties to even.
#include "q8kernels.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define Q8_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define Q8_INLINE static inline __attribute__((always_inline))

// Four activation bytes repeated in every dword: the u8 operand of vpdpbusd.
Q8_INLINE Q8_TARGET __m512i q8_broadcast4(const uint8_t* p) {
  int32_t v;
  memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

// The last 1-3 bytes of a row, zero-extended: a masked load never touches bytes past the
// row, so the last pixel of a tensor is safe to read.
Q8_INLINE Q8_TARGET __m512i q8_broadcast_tail(const uint8_t* p, __mmask16 mask) {
  return _mm512_broadcastd_epi32(_mm_maskz_loadu_epi8(mask, p));
}

// fp32 requantization: clamping before rounding gives the same bytes as clamping after
// (the bounds are integers) and keeps the conversion in range. Rounding is explicit so the
// result does not depend on MXCSR.
Q8_INLINE Q8_TARGET __m512i q8_requantize(__m512i acc, __m512 scale, __m512 vmin, __m512 vmax, __m512i vzp) {
  __m512 f = _mm512_cvt_roundepi32_ps(acc, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  f = _mm512_mul_round_ps(f, scale, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  f = _mm512_min_ps(_mm512_max_ps(f, vmin), vmax);
  return _mm512_add_epi32(_mm512_cvt_roundps_epi32(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), vzp);
}

// The 4x64 tile's cheaper requantization: only the upper clamp in float (min(vmax, f) keeps a
// NaN, so NaN, -inf and anything below -2^31 convert to INT32_MIN), then the zero point and the
// lower clamp in saturating int16 and bytes. A value outside int16 stays outside [0, 255] after
// adding the zero point, so the saturating steps land where clamping before rounding would.
Q8_INLINE Q8_TARGET __m512i q8_scale_round(__m512i acc, __m512 scale, __m512 vmax) {
  __m512 f = _mm512_cvt_roundepi32_ps(acc, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  f = _mm512_mul_round_ps(f, scale, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  f = _mm512_min_ps(vmax, f);
  return _mm512_cvt_roundps_epi32(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

// With every scale below 1 in magnitude, |acc * scale| < 2^31 for any int32 acc, so the
// conversion cannot leave int32 and the upper clamp can move to bytes too: four float mins per
// 64 outputs become one byte min, which matters most where K is small (32-64).
Q8_INLINE Q8_TARGET __m512i q8_scale_round_small(__m512i acc, __m512 scale) {
  const __m512 f = _mm512_mul_round_ps(_mm512_cvt_roundepi32_ps(acc, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), scale,
                                       _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  return _mm512_cvt_roundps_epi32(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

// Packs four rounded vectors into 64 bytes, adding the zero point and applying the lower clamp
// on the way. The packs interleave the vectors per 128-bit lane (byte 16l+4v+e comes from
// vector v, element 4l+e); the weight packing stores the columns in that order
// (QWeightPacking.vnni4x64Slot), so the bytes come out in column order.
Q8_INLINE Q8_TARGET __m512i q8_pack64_zp(__m512i y0, __m512i y1, __m512i y2, __m512i y3, __m512i vzp16, __m512i vqmin) {
  const __m512i p01 = _mm512_adds_epi16(_mm512_packs_epi32(y0, y1), vzp16);
  const __m512i p23 = _mm512_adds_epi16(_mm512_packs_epi32(y2, y3), vzp16);
  return _mm512_max_epu8(_mm512_packus_epi16(p01, p23), vqmin);
}

// MR (1-4) is a constant in every instantiation, so a partial tile (the last row of a 7x7
// layer's 49 pixels) computes and stores only its own rows instead of four aliased ones.
Q8_INLINE Q8_TARGET void q8_igemm_core_scaled(const size_t MR, const int SMALL, size_t nc, size_t kc, size_t ks,
                                       const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                       const void* w, uint8_t* c, size_t c_stride,
                                       const q8_requant_params* params) {
  const int32_t* bias = (const int32_t*)w;
  __m512i acc[4][4];
  for (size_t r = 0; r < MR; r++) {
    for (int j = 0; j < 4; j++) acc[r][j] = _mm512_loadu_si512(bias + 16 * j);
  }
  const int8_t* wp = (const int8_t*)w + 64 * sizeof(int32_t);

  const size_t kmain = kc & ~(size_t)3;
  const size_t ktail = kc & 3;
  const __mmask16 tail_mask = (__mmask16)((1u << ktail) - 1);
  for (size_t p = 0; p < ks; p++) {
    const uint8_t* a[4];
    for (size_t r = 0; r < MR; r++) a[r] = r0[r * rstride + p] + a_offset;
    for (size_t k = 0; k < kmain; k += 4) {
      const __m512i w0 = _mm512_loadu_si512(wp);
      const __m512i w1 = _mm512_loadu_si512(wp + 64);
      const __m512i w2 = _mm512_loadu_si512(wp + 128);
      const __m512i w3 = _mm512_loadu_si512(wp + 192);
      wp += 256;
      for (size_t r = 0; r < MR; r++) {
        const __m512i va = q8_broadcast4(a[r] + k);
        acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], va, w0);
        acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], va, w1);
        acc[r][2] = _mm512_dpbusd_epi32(acc[r][2], va, w2);
        acc[r][3] = _mm512_dpbusd_epi32(acc[r][3], va, w3);
      }
    }
    if (ktail != 0) {
      const __m512i w0 = _mm512_loadu_si512(wp);
      const __m512i w1 = _mm512_loadu_si512(wp + 64);
      const __m512i w2 = _mm512_loadu_si512(wp + 128);
      const __m512i w3 = _mm512_loadu_si512(wp + 192);
      wp += 256;
      for (size_t r = 0; r < MR; r++) {
        const __m512i va = q8_broadcast_tail(a[r] + kmain, tail_mask);
        acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], va, w0);
        acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], va, w1);
        acc[r][2] = _mm512_dpbusd_epi32(acc[r][2], va, w2);
        acc[r][3] = _mm512_dpbusd_epi32(acc[r][3], va, w3);
      }
    }
  }

  const float* scale = (const float*)wp;
  const __m512 s0 = _mm512_loadu_ps(scale);
  const __m512 s1 = _mm512_loadu_ps(scale + 16);
  const __m512 s2 = _mm512_loadu_ps(scale + 32);
  const __m512 s3 = _mm512_loadu_ps(scale + 48);
  const __m512 vmax = _mm512_set1_ps(params->max_less_zero_point);
  const __m512i vzp16 = _mm512_set1_epi16((int16_t)params->zero_point);
  // The clamps as bytes: min/max_less_zero_point + zero_point are integers in [0, 255].
  const __m512i vqmin = _mm512_set1_epi8((char)(uint8_t)((int32_t)params->min_less_zero_point + params->zero_point));
  const __m512i vqmax = _mm512_set1_epi8((char)(uint8_t)((int32_t)params->max_less_zero_point + params->zero_point));
  const __mmask64 mask = nc >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << nc) - 1);
  if (SMALL) {
    for (size_t r = 0; r < MR; r++) {
      _mm512_mask_storeu_epi8(c + r * c_stride, mask,
                              _mm512_min_epu8(q8_pack64_zp(q8_scale_round_small(acc[r][0], s0), q8_scale_round_small(acc[r][1], s1),
                                                           q8_scale_round_small(acc[r][2], s2), q8_scale_round_small(acc[r][3], s3),
                                                           vzp16, vqmin), vqmax));
    }
    return;
  }
  for (size_t r = 0; r < MR; r++) {
    _mm512_mask_storeu_epi8(c + r * c_stride, mask,
                            q8_pack64_zp(q8_scale_round(acc[r][0], s0, vmax), q8_scale_round(acc[r][1], s1, vmax),
                                         q8_scale_round(acc[r][2], s2, vmax), q8_scale_round(acc[r][3], s3, vmax),
                                         vzp16, vqmin));
  }
}

Q8_INLINE Q8_TARGET void q8_igemm_core(const size_t MR, size_t nc, size_t kc, size_t ks,
                                       const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                       const void* w, uint8_t* c, size_t c_stride,
                                       const q8_requant_params* params) {
  q8_igemm_core_scaled(MR, 0, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params);
}

// Whether every scale of a packed 64-column block is below 1 in magnitude (false for NaN).
Q8_INLINE Q8_TARGET int q8_block_scales_small(const void* w, size_t kc) {
  const float* scale = (const float*)((const int8_t*)w + 64 * sizeof(int32_t) + ((kc + 3) & ~(size_t)3) * 64);
  const __m512 one = _mm512_set1_ps(1.0f);
  __mmask16 ok = 0xFFFF;
  for (int j = 0; j < 4; j++) ok &= _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_loadu_ps(scale + 16 * j)), one, _CMP_LT_OQ);
  return ok == 0xFFFF;
}

// One instantiation per row count.
Q8_INLINE Q8_TARGET void q8_igemm_4x64_rows(size_t mr, size_t nc, size_t kc, size_t ks,
                                            const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                            const void* w, uint8_t* c, size_t c_stride,
                                            const q8_requant_params* params) {
  switch (mr) {
    case 1: q8_igemm_core(1, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    case 2: q8_igemm_core(2, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    case 3: q8_igemm_core(3, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    default: q8_igemm_core(4, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
  }
}

Q8_TARGET void q8_gemm_4x64c4__avx512vnni(size_t mr, size_t nc, size_t kc,
                                          const uint8_t* a, size_t a_stride,
                                          const void* w, uint8_t* c, size_t c_stride,
                                          const q8_requant_params* params) {
  const uint8_t* rows[4] = {a, a + a_stride, a + 2 * a_stride, a + 3 * a_stride};
  q8_igemm_4x64_rows(mr, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
}

Q8_TARGET void q8_gemm_4x64c4_mtiles__avx512vnni(size_t m, size_t nc, size_t kc,
                                                 const uint8_t* a, size_t a_stride,
                                                 const void* w, uint8_t* c, size_t c_stride,
                                                 const q8_requant_params* params) {
  if (q8_block_scales_small(w, kc)) {
    for (; m >= 4; m -= 4) {
      const uint8_t* rows[4] = {a, a + a_stride, a + 2 * a_stride, a + 3 * a_stride};
      q8_igemm_core_scaled(4, 1, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
      a += 4 * a_stride;
      c += 4 * c_stride;
    }
  } else {
    for (; m >= 4; m -= 4) {
      const uint8_t* rows[4] = {a, a + a_stride, a + 2 * a_stride, a + 3 * a_stride};
      q8_igemm_core(4, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
      a += 4 * a_stride;
      c += 4 * c_stride;
    }
  }
  if (m != 0) q8_gemm_4x64c4__avx512vnni(m, nc, kc, a, a_stride, w, c, c_stride, params);
}

Q8_TARGET void q8_igemm_4x64c4__avx512vnni(size_t mr, size_t nc, size_t kc, size_t ks,
                                           const uint8_t* const* indirection, size_t indirection_stride,
                                           size_t a_offset,
                                           const void* w, uint8_t* c, size_t c_stride,
                                           const q8_requant_params* params) {
  q8_igemm_4x64_rows(mr, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params);
}


// 8 rows x 16 columns: the narrow tile for layers whose channel count is far from a multiple
// of 64 (MobileNet v2's 16/24/96/144/160-channel layers), where 4x64 would compute padding.
Q8_INLINE Q8_TARGET void q8_igemm_8x16_core(const size_t MR, size_t nc, size_t kc, size_t ks,
                                            const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                            const void* w, uint8_t* c, size_t c_stride,
                                            const q8_requant_params* params) {
  const __m512i bias = _mm512_loadu_si512(w);
  __m512i acc[8];
  for (size_t r = 0; r < MR; r++) acc[r] = bias;
  const int8_t* wp = (const int8_t*)w + 16 * sizeof(int32_t);

  const size_t kmain = kc & ~(size_t)3;
  const size_t ktail = kc & 3;
  const __mmask16 tail_mask = (__mmask16)((1u << ktail) - 1);
  for (size_t p = 0; p < ks; p++) {
    const uint8_t* a[8];
    for (size_t r = 0; r < MR; r++) a[r] = r0[r * rstride + p] + a_offset;
    for (size_t k = 0; k < kmain; k += 4) {
      const __m512i vw = _mm512_loadu_si512(wp);
      wp += 64;
      for (size_t r = 0; r < MR; r++) acc[r] = _mm512_dpbusd_epi32(acc[r], q8_broadcast4(a[r] + k), vw);
    }
    if (ktail != 0) {
      const __m512i vw = _mm512_loadu_si512(wp);
      wp += 64;
      for (size_t r = 0; r < MR; r++) acc[r] = _mm512_dpbusd_epi32(acc[r], q8_broadcast_tail(a[r] + kmain, tail_mask), vw);
    }
  }

  const __m512 scale = _mm512_loadu_ps(wp);
  const __m512 vmin = _mm512_set1_ps(params->min_less_zero_point);
  const __m512 vmax = _mm512_set1_ps(params->max_less_zero_point);
  const __m512i vzp = _mm512_set1_epi32(params->zero_point);
  const __mmask16 mask = nc >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nc) - 1);
  for (size_t r = 0; r < MR; r++) {
    _mm_mask_storeu_epi8(c + r * c_stride, mask, _mm512_cvtepi32_epi8(q8_requantize(acc[r], scale, vmin, vmax, vzp)));
  }
}

// One instantiation per row count: a partial tile computes only its own rows.
Q8_INLINE Q8_TARGET void q8_igemm_8x16_rows(size_t mr, size_t nc, size_t kc, size_t ks,
                                            const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                            const void* w, uint8_t* c, size_t c_stride,
                                            const q8_requant_params* params) {
  switch (mr) {
    case 1: q8_igemm_8x16_core(1, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    case 2: q8_igemm_8x16_core(2, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    case 3: q8_igemm_8x16_core(3, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    case 4: q8_igemm_8x16_core(4, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    case 5: q8_igemm_8x16_core(5, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    case 6: q8_igemm_8x16_core(6, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    case 7: q8_igemm_8x16_core(7, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
    default: q8_igemm_8x16_core(8, nc, kc, ks, r0, rstride, a_offset, w, c, c_stride, params); break;
  }
}

Q8_TARGET void q8_gemm_8x16c4__avx512vnni(size_t mr, size_t nc, size_t kc,
                                          const uint8_t* a, size_t a_stride,
                                          const void* w, uint8_t* c, size_t c_stride,
                                          const q8_requant_params* params) {
  const uint8_t* rows[8];
  for (size_t r = 0; r < 8; r++) rows[r] = a + (r < mr ? r : 0) * a_stride;
  q8_igemm_8x16_rows(mr, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
}

Q8_TARGET void q8_igemm_8x16c4__avx512vnni(size_t mr, size_t nc, size_t kc, size_t ks,
                                           const uint8_t* const* indirection, size_t indirection_stride,
                                           size_t a_offset,
                                           const void* w, uint8_t* c, size_t c_stride,
                                           const q8_requant_params* params) {
  q8_igemm_8x16_rows(mr, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params);
}

// 8 rows x 32 columns, indirect only: for windows of 1-3 channels (the stem) every tap ends
// in a masked broadcast per row, and one 32-column tile shares each broadcast between two
// column vectors where two 16-column tiles paid for it twice (103 against 133 us on
// MobileNet's stem in isolation).
Q8_INLINE Q8_TARGET void q8_igemm_8x32_core(const size_t MR, size_t nc, size_t kc, size_t ks,
                                            const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                            const void* w, uint8_t* c, size_t c_stride,
                                            const q8_requant_params* params) {
  const __m512i bias0 = _mm512_loadu_si512(w);
  const __m512i bias1 = _mm512_loadu_si512((const int32_t*)w + 16);
  __m512i acc[8], acd[8];
  for (size_t r = 0; r < MR; r++) { acc[r] = bias0; acd[r] = bias1; }
  const int8_t* wp = (const int8_t*)w + 32 * sizeof(int32_t);

  const size_t kmain = kc & ~(size_t)3;
  const size_t ktail = kc & 3;
  const __mmask16 tail_mask = (__mmask16)((1u << ktail) - 1);
  for (size_t p = 0; p < ks; p++) {
    const uint8_t* a[8];
    for (size_t r = 0; r < MR; r++) a[r] = r0[r * rstride + p] + a_offset;
    for (size_t k = 0; k < kmain; k += 4) {
      const __m512i vw = _mm512_loadu_si512(wp);
      const __m512i vx = _mm512_loadu_si512(wp + 64);
      wp += 128;
      for (size_t r = 0; r < MR; r++) {
        const __m512i va = q8_broadcast4(a[r] + k);
        acc[r] = _mm512_dpbusd_epi32(acc[r], va, vw);
        acd[r] = _mm512_dpbusd_epi32(acd[r], va, vx);
      }
    }
    if (ktail != 0) {
      const __m512i vw = _mm512_loadu_si512(wp);
      const __m512i vx = _mm512_loadu_si512(wp + 64);
      wp += 128;
      for (size_t r = 0; r < MR; r++) {
        const __m512i va = q8_broadcast_tail(a[r] + kmain, tail_mask);
        acc[r] = _mm512_dpbusd_epi32(acc[r], va, vw);
        acd[r] = _mm512_dpbusd_epi32(acd[r], va, vx);
      }
    }
  }

  const __m512 scale = _mm512_loadu_ps(wp);
  const __m512 scale1 = _mm512_loadu_ps((const float*)wp + 16);
  const __m512 vmin = _mm512_set1_ps(params->min_less_zero_point);
  const __m512 vmax = _mm512_set1_ps(params->max_less_zero_point);
  const __m512i vzp = _mm512_set1_epi32(params->zero_point);
  const __mmask16 mask = nc >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nc) - 1);
  const __mmask16 mask1 = nc >= 32 ? (__mmask16)0xFFFF : nc <= 16 ? 0 : (__mmask16)((1u << (nc - 16)) - 1);
  for (size_t r = 0; r < MR; r++) {
    _mm_mask_storeu_epi8(c + r * c_stride, mask, _mm512_cvtepi32_epi8(q8_requantize(acc[r], scale, vmin, vmax, vzp)));
    _mm_mask_storeu_epi8(c + r * c_stride + 16, mask1, _mm512_cvtepi32_epi8(q8_requantize(acd[r], scale1, vmin, vmax, vzp)));
  }
}


Q8_TARGET void q8_igemm_8x32c4__avx512vnni(size_t mr, size_t nc, size_t kc, size_t ks,
                                           const uint8_t* const* indirection, size_t indirection_stride,
                                           size_t a_offset,
                                           const void* w, uint8_t* c, size_t c_stride,
                                           const q8_requant_params* params) {
  switch (mr) {
    case 1: q8_igemm_8x32_core(1, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params); break;
    case 2: q8_igemm_8x32_core(2, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params); break;
    case 3: q8_igemm_8x32_core(3, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params); break;
    case 4: q8_igemm_8x32_core(4, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params); break;
    case 5: q8_igemm_8x32_core(5, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params); break;
    case 6: q8_igemm_8x32_core(6, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params); break;
    case 7: q8_igemm_8x32_core(7, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params); break;
    default: q8_igemm_8x32_core(8, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params); break;
  }
}

#endif
