// int8 depthwise convolution microkernel for AVX2 (CPUs without VNNI): 32 channels and two
// output pixels at a time (the pixels share every weight load), taps taken in pairs. Two taps'
// bytes are interleaved and zero-extended with in-lane unpacks so that each dword holds one
// channel's pair of activations as int16; vpmaddwd against the pair of int16 weights gives the
// exact int32 sum of both products (uint8 and int8 values are exact in int16), one instruction
// per 8 channels x 2 taps. Weights are packed in the lane order the unpacks produce (vector r,
// 128-bit lane L, dword d holds channel 16L + 4r + d) and the in-lane packs at the end undo it,
// so no cross-lane shuffle runs per tap (the previous 16-channel kernel widened every tap with
// three cross-lane conversions and multiplied in int16 with vpmullw).
// fp32 requantization identical to QRequantization.
#include "q8kernels.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include "q8_avx256.h"

#define Q8D_TARGET __attribute__((target("avx2,fma")))
#define Q8D_INLINE static inline __attribute__((always_inline))

// One pair of taps (a, b) of 32 channels into the four accumulators.
#define Q8D_PAIR(xa, xb, wp, acc0, acc1, acc2, acc3)                                                              \
  {                                                                                                             \
    const __m256i lo = _mm256_unpacklo_epi8(xa, xb);                                                            \
    const __m256i hi = _mm256_unpackhi_epi8(xa, xb);                                                            \
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(_mm256_unpacklo_epi8(lo, zero), _mm256_loadu_si256((const __m256i*)(wp))));        \
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(_mm256_unpackhi_epi8(lo, zero), _mm256_loadu_si256((const __m256i*)((wp) + 32)))); \
    acc2 = _mm256_add_epi32(acc2, _mm256_madd_epi16(_mm256_unpacklo_epi8(hi, zero), _mm256_loadu_si256((const __m256i*)((wp) + 64)))); \
    acc3 = _mm256_add_epi32(acc3, _mm256_madd_epi16(_mm256_unpackhi_epi8(hi, zero), _mm256_loadu_si256((const __m256i*)((wp) + 96)))); \
  }

Q8D_INLINE Q8D_TARGET void q8d_core(size_t channels, size_t output_width, size_t taps,
                                    const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                    const void* w, uint8_t* output, const q8_requant_params* params) {
  const __m256 vmin = _mm256_set1_ps(params->min_less_zero_point);
  const __m256 vmax = _mm256_set1_ps(params->max_less_zero_point);
  const __m256i vzp = _mm256_set1_epi32(params->zero_point);
  const __m256i zero = _mm256_setzero_si256();
  const size_t pairs = (taps + 1) / 2;
  const size_t block_bytes = 128 + pairs * 128 + 128;
  const size_t full = channels & ~(size_t)31;
  size_t x = 0;
  // Two output pixels at a time share every weight load.
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
      size_t t = 0;
      for (; t + 2 <= taps; t += 2, wp += 128) {
        const __m256i xa = _mm256_loadu_si256((const __m256i*)(pa[offsets[t]] + c0));
        const __m256i xb = _mm256_loadu_si256((const __m256i*)(pa[offsets[t + 1]] + c0));
        Q8D_PAIR(xa, xb, wp, a0, a1, a2, a3)
        const __m256i ya = _mm256_loadu_si256((const __m256i*)(pb[offsets[t]] + c0));
        const __m256i yb = _mm256_loadu_si256((const __m256i*)(pb[offsets[t + 1]] + c0));
        Q8D_PAIR(ya, yb, wp, b0, b1, b2, b3)
      }
      if (t < taps) {
        // An odd last tap pairs with zeros (its packed partner weight is zero as well).
        const __m256i xa = _mm256_loadu_si256((const __m256i*)(pa[offsets[t]] + c0));
        Q8D_PAIR(xa, zero, wp, a0, a1, a2, a3)
        const __m256i ya = _mm256_loadu_si256((const __m256i*)(pb[offsets[t]] + c0));
        Q8D_PAIR(ya, zero, wp, b0, b1, b2, b3)
        wp += 128;
      }
      q8w_finish32(a0, a1, a2, a3, (const float*)wp, vmin, vmax, vzp, output + x * channels + c0, 32);
      q8w_finish32(b0, b1, b2, b3, (const float*)wp, vmin, vmax, vzp, output + (x + 1) * channels + c0, 32);
    }
  }
  // The last odd pixel, and the last partial channel block of every pixel.
  for (size_t xx = 0; xx < output_width; xx++) {
    const uint8_t* const* px = table + xx * pixel_step;
    const uint8_t* wb = (const uint8_t*)w;
    const size_t first = xx < x ? full : 0;
    wb += (first / 32) * block_bytes;
    for (size_t c0 = first; c0 < channels; c0 += 32, wb += block_bytes) {
      const size_t n = channels - c0;
      const __m256i mask = q8w_dword_mask(n);
      __m256i a0 = _mm256_loadu_si256((const __m256i*)wb);
      __m256i a1 = _mm256_loadu_si256((const __m256i*)(wb + 32));
      __m256i a2 = _mm256_loadu_si256((const __m256i*)(wb + 64));
      __m256i a3 = _mm256_loadu_si256((const __m256i*)(wb + 96));
      const uint8_t* wp = wb + 128;
      for (size_t t = 0; t < taps; t += 2, wp += 128) {
        const __m256i xa = q8w_load32(px[offsets[t]] + c0, n, mask);
        const __m256i xb = t + 1 < taps ? q8w_load32(px[offsets[t + 1]] + c0, n, mask) : zero;
        Q8D_PAIR(xa, xb, wp, a0, a1, a2, a3)
      }
      q8w_finish32(a0, a1, a2, a3, (const float*)wp, vmin, vmax, vzp, output + xx * channels + c0, n);
    }
  }
}

Q8D_TARGET void q8_dwconv_up32xN__avx2(size_t channels, size_t output_width, size_t taps,
                                       const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                       const void* w, uint8_t* output, const q8_requant_params* params) {
  q8d_core(channels, output_width, taps, table, pixel_step, offsets, w, output, params);
}

#endif
