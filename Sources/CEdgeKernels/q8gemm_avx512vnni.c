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

// Packs four rounded vectors (columns 0-15, 16-31, 32-47, 48-63) into 64 bytes in column order,
// adding the zero point and applying the lower clamp on the way.
Q8_INLINE Q8_TARGET __m512i q8_pack64_zp(__m512i y0, __m512i y1, __m512i y2, __m512i y3, __m512i vzp16, __m512i vqmin) {
  const __m512i p01 = _mm512_adds_epi16(_mm512_packs_epi32(y0, y1), vzp16);
  const __m512i p23 = _mm512_adds_epi16(_mm512_packs_epi32(y2, y3), vzp16);
  const __m512i b = _mm512_max_epu8(_mm512_packus_epi16(p01, p23), vqmin);
  const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  return _mm512_permutexvar_epi32(order, b);
}

Q8_INLINE Q8_TARGET void q8_igemm_core(size_t mr, size_t nc, size_t kc, size_t ks,
                                       const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                       const void* w, uint8_t* c, size_t c_stride,
                                       const q8_requant_params* params) {
  const uint8_t* const* r1 = mr > 1 ? r0 + rstride : r0;
  const uint8_t* const* r2 = mr > 2 ? r1 + rstride : r1;
  const uint8_t* const* r3 = mr > 3 ? r2 + rstride : r2;

  const int32_t* bias = (const int32_t*)w;
  __m512i acc00 = _mm512_loadu_si512(bias);
  __m512i acc01 = _mm512_loadu_si512(bias + 16);
  __m512i acc02 = _mm512_loadu_si512(bias + 32);
  __m512i acc03 = _mm512_loadu_si512(bias + 48);
  __m512i acc10 = acc00, acc11 = acc01, acc12 = acc02, acc13 = acc03;
  __m512i acc20 = acc00, acc21 = acc01, acc22 = acc02, acc23 = acc03;
  __m512i acc30 = acc00, acc31 = acc01, acc32 = acc02, acc33 = acc03;
  const int8_t* wp = (const int8_t*)w + 64 * sizeof(int32_t);

  const size_t kmain = kc & ~(size_t)3;
  const size_t ktail = kc & 3;
  const __mmask16 tail_mask = (__mmask16)((1u << ktail) - 1);
  for (size_t p = 0; p < ks; p++) {
    const uint8_t* a0 = r0[p] + a_offset;
    const uint8_t* a1 = r1[p] + a_offset;
    const uint8_t* a2 = r2[p] + a_offset;
    const uint8_t* a3 = r3[p] + a_offset;
    for (size_t k = 0; k < kmain; k += 4) {
      const __m512i w0 = _mm512_loadu_si512(wp);
      const __m512i w1 = _mm512_loadu_si512(wp + 64);
      const __m512i w2 = _mm512_loadu_si512(wp + 128);
      const __m512i w3 = _mm512_loadu_si512(wp + 192);
      wp += 256;
      const __m512i va0 = q8_broadcast4(a0 + k);
      acc00 = _mm512_dpbusd_epi32(acc00, va0, w0);
      acc01 = _mm512_dpbusd_epi32(acc01, va0, w1);
      acc02 = _mm512_dpbusd_epi32(acc02, va0, w2);
      acc03 = _mm512_dpbusd_epi32(acc03, va0, w3);
      const __m512i va1 = q8_broadcast4(a1 + k);
      acc10 = _mm512_dpbusd_epi32(acc10, va1, w0);
      acc11 = _mm512_dpbusd_epi32(acc11, va1, w1);
      acc12 = _mm512_dpbusd_epi32(acc12, va1, w2);
      acc13 = _mm512_dpbusd_epi32(acc13, va1, w3);
      const __m512i va2 = q8_broadcast4(a2 + k);
      acc20 = _mm512_dpbusd_epi32(acc20, va2, w0);
      acc21 = _mm512_dpbusd_epi32(acc21, va2, w1);
      acc22 = _mm512_dpbusd_epi32(acc22, va2, w2);
      acc23 = _mm512_dpbusd_epi32(acc23, va2, w3);
      const __m512i va3 = q8_broadcast4(a3 + k);
      acc30 = _mm512_dpbusd_epi32(acc30, va3, w0);
      acc31 = _mm512_dpbusd_epi32(acc31, va3, w1);
      acc32 = _mm512_dpbusd_epi32(acc32, va3, w2);
      acc33 = _mm512_dpbusd_epi32(acc33, va3, w3);
    }
    if (ktail != 0) {
      const __m512i w0 = _mm512_loadu_si512(wp);
      const __m512i w1 = _mm512_loadu_si512(wp + 64);
      const __m512i w2 = _mm512_loadu_si512(wp + 128);
      const __m512i w3 = _mm512_loadu_si512(wp + 192);
      wp += 256;
      const __m512i va0 = q8_broadcast_tail(a0 + kmain, tail_mask);
      const __m512i va1 = q8_broadcast_tail(a1 + kmain, tail_mask);
      const __m512i va2 = q8_broadcast_tail(a2 + kmain, tail_mask);
      const __m512i va3 = q8_broadcast_tail(a3 + kmain, tail_mask);
      acc00 = _mm512_dpbusd_epi32(acc00, va0, w0);
      acc01 = _mm512_dpbusd_epi32(acc01, va0, w1);
      acc02 = _mm512_dpbusd_epi32(acc02, va0, w2);
      acc03 = _mm512_dpbusd_epi32(acc03, va0, w3);
      acc10 = _mm512_dpbusd_epi32(acc10, va1, w0);
      acc11 = _mm512_dpbusd_epi32(acc11, va1, w1);
      acc12 = _mm512_dpbusd_epi32(acc12, va1, w2);
      acc13 = _mm512_dpbusd_epi32(acc13, va1, w3);
      acc20 = _mm512_dpbusd_epi32(acc20, va2, w0);
      acc21 = _mm512_dpbusd_epi32(acc21, va2, w1);
      acc22 = _mm512_dpbusd_epi32(acc22, va2, w2);
      acc23 = _mm512_dpbusd_epi32(acc23, va2, w3);
      acc30 = _mm512_dpbusd_epi32(acc30, va3, w0);
      acc31 = _mm512_dpbusd_epi32(acc31, va3, w1);
      acc32 = _mm512_dpbusd_epi32(acc32, va3, w2);
      acc33 = _mm512_dpbusd_epi32(acc33, va3, w3);
    }
  }

  const float* scale = (const float*)wp;
  const __m512 s0 = _mm512_loadu_ps(scale);
  const __m512 s1 = _mm512_loadu_ps(scale + 16);
  const __m512 s2 = _mm512_loadu_ps(scale + 32);
  const __m512 s3 = _mm512_loadu_ps(scale + 48);
  const __m512 vmax = _mm512_set1_ps(params->max_less_zero_point);
  const __m512i vzp16 = _mm512_set1_epi16((int16_t)params->zero_point);
  // The lower clamp as a byte: min_less_zero_point + zero_point is an integer in [0, 255].
  const __m512i vqmin = _mm512_set1_epi8((char)(uint8_t)((int32_t)params->min_less_zero_point + params->zero_point));
  const __mmask64 mask = nc >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << nc) - 1);

  uint8_t* c0 = c;
  uint8_t* c1 = mr > 1 ? c0 + c_stride : c0;
  uint8_t* c2 = mr > 2 ? c1 + c_stride : c1;
  uint8_t* c3 = mr > 3 ? c2 + c_stride : c2;
  // Aliased rows hold the same values as the row they alias, so storing them is harmless.
  _mm512_mask_storeu_epi8(c3, mask, q8_pack64_zp(q8_scale_round(acc30, s0, vmax), q8_scale_round(acc31, s1, vmax),
                                                 q8_scale_round(acc32, s2, vmax), q8_scale_round(acc33, s3, vmax), vzp16, vqmin));
  _mm512_mask_storeu_epi8(c2, mask, q8_pack64_zp(q8_scale_round(acc20, s0, vmax), q8_scale_round(acc21, s1, vmax),
                                                 q8_scale_round(acc22, s2, vmax), q8_scale_round(acc23, s3, vmax), vzp16, vqmin));
  _mm512_mask_storeu_epi8(c1, mask, q8_pack64_zp(q8_scale_round(acc10, s0, vmax), q8_scale_round(acc11, s1, vmax),
                                                 q8_scale_round(acc12, s2, vmax), q8_scale_round(acc13, s3, vmax), vzp16, vqmin));
  _mm512_mask_storeu_epi8(c0, mask, q8_pack64_zp(q8_scale_round(acc00, s0, vmax), q8_scale_round(acc01, s1, vmax),
                                                 q8_scale_round(acc02, s2, vmax), q8_scale_round(acc03, s3, vmax), vzp16, vqmin));
}

