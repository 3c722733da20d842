// Body of the 256-bit VNNI int8 depthwise microkernels, included by q8dwconv_avxvnni.c (VEX
// `{vex} vpdpbusd`, AVX-VNNI) and q8dwconv_avxvnni_evex.c (its EVEX 256-bit twin, AVX-512 VL +
// VNNI, the same bits; tested on AVX-512 CPUs, which cannot execute the VEX form). The includer
// defines Q8V_TARGET, Q8V_DPBUSD and Q8V_NAME(op) as for the GEMM body.
//
// The AVX-512 VNNI kernel's scheme on 32 channels, two output pixels at a time (they share
// every weight load): four taps are interleaved with in-lane
// byte and word unpacks so that each dword holds one channel's four taps, and vpdpbusd does
// 32 channels x 4 taps per instruction against weights packed in the same lane-permuted
// order (vector r, 128-bit lane L, dword d holds channel 16L + 4r + d); the in-lane packs at
// the end undo the permutation. Packed 32-channel block: int32 bias[32], int8
// weights[ceil(taps/4)][4][8][4], float scale[32], all in that order; padding taps have zero
// weights and read `zero`.
#include "q8kernels.h"
#include <string.h>
#include <immintrin.h>
#include "q8_avx256.h"

#define Q8VD_INLINE static inline __attribute__((always_inline))

// Tap t of a pixel: its entry of the row table, or the zero buffer for the padding taps
// (constant-folded away in the 3x3 kernel, whose offsets are compile-time constants).
Q8VD_INLINE const uint8_t* q8vd_tap(const uint8_t* const* px, const size_t* offsets, size_t tap_count,
                                    const uint8_t* zero, size_t t) {
  return t < tap_count ? px[offsets[t]] : zero;
}

// Four taps (t0..t3) of 32 channels into the four accumulators: each dword of the unpacked
// vectors holds one channel's four taps, the u8 operand of vpdpbusd.
#define Q8VD_GROUP(t0, t1, t2, t3, wp, acc0, acc1, acc2, acc3)                                              \
  {                                                                                                       \
    const __m256i u01lo = _mm256_unpacklo_epi8(t0, t1);                                                   \
    const __m256i u01hi = _mm256_unpackhi_epi8(t0, t1);                                                   \
    const __m256i u23lo = _mm256_unpacklo_epi8(t2, t3);                                                   \
    const __m256i u23hi = _mm256_unpackhi_epi8(t2, t3);                                                   \
    acc0 = Q8V_DPBUSD(acc0, _mm256_unpacklo_epi16(u01lo, u23lo), _mm256_loadu_si256((const __m256i*)(wp)));        \
    acc1 = Q8V_DPBUSD(acc1, _mm256_unpackhi_epi16(u01lo, u23lo), _mm256_loadu_si256((const __m256i*)((wp) + 32))); \
    acc2 = Q8V_DPBUSD(acc2, _mm256_unpacklo_epi16(u01hi, u23hi), _mm256_loadu_si256((const __m256i*)((wp) + 64))); \
    acc3 = Q8V_DPBUSD(acc3, _mm256_unpackhi_epi16(u01hi, u23hi), _mm256_loadu_si256((const __m256i*)((wp) + 96))); \
  }

#define Q8VD_LOAD(p) _mm256_loadu_si256((const __m256i*)(p))

