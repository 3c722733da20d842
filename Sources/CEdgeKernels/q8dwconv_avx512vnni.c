// int8 depthwise convolution microkernels for AVX-512 VNNI. Four taps of 64 channels are
// interleaved with in-lane byte and word unpacks so that each dword holds one channel's four
// taps; vpdpbusd then does 64 channels x 4 taps per instruction against weights packed in the
// same (lane-permuted) order, and the in-lane packs at the end undo the permutation.
#include "q8kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define Q8_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define Q8_INLINE static inline __attribute__((always_inline))

// Same fp32 requantization as the GEMM kernels (clamp, then round ties to even).
Q8_INLINE Q8_TARGET __m512i q8dw_requantize(__m512i acc, __m512 scale, __m512 vmin, __m512 vmax, __m512i vzp) {
  __m512 f = _mm512_cvt_roundepi32_ps(acc, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  f = _mm512_mul_round_ps(f, scale, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  f = _mm512_min_ps(_mm512_max_ps(f, vmin), vmax);
  return _mm512_add_epi32(_mm512_cvt_roundps_epi32(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), vzp);
}

// Tap t of a pixel: its entry of the row table, or the zero buffer for the padding taps
// (constant-folded away in the 3x3 kernel, whose offsets are compile-time constants).
Q8_INLINE const uint8_t* q8dw_tap(const uint8_t* const* px, const size_t* offsets, size_t tap_count,
                                  const uint8_t* zero, size_t t) {
  return t < tap_count ? px[offsets[t]] : zero;
}

// A last block of at most 32 channels: the first two 128-bit lanes of the packed vectors hold
// exactly channels 0-31, so 256-bit loads of the same layout do half the work of a full block.
Q8_INLINE Q8_TARGET void q8dw_half_block(size_t n, size_t groups, const uint8_t* const* px, const size_t* offsets,
                                         size_t tap_count, const uint8_t* zero, size_t c0,
                                         const uint8_t* wb, uint8_t* out,
                                         __m512 vmin512, __m512 vmax512, __m512i vzp512) {
  const __mmask32 mask = n >= 32 ? ~(__mmask32)0 : (((__mmask32)1 << n) - 1);
  __m256i acc0 = _mm256_loadu_si256((const __m256i*)wb);
  __m256i acc1 = _mm256_loadu_si256((const __m256i*)(wb + 64));
  __m256i acc2 = _mm256_loadu_si256((const __m256i*)(wb + 128));
  __m256i acc3 = _mm256_loadu_si256((const __m256i*)(wb + 192));
  const uint8_t* wp = wb + 256;
  for (size_t g = 0; g < groups; g++) {
    const __m256i t0 = _mm256_maskz_loadu_epi8(mask, q8dw_tap(px, offsets, tap_count, zero, 4 * g + 0) + c0);
    const __m256i t1 = _mm256_maskz_loadu_epi8(mask, q8dw_tap(px, offsets, tap_count, zero, 4 * g + 1) + c0);
    const __m256i t2 = _mm256_maskz_loadu_epi8(mask, q8dw_tap(px, offsets, tap_count, zero, 4 * g + 2) + c0);
    const __m256i t3 = _mm256_maskz_loadu_epi8(mask, q8dw_tap(px, offsets, tap_count, zero, 4 * g + 3) + c0);
    const __m256i u01lo = _mm256_unpacklo_epi8(t0, t1);
    const __m256i u01hi = _mm256_unpackhi_epi8(t0, t1);
    const __m256i u23lo = _mm256_unpacklo_epi8(t2, t3);
    const __m256i u23hi = _mm256_unpackhi_epi8(t2, t3);
    acc0 = _mm256_dpbusd_epi32(acc0, _mm256_unpacklo_epi16(u01lo, u23lo), _mm256_loadu_si256((const __m256i*)wp));
    acc1 = _mm256_dpbusd_epi32(acc1, _mm256_unpackhi_epi16(u01lo, u23lo), _mm256_loadu_si256((const __m256i*)(wp + 64)));
    acc2 = _mm256_dpbusd_epi32(acc2, _mm256_unpacklo_epi16(u01hi, u23hi), _mm256_loadu_si256((const __m256i*)(wp + 128)));
    acc3 = _mm256_dpbusd_epi32(acc3, _mm256_unpackhi_epi16(u01hi, u23hi), _mm256_loadu_si256((const __m256i*)(wp + 192)));
    wp += 256;
  }
  const float* scale = (const float*)wp;
  // Requantize with the 512-bit code (explicit ties-to-even rounding, no MXCSR dependence).
  __m256i y[4];
  const __m256i accs[4] = {acc0, acc1, acc2, acc3};
  for (int r = 0; r < 4; r++) {
    const __m512 sc = _mm512_zextps256_ps512(_mm256_loadu_ps(scale + 16 * r));
    y[r] = _mm512_castsi512_si256(q8dw_requantize(_mm512_zextsi256_si512(accs[r]), sc, vmin512, vmax512, vzp512));
  }
  const __m256i packed = _mm256_packus_epi16(_mm256_packs_epi32(y[0], y[1]), _mm256_packs_epi32(y[2], y[3]));
  _mm256_mask_storeu_epi8(out, mask, packed);
}

Q8_INLINE Q8_TARGET void q8dw_core(size_t channels, size_t output_width, size_t tap_count, size_t taps_padded,
                                   const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                   const uint8_t* zero, const void* w, uint8_t* output,
                                   const q8_requant_params* params) {
  const size_t groups = taps_padded / 4;
  const size_t block_bytes = 256 + groups * 256 + 256;
  const __m512 vmin = _mm512_set1_ps(params->min_less_zero_point);
  const __m512 vmax = _mm512_set1_ps(params->max_less_zero_point);
  const __m512i vzp = _mm512_set1_epi32(params->zero_point);

  for (size_t x = 0; x < output_width; x++) {
    const uint8_t* const* px = table + x * pixel_step;
    const uint8_t* wb = (const uint8_t*)w;
    for (size_t c0 = 0; c0 < channels; c0 += 64, wb += block_bytes) {
      const size_t n = channels - c0;
      if (n <= 32) {
        q8dw_half_block(n, groups, px, offsets, tap_count, zero, c0, wb, output + x * channels + c0, vmin, vmax, vzp);
        continue;
      }
      const __mmask64 mask = n >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << n) - 1);
      __m512i acc0 = _mm512_loadu_si512(wb);
      __m512i acc1 = _mm512_loadu_si512(wb + 64);
      __m512i acc2 = _mm512_loadu_si512(wb + 128);
      __m512i acc3 = _mm512_loadu_si512(wb + 192);
      const uint8_t* wp = wb + 256;
      for (size_t g = 0; g < groups; g++) {
        // Masked loads never touch bytes past the channel count, so a partial block is safe.
        const __m512i t0 = _mm512_maskz_loadu_epi8(mask, q8dw_tap(px, offsets, tap_count, zero, 4 * g + 0) + c0);
        const __m512i t1 = _mm512_maskz_loadu_epi8(mask, q8dw_tap(px, offsets, tap_count, zero, 4 * g + 1) + c0);
        const __m512i t2 = _mm512_maskz_loadu_epi8(mask, q8dw_tap(px, offsets, tap_count, zero, 4 * g + 2) + c0);
        const __m512i t3 = _mm512_maskz_loadu_epi8(mask, q8dw_tap(px, offsets, tap_count, zero, 4 * g + 3) + c0);
        const __m512i u01lo = _mm512_unpacklo_epi8(t0, t1);
        const __m512i u01hi = _mm512_unpackhi_epi8(t0, t1);
        const __m512i u23lo = _mm512_unpacklo_epi8(t2, t3);
        const __m512i u23hi = _mm512_unpackhi_epi8(t2, t3);
        acc0 = _mm512_dpbusd_epi32(acc0, _mm512_unpacklo_epi16(u01lo, u23lo), _mm512_loadu_si512(wp));
        acc1 = _mm512_dpbusd_epi32(acc1, _mm512_unpackhi_epi16(u01lo, u23lo), _mm512_loadu_si512(wp + 64));
        acc2 = _mm512_dpbusd_epi32(acc2, _mm512_unpacklo_epi16(u01hi, u23hi), _mm512_loadu_si512(wp + 128));
        acc3 = _mm512_dpbusd_epi32(acc3, _mm512_unpackhi_epi16(u01hi, u23hi), _mm512_loadu_si512(wp + 192));
        wp += 256;
      }
      const float* scale = (const float*)wp;
      const __m512i y0 = q8dw_requantize(acc0, _mm512_loadu_ps(scale), vmin, vmax, vzp);
      const __m512i y1 = q8dw_requantize(acc1, _mm512_loadu_ps(scale + 16), vmin, vmax, vzp);
      const __m512i y2 = q8dw_requantize(acc2, _mm512_loadu_ps(scale + 32), vmin, vmax, vzp);
      const __m512i y3 = q8dw_requantize(acc3, _mm512_loadu_ps(scale + 48), vmin, vmax, vzp);
      // In-lane packs reverse the in-lane unpacks: lane L ends up with channels 16L..16L+15.
      const __m512i out = _mm512_packus_epi16(_mm512_packs_epi32(y0, y1), _mm512_packs_epi32(y2, y3));
      _mm512_mask_storeu_epi8(output + x * channels + c0, mask, out);
    }
  }
}