Q8_TARGET void q8_gemm_4x64c4__avx512vnni(size_t mr, size_t nc, size_t kc,
                                          const uint8_t* a, size_t a_stride,
                                          const void* w, uint8_t* c, size_t c_stride,
                                          const q8_requant_params* params) {
  const uint8_t* rows[4] = {a, a + a_stride, a + 2 * a_stride, a + 3 * a_stride};
  q8_igemm_core(mr, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
}

Q8_TARGET void q8_igemm_4x64c4__avx512vnni(size_t mr, size_t nc, size_t kc, size_t ks,
                                           const uint8_t* const* indirection, size_t indirection_stride,
                                           size_t a_offset,
                                           const void* w, uint8_t* c, size_t c_stride,
                                           const q8_requant_params* params) {
  q8_igemm_core(mr, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params);
}


// 8 rows x 16 columns: the narrow tile for layers whose channel count is far from a multiple
// of 64 (MobileNet v2's 16/24/96/144/160-channel layers), where 4x64 would compute padding.
Q8_INLINE Q8_TARGET void q8_igemm_8x16_core(size_t mr, size_t nc, size_t kc, size_t ks,
                                            const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                            const void* w, uint8_t* c, size_t c_stride,
                                            const q8_requant_params* params) {
  const uint8_t* const* rows[8];
  rows[0] = r0;
  for (int r = 1; r < 8; r++) rows[r] = (size_t)r < mr ? rows[r - 1] + rstride : rows[r - 1];

  const __m512i bias = _mm512_loadu_si512(w);
  __m512i acc0 = bias, acc1 = bias, acc2 = bias, acc3 = bias, acc4 = bias, acc5 = bias, acc6 = bias, acc7 = bias;
  const int8_t* wp = (const int8_t*)w + 16 * sizeof(int32_t);

  const size_t kmain = kc & ~(size_t)3;
  const size_t ktail = kc & 3;
  const __mmask16 tail_mask = (__mmask16)((1u << ktail) - 1);
  for (size_t p = 0; p < ks; p++) {
    const uint8_t* a0 = rows[0][p] + a_offset;
    const uint8_t* a1 = rows[1][p] + a_offset;
    const uint8_t* a2 = rows[2][p] + a_offset;
    const uint8_t* a3 = rows[3][p] + a_offset;
    const uint8_t* a4 = rows[4][p] + a_offset;
    const uint8_t* a5 = rows[5][p] + a_offset;
    const uint8_t* a6 = rows[6][p] + a_offset;
    const uint8_t* a7 = rows[7][p] + a_offset;
    for (size_t k = 0; k < kmain; k += 4) {
      const __m512i vw = _mm512_loadu_si512(wp);
      wp += 64;
      acc0 = _mm512_dpbusd_epi32(acc0, q8_broadcast4(a0 + k), vw);
      acc1 = _mm512_dpbusd_epi32(acc1, q8_broadcast4(a1 + k), vw);
      acc2 = _mm512_dpbusd_epi32(acc2, q8_broadcast4(a2 + k), vw);
      acc3 = _mm512_dpbusd_epi32(acc3, q8_broadcast4(a3 + k), vw);
      acc4 = _mm512_dpbusd_epi32(acc4, q8_broadcast4(a4 + k), vw);
      acc5 = _mm512_dpbusd_epi32(acc5, q8_broadcast4(a5 + k), vw);
      acc6 = _mm512_dpbusd_epi32(acc6, q8_broadcast4(a6 + k), vw);
      acc7 = _mm512_dpbusd_epi32(acc7, q8_broadcast4(a7 + k), vw);
    }
    if (ktail != 0) {
      const __m512i vw = _mm512_loadu_si512(wp);
      wp += 64;
      acc0 = _mm512_dpbusd_epi32(acc0, q8_broadcast_tail(a0 + kmain, tail_mask), vw);
      acc1 = _mm512_dpbusd_epi32(acc1, q8_broadcast_tail(a1 + kmain, tail_mask), vw);
      acc2 = _mm512_dpbusd_epi32(acc2, q8_broadcast_tail(a2 + kmain, tail_mask), vw);
      acc3 = _mm512_dpbusd_epi32(acc3, q8_broadcast_tail(a3 + kmain, tail_mask), vw);
      acc4 = _mm512_dpbusd_epi32(acc4, q8_broadcast_tail(a4 + kmain, tail_mask), vw);
      acc5 = _mm512_dpbusd_epi32(acc5, q8_broadcast_tail(a5 + kmain, tail_mask), vw);
      acc6 = _mm512_dpbusd_epi32(acc6, q8_broadcast_tail(a6 + kmain, tail_mask), vw);
      acc7 = _mm512_dpbusd_epi32(acc7, q8_broadcast_tail(a7 + kmain, tail_mask), vw);
    }
  }

  const __m512 scale = _mm512_loadu_ps(wp);
  const __m512 vmin = _mm512_set1_ps(params->min_less_zero_point);
  const __m512 vmax = _mm512_set1_ps(params->max_less_zero_point);
  const __m512i vzp = _mm512_set1_epi32(params->zero_point);
  const __mmask16 mask = nc >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nc) - 1);
  uint8_t* out[8];
  out[0] = c;
  for (int r = 1; r < 8; r++) out[r] = (size_t)r < mr ? out[r - 1] + c_stride : out[r - 1];
  // Highest row first: an aliased row then rewrites the same bytes the valid row computed.
  _mm_mask_storeu_epi8(out[7], mask, _mm512_cvtepi32_epi8(q8_requantize(acc7, scale, vmin, vmax, vzp)));
  _mm_mask_storeu_epi8(out[6], mask, _mm512_cvtepi32_epi8(q8_requantize(acc6, scale, vmin, vmax, vzp)));
  _mm_mask_storeu_epi8(out[5], mask, _mm512_cvtepi32_epi8(q8_requantize(acc5, scale, vmin, vmax, vzp)));
  _mm_mask_storeu_epi8(out[4], mask, _mm512_cvtepi32_epi8(q8_requantize(acc4, scale, vmin, vmax, vzp)));
  _mm_mask_storeu_epi8(out[3], mask, _mm512_cvtepi32_epi8(q8_requantize(acc3, scale, vmin, vmax, vzp)));
  _mm_mask_storeu_epi8(out[2], mask, _mm512_cvtepi32_epi8(q8_requantize(acc2, scale, vmin, vmax, vzp)));
  _mm_mask_storeu_epi8(out[1], mask, _mm512_cvtepi32_epi8(q8_requantize(acc1, scale, vmin, vmax, vzp)));
  _mm_mask_storeu_epi8(out[0], mask, _mm512_cvtepi32_epi8(q8_requantize(acc0, scale, vmin, vmax, vzp)));
}

Q8_TARGET void q8_gemm_8x16c4__avx512vnni(size_t mr, size_t nc, size_t kc,
                                          const uint8_t* a, size_t a_stride,
                                          const void* w, uint8_t* c, size_t c_stride,
                                          const q8_requant_params* params) {
  const uint8_t* rows[8];
  for (int r = 0; r < 8; r++) rows[r] = a + (size_t)r * a_stride;
  q8_igemm_8x16_core(mr, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
}

Q8_TARGET void q8_igemm_8x16c4__avx512vnni(size_t mr, size_t nc, size_t kc, size_t ks,
                                           const uint8_t* const* indirection, size_t indirection_stride,
                                           size_t a_offset,
                                           const void* w, uint8_t* c, size_t c_stride,
                                           const q8_requant_params* params) {
  q8_igemm_8x16_core(mr, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params);
}

#endif