Q8VD_INLINE Q8V_TARGET void q8vd_core(size_t channels, size_t output_width, size_t tap_count, size_t taps_padded,
                                      const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                      const uint8_t* zero, const void* w, uint8_t* output,
                                      const q8_requant_params* params) {
  const size_t groups = taps_padded / 4;
  const size_t block_bytes = 128 + groups * 128 + 128;
  const __m256 vmin = _mm256_set1_ps(params->min_less_zero_point);
  const __m256 vmax = _mm256_set1_ps(params->max_less_zero_point);
  const __m256i vzp = _mm256_set1_epi32(params->zero_point);
  const size_t full = channels & ~(size_t)31;
  size_t x = 0;
  // Two output pixels at a time share every weight load; full 32-channel blocks only.
  for (; x + 2 <= output_width; x += 2) {
    const uint8_t* const* pa = table + x * pixel_step;
    const uint8_t* const* pb = pa + pixel_step;
    const uint8_t* wb = (const uint8_t*)w;
    for (size_t c0 = 0; c0 < full; c0 += 32, wb += block_bytes) {
      __m256i a0 = _mm256_loadu_si256((const __m256i*)wb);
      __m256i a1 = _mm256_loadu_si256((const __m256i*)(wb + 32));
      __m256i a2 = _mm256_loadu_si256((const __m256i*)(wb + 64));
      __m256i a3 = _mm256_loadu_si256((const __m256i*)(wb + 96));
      __m256i b0 = a0, b1 = a1, b2 = a2, b3 = a3;
      const uint8_t* wp = wb + 128;
      for (size_t g = 0; g < groups; g++, wp += 128) {
        Q8VD_GROUP(Q8VD_LOAD(q8vd_tap(pa, offsets, tap_count, zero, 4 * g + 0) + c0),
                   Q8VD_LOAD(q8vd_tap(pa, offsets, tap_count, zero, 4 * g + 1) + c0),
                   Q8VD_LOAD(q8vd_tap(pa, offsets, tap_count, zero, 4 * g + 2) + c0),
                   Q8VD_LOAD(q8vd_tap(pa, offsets, tap_count, zero, 4 * g + 3) + c0), wp, a0, a1, a2, a3)
        Q8VD_GROUP(Q8VD_LOAD(q8vd_tap(pb, offsets, tap_count, zero, 4 * g + 0) + c0),
                   Q8VD_LOAD(q8vd_tap(pb, offsets, tap_count, zero, 4 * g + 1) + c0),
                   Q8VD_LOAD(q8vd_tap(pb, offsets, tap_count, zero, 4 * g + 2) + c0),
                   Q8VD_LOAD(q8vd_tap(pb, offsets, tap_count, zero, 4 * g + 3) + c0), wp, b0, b1, b2, b3)
      }
      q8w_finish32(a0, a1, a2, a3, (const float*)wp, vmin, vmax, vzp, output + x * channels + c0, 32);
      q8w_finish32(b0, b1, b2, b3, (const float*)wp, vmin, vmax, vzp, output + (x + 1) * channels + c0, 32);
    }
  }
  // The last odd pixel, and the last partial channel block of every pixel.
  for (size_t xx = 0; xx < output_width; xx++) {
    const uint8_t* const* px = table + xx * pixel_step;
    const size_t first = xx < x ? full : 0;
    const uint8_t* wb = (const uint8_t*)w + (first / 32) * block_bytes;
    for (size_t c0 = first; c0 < channels; c0 += 32, wb += block_bytes) {
      const size_t n = channels - c0;
      const __m256i mask = q8w_dword_mask(n);
      __m256i a0 = _mm256_loadu_si256((const __m256i*)wb);
      __m256i a1 = _mm256_loadu_si256((const __m256i*)(wb + 32));
      __m256i a2 = _mm256_loadu_si256((const __m256i*)(wb + 64));
      __m256i a3 = _mm256_loadu_si256((const __m256i*)(wb + 96));
      const uint8_t* wp = wb + 128;
      for (size_t g = 0; g < groups; g++, wp += 128) {
        Q8VD_GROUP(q8w_load32(q8vd_tap(px, offsets, tap_count, zero, 4 * g + 0) + c0, n, mask),
                   q8w_load32(q8vd_tap(px, offsets, tap_count, zero, 4 * g + 1) + c0, n, mask),
                   q8w_load32(q8vd_tap(px, offsets, tap_count, zero, 4 * g + 2) + c0, n, mask),
                   q8w_load32(q8vd_tap(px, offsets, tap_count, zero, 4 * g + 3) + c0, n, mask), wp, a0, a1, a2, a3)
      }
      q8w_finish32(a0, a1, a2, a3, (const float*)wp, vmin, vmax, vzp, output + xx * channels + c0, n);
    }
  }
}

Q8V_TARGET void Q8V_NAME(q8_dwconv_up32x9)(size_t channels, size_t output_width,
                                           const uint8_t* const* table, size_t pixel_step,
                                           const uint8_t* zero, const void* w, uint8_t* output,
                                           const q8_requant_params* params) {
  // Tap t = 3 * ky + kx sits at kx * 3 + ky in a pixel's stretch of the column-major table.
  static const size_t offsets[12] = {0, 3, 6, 1, 4, 7, 2, 5, 8, 0, 0, 0};
  q8vd_core(channels, output_width, 9, 12, table, pixel_step, offsets, zero, w, output, params);
}

Q8V_TARGET void Q8V_NAME(q8_dwconv_up32xN)(size_t channels, size_t output_width, size_t taps,
                                           const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                           const uint8_t* zero, const void* w, uint8_t* output,
                                           const q8_requant_params* params) {
  q8vd_core(channels, output_width, taps, (taps + 3) & ~(size_t)3, table, pixel_step, offsets, zero, w, output, params);
}