// The 3x3 kernel walks input columns instead of taps. One column (kernel rows 0-2 at one x)
// becomes four vectors whose dwords hold a channel's three rows and a zero byte; output pixel x
// is then three vpdpbusd per vector against columns s*x, s*x+1, s*x+2 with the weights of
// kx = 0, 1, 2. Each column is interleaved once and feeds up to three pixels (stride 1), where
// the tap-by-tap kernel re-interleaved every tap for every pixel; the weights of a 64-channel
// block stay in registers for the whole row.
typedef struct q8dw_col512 { __m512i v[4]; } q8dw_col512;
typedef struct q8dw_col256 { __m256i v[4]; } q8dw_col256;

// Column `col` (three row pointers) of channels c0.. as vpdpbusd operands; a partial block's
// masked loads never touch bytes past the channel count, a full one takes plain loads.
Q8_INLINE Q8_TARGET q8dw_col512 q8dw_column512(const uint8_t* const* col, size_t c0, __mmask64 mask) {
  __m512i r0, r1, r2;
  if (mask == ~(__mmask64)0) {
    r0 = _mm512_loadu_si512(col[0] + c0);
    r1 = _mm512_loadu_si512(col[1] + c0);
    r2 = _mm512_loadu_si512(col[2] + c0);
  } else {
    r0 = _mm512_maskz_loadu_epi8(mask, col[0] + c0);
    r1 = _mm512_maskz_loadu_epi8(mask, col[1] + c0);
    r2 = _mm512_maskz_loadu_epi8(mask, col[2] + c0);
  }
  const __m512i z = _mm512_setzero_si512();
  const __m512i u01lo = _mm512_unpacklo_epi8(r0, r1);
  const __m512i u01hi = _mm512_unpackhi_epi8(r0, r1);
  const __m512i u2lo = _mm512_unpacklo_epi8(r2, z);
  const __m512i u2hi = _mm512_unpackhi_epi8(r2, z);
  q8dw_col512 c;
  c.v[0] = _mm512_unpacklo_epi16(u01lo, u2lo);
  c.v[1] = _mm512_unpackhi_epi16(u01lo, u2lo);
  c.v[2] = _mm512_unpacklo_epi16(u01hi, u2hi);
  c.v[3] = _mm512_unpackhi_epi16(u01hi, u2hi);
  return c;
}

