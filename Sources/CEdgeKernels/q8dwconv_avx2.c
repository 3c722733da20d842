// int8 depthwise convolution microkernel for AVX2 (CPUs without AVX-512 VNNI): 16 channels at
// a time; uint8 activations zero-extended and int8 weights sign-extended to int16 multiply
// exactly in int16 (|a·w| ≤ 255·128 < 2^15), then widen into int32 accumulators.
// fp32 requantization identical to QRequantization.
#include "q8kernels.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define Q8D_TARGET __attribute__((target("avx2,fma")))
#define Q8D_INLINE static inline __attribute__((always_inline))

// Product and conversions round to nearest even (MXCSR's default, which nothing changes);
// the integer clamp bounds make clamping before rounding equal to clamping after.
Q8D_INLINE Q8D_TARGET __m256i q8d_requantize(__m256i acc, __m256 scale, __m256 vmin, __m256 vmax, __m256i vzp) {
  __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), scale);
  f = _mm256_min_ps(_mm256_max_ps(f, vmin), vmax);
  return _mm256_add_epi32(_mm256_cvtps_epi32(f), vzp);
}

Q8D_TARGET void q8_dwconv_up16xN__avx2(size_t channels, size_t output_width, size_t taps,
                                       const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                       const void* w, uint8_t* output, const q8_requant_params* params) {
  const __m256 vmin = _mm256_set1_ps(params->min_less_zero_point);
  const __m256 vmax = _mm256_set1_ps(params->max_less_zero_point);
  const __m256i vzp = _mm256_set1_epi32(params->zero_point);
  const size_t block_bytes = 64 + taps * 16 + 64;
  for (size_t x = 0; x < output_width; x++) {
    const uint8_t* const* ptrs = table + x * pixel_step;
    const uint8_t* wb = (const uint8_t*)w;
    for (size_t c0 = 0; c0 < channels; c0 += 16, wb += block_bytes) {
      const size_t n = channels - c0 < 16 ? channels - c0 : 16;
      __m256i acc_lo = _mm256_loadu_si256((const __m256i*)wb);
      __m256i acc_hi = _mm256_loadu_si256((const __m256i*)(wb + 32));
      const int8_t* wp = (const int8_t*)(wb + 64);
      for (size_t t = 0; t < taps; t++, wp += 16) {
        const uint8_t* p = ptrs[offsets[t]] + c0;
        __m128i raw;
        if (n == 16) {
          raw = _mm_loadu_si128((const __m128i*)p);
        } else {
          // Never read past the channel count: the last pixel of a tensor ends there.
          uint8_t tmp[16] = {0};
          memcpy(tmp, p, n);
          raw = _mm_loadu_si128((const __m128i*)tmp);
        }
        const __m256i prod = _mm256_mullo_epi16(_mm256_cvtepu8_epi16(raw),
                                                _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)wp)));
        acc_lo = _mm256_add_epi32(acc_lo, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(prod)));
        acc_hi = _mm256_add_epi32(acc_hi, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(prod, 1)));
      }
      const float* scale = (const float*)wp;
      const __m256i y_lo = q8d_requantize(acc_lo, _mm256_loadu_ps(scale), vmin, vmax, vzp);
      const __m256i y_hi = q8d_requantize(acc_hi, _mm256_loadu_ps(scale + 8), vmin, vmax, vzp);
      // Values are already within 0...255; the in-lane pack interleaves 4-channel pieces and
      // one qword permute restores channel order.
      const __m256i p16 = _mm256_permute4x64_epi64(_mm256_packs_epi32(y_lo, y_hi), 0xD8);
      const __m128i bytes = _mm_packus_epi16(_mm256_castsi256_si128(p16), _mm256_extracti128_si256(p16, 1));
      uint8_t* o = output + x * channels + c0;
      if (n == 16) {
        _mm_storeu_si128((__m128i*)o, bytes);
      } else {
        uint8_t tmp[16];
        _mm_storeu_si128((__m128i*)tmp, bytes);
        memcpy(o, tmp, n);
      }
    }
  }
}

#endif
