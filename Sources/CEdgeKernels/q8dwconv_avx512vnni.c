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

Q8_TARGET void q8_dwconv_up64x9__avx512vnni(size_t channels, size_t output_width,
                                            const uint8_t* const* table, size_t pixel_step,
                                            const uint8_t* zero, const void* w, uint8_t* output,
                                            const q8_requant_params* params) {
  // Tap t = 3 * ky + kx sits at kx * 3 + ky in a pixel's stretch of the column-major table.
  static const size_t offsets[12] = {0, 3, 6, 1, 4, 7, 2, 5, 8, 0, 0, 0};
  q8dw_core(channels, output_width, 9, 12, table, pixel_step, offsets, zero, w, output, params);
}

Q8_TARGET void q8_dwconv_up64xN__avx512vnni(size_t channels, size_t output_width, size_t taps,
                                            const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                            const uint8_t* zero, const void* w, uint8_t* output,
                                            const q8_requant_params* params) {
  q8dw_core(channels, output_width, taps, (taps + 3) & ~(size_t)3, table, pixel_step, offsets, zero, w, output, params);
}

#endif