// The same for at most 32 channels (the first two 128-bit lanes of the packed layout).
Q8_INLINE Q8_TARGET q8dw_col256 q8dw_column256(const uint8_t* const* col, size_t c0, __mmask32 mask) {
  __m256i r0, r1, r2;
  if (mask == ~(__mmask32)0) {
    r0 = _mm256_loadu_si256((const __m256i*)(col[0] + c0));
    r1 = _mm256_loadu_si256((const __m256i*)(col[1] + c0));
    r2 = _mm256_loadu_si256((const __m256i*)(col[2] + c0));
  } else {
    r0 = _mm256_maskz_loadu_epi8(mask, col[0] + c0);
    r1 = _mm256_maskz_loadu_epi8(mask, col[1] + c0);
    r2 = _mm256_maskz_loadu_epi8(mask, col[2] + c0);
  }
  const __m256i z = _mm256_setzero_si256();
  const __m256i u01lo = _mm256_unpacklo_epi8(r0, r1);
  const __m256i u01hi = _mm256_unpackhi_epi8(r0, r1);
  const __m256i u2lo = _mm256_unpacklo_epi8(r2, z);
  const __m256i u2hi = _mm256_unpackhi_epi8(r2, z);
  q8dw_col256 c;
  c.v[0] = _mm256_unpacklo_epi16(u01lo, u2lo);
  c.v[1] = _mm256_unpackhi_epi16(u01lo, u2lo);
  c.v[2] = _mm256_unpacklo_epi16(u01hi, u2hi);
  c.v[3] = _mm256_unpackhi_epi16(u01hi, u2hi);
  return c;
}

