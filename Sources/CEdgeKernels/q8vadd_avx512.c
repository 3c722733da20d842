// Quantized elementwise addition for AVX-512 (MobileNet v2 residuals): fp32 arithmetic with
// explicit round-to-nearest-even, matching the portable Swift kernel and the reference.
#include "q8kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define Q8_RN (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)

__attribute__((target("avx512f,avx512bw,avx512vl")))
void q8_vadd_minmax_fp32__avx512(size_t n, const uint8_t* a, const uint8_t* b, uint8_t* out,
                                 const q8_vadd_params* params) {
  const __m512i azp = _mm512_set1_epi32(params->a_zero_point);
  const __m512i bzp = _mm512_set1_epi32(params->b_zero_point);
  const __m512 am = _mm512_set1_ps(params->a_multiplier);
  const __m512 bm = _mm512_set1_ps(params->b_multiplier);
  const __m512 vmin = _mm512_set1_ps(params->min_less_zero_point);
  const __m512 vmax = _mm512_set1_ps(params->max_less_zero_point);
  const __m512i vzp = _mm512_set1_epi32(params->zero_point);
  for (size_t i = 0; i < n; i += 16) {
    const size_t m = n - i;
    const __mmask16 mask = m >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << m) - 1);
    const __m512i va = _mm512_sub_epi32(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, a + i)), azp);
    const __m512i vb = _mm512_sub_epi32(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, b + i)), bzp);
    const __m512 fa = _mm512_mul_round_ps(_mm512_cvt_roundepi32_ps(va, Q8_RN), am, Q8_RN);
    const __m512 fb = _mm512_mul_round_ps(_mm512_cvt_roundepi32_ps(vb, Q8_RN), bm, Q8_RN);
    __m512 f = _mm512_add_round_ps(fa, fb, Q8_RN);
    f = _mm512_min_ps(_mm512_max_ps(f, vmin), vmax);
    const __m512i y = _mm512_add_epi32(_mm512_cvt_roundps_epi32(f, Q8_RN), vzp);
    _mm_mask_storeu_epi8(out + i, mask, _mm512_cvtepi32_epi8(y));
  }
}
#endif