// Scales and rounds to int32, clamping only from above in float: min(vmax, f) also maps NaN to
// NaN, so NaN, -inf and anything below -2^31 convert to INT32_MIN and end as the lower clamp
// after the saturating packs, exactly as clamping both sides before rounding does.
Q8_INLINE Q8_TARGET __m512i q8dw_scale_round(__m512i acc, __m512 scale, __m512 vmax) {
  __m512 f = _mm512_cvt_roundepi32_ps(acc, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  f = _mm512_mul_round_ps(f, scale, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  f = _mm512_min_ps(vmax, f);
  return _mm512_cvt_roundps_epi32(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

// Saturating int16 steps are exact here: a value outside int16 stays outside [0, 255] after
// adding the zero point, and packus saturates it to the same end the clamp would.
Q8_INLINE Q8_TARGET __m512i q8dw_add_zp_pack(__m512i y0, __m512i y1, __m512i y2, __m512i y3, __m512i vzp16, __m512i vqmin) {
  const __m512i p01 = _mm512_adds_epi16(_mm512_packs_epi32(y0, y1), vzp16);
  const __m512i p23 = _mm512_adds_epi16(_mm512_packs_epi32(y2, y3), vzp16);
  return _mm512_max_epu8(_mm512_packus_epi16(p01, p23), vqmin);
}

// One full block of up to 64 channels over the output row; STRIDE 0 means any stride.
Q8_INLINE Q8_TARGET void q8dw3x3_block512(size_t n, size_t c0, size_t output_width, const uint8_t* const* table,
                                          size_t pixel_step, const uint8_t* wb, uint8_t* out, size_t out_stride,
                                          __m512 vmax, __m512i vzp16, __m512i vqmin, int stride) {
  const __mmask64 mask = n >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << n) - 1);
  const int32_t* bias = (const int32_t*)wb;
  const uint8_t* wp = wb + 256;
  const float* scale = (const float*)(wb + 1024);
  __m512i w[3][4];
  for (int kx = 0; kx < 3; kx++) {
    for (int r = 0; r < 4; r++) w[kx][r] = _mm512_loadu_si512(wp + kx * 256 + r * 64);
  }
  q8dw_col512 a, b, c;
  if (stride == 1 || stride == 2) {
    a = q8dw_column512(table, c0, mask);
    b = q8dw_column512(table + 3, c0, mask);
  }
  for (size_t x = 0; x < output_width; x++) {
    const uint8_t* const* px = table + x * pixel_step;
    if (stride == 1) {
      c = q8dw_column512(px + 6, c0, mask);
    } else if (stride == 2) {
      b = q8dw_column512(px + 3, c0, mask);
      c = q8dw_column512(px + 6, c0, mask);
    } else {
      a = q8dw_column512(px, c0, mask);
      b = q8dw_column512(px + 3, c0, mask);
      c = q8dw_column512(px + 6, c0, mask);
    }
    __m512i acc[4];
    for (int r = 0; r < 4; r++) {
      __m512i t = _mm512_dpbusd_epi32(_mm512_loadu_si512(bias + 16 * r), a.v[r], w[0][r]);
      t = _mm512_dpbusd_epi32(t, b.v[r], w[1][r]);
      acc[r] = _mm512_dpbusd_epi32(t, c.v[r], w[2][r]);
    }
    __m512i y[4];
    for (int r = 0; r < 4; r++) y[r] = q8dw_scale_round(acc[r], _mm512_loadu_ps(scale + 16 * r), vmax);
    _mm512_mask_storeu_epi8(out + x * out_stride, mask, q8dw_add_zp_pack(y[0], y[1], y[2], y[3], vzp16, vqmin));
    if (stride == 1) {
      a = b;
      b = c;
    } else if (stride == 2) {
      a = c;
    }
  }
}

// A block of at most 32 channels: 256-bit columns and vpdpbusd, requantized two vectors per
// 512-bit step (vectors 0 and 2, then 1 and 3, so one packus of the halves restores the order).
Q8_INLINE Q8_TARGET void q8dw3x3_block256(size_t n, size_t c0, size_t output_width, const uint8_t* const* table,
                                          size_t pixel_step, const uint8_t* wb, uint8_t* out, size_t out_stride,
                                          __m512 vmax, __m512i vzp16, __m512i vqmin, int stride) {
  const __mmask32 mask = n >= 32 ? ~(__mmask32)0 : (((__mmask32)1 << n) - 1);
  const int32_t* bias = (const int32_t*)wb;
  const uint8_t* wp = wb + 256;
  const float* scale = (const float*)(wb + 1024);
  __m256i w[3][4];
  for (int kx = 0; kx < 3; kx++) {
    for (int r = 0; r < 4; r++) w[kx][r] = _mm256_loadu_si256((const __m256i*)(wp + kx * 256 + r * 64));
  }
  const __m512 scale02 = _mm512_castpd_ps(_mm512_insertf64x4(
      _mm512_castps_pd(_mm512_castps256_ps512(_mm256_loadu_ps(scale))), _mm256_castps_pd(_mm256_loadu_ps(scale + 32)), 1));
  const __m512 scale13 = _mm512_castpd_ps(_mm512_insertf64x4(
      _mm512_castps_pd(_mm512_castps256_ps512(_mm256_loadu_ps(scale + 16))), _mm256_castps_pd(_mm256_loadu_ps(scale + 48)), 1));
  q8dw_col256 a, b, c;
  if (stride == 1 || stride == 2) {
    a = q8dw_column256(table, c0, mask);
    b = q8dw_column256(table + 3, c0, mask);
  }
  for (size_t x = 0; x < output_width; x++) {
    const uint8_t* const* px = table + x * pixel_step;
    if (stride == 1) {
      c = q8dw_column256(px + 6, c0, mask);
    } else if (stride == 2) {
      b = q8dw_column256(px + 3, c0, mask);
      c = q8dw_column256(px + 6, c0, mask);
    } else {
      a = q8dw_column256(px, c0, mask);
      b = q8dw_column256(px + 3, c0, mask);
      c = q8dw_column256(px + 6, c0, mask);
    }
    __m256i acc[4];
    for (int r = 0; r < 4; r++) {
      __m256i t = _mm256_dpbusd_epi32(_mm256_loadu_si256((const __m256i*)(bias + 16 * r)), a.v[r], w[0][r]);
      t = _mm256_dpbusd_epi32(t, b.v[r], w[1][r]);
      acc[r] = _mm256_dpbusd_epi32(t, c.v[r], w[2][r]);
    }
    const __m512i y02 = q8dw_scale_round(_mm512_inserti64x4(_mm512_castsi256_si512(acc[0]), acc[2], 1), scale02, vmax);
    const __m512i y13 = q8dw_scale_round(_mm512_inserti64x4(_mm512_castsi256_si512(acc[1]), acc[3], 1), scale13, vmax);
    // Lanes: [y0 y1] of lanes 0-1 in the low half, [y2 y3] in the high half, as int16.
    const __m512i p = _mm512_adds_epi16(_mm512_packs_epi32(y02, y13), vzp16);
    const __m256i bytes = _mm256_packus_epi16(_mm512_castsi512_si256(p), _mm512_extracti64x4_epi64(p, 1));
    _mm256_mask_storeu_epi8(out + x * out_stride, mask, _mm256_max_epu8(bytes, _mm512_castsi512_si256(vqmin)));
    if (stride == 1) {
      a = b;
      b = c;
    } else if (stride == 2) {
      a = c;
    }
  }
}

Q8_INLINE Q8_TARGET void q8dw3x3_row(size_t channels, size_t output_width, const uint8_t* const* table,
                                     size_t pixel_step, const void* w, uint8_t* output,
                                     const q8_requant_params* params, int stride) {
  const __m512 vmax = _mm512_set1_ps(params->max_less_zero_point);
  const __m512i vzp16 = _mm512_set1_epi16((int16_t)params->zero_point);
  // The lower clamp as a byte: min_less_zero_point + zero_point is an integer in [0, 255].
  const __m512i vqmin = _mm512_set1_epi8((char)(uint8_t)((int32_t)params->min_less_zero_point + params->zero_point));
  const uint8_t* wb = (const uint8_t*)w;
  for (size_t c0 = 0; c0 < channels; c0 += 64, wb += 1280) {
    const size_t n = channels - c0;
    if (n <= 32) {
      q8dw3x3_block256(n, c0, output_width, table, pixel_step, wb, output + c0, channels, vmax, vzp16, vqmin, stride);
    } else {
      q8dw3x3_block512(n, c0, output_width, table, pixel_step, wb, output + c0, channels, vmax, vzp16, vqmin, stride);
    }
  }
}

Q8_TARGET void q8_dwconv_up64x9__avx512vnni(size_t channels, size_t output_width,
                                            const uint8_t* const* table, size_t pixel_step,
                                            const uint8_t* zero, const void* w, uint8_t* output,
                                            const q8_requant_params* params) {
  (void)zero;  // padding columns point at the zero buffer through the table itself
  switch (pixel_step) {
    case 3: q8dw3x3_row(channels, output_width, table, pixel_step, w, output, params, 1); break;
    case 6: q8dw3x3_row(channels, output_width, table, pixel_step, w, output, params, 2); break;
    default: q8dw3x3_row(channels, output_width, table, pixel_step, w, output, params, 0); break;
  }
}

Q8_TARGET void q8_dwconv_up64xN__avx512vnni(size_t channels, size_t output_width, size_t taps,
                                            const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                            const uint8_t* zero, const void* w, uint8_t* output,
                                            const q8_requant_params* params) {
  q8dw_core(channels, output_width, taps, (taps + 3) & ~(size_t)3, table, pixel_step, offsets, zero, w, output, params);
}

#endif
