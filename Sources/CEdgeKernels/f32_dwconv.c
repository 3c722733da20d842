// fp32 depthwise convolution microkernels over an indirection buffer: one pointer per
// output pixel and kernel tap, so stride, dilation and padding (a pointer to a zero row)
// never reach the inner loop. The 9-tap kernels keep all tap pointers in registers; the
// generic ones loop over any number of taps.
#include "f32_kernels.h"
#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f"))) void f32_dwconv_minmax_ukernel_up16x9__avx512f(
    size_t channels, size_t width, size_t taps, const float** input, const float* w, float* output,
    size_t output_stride, float min, float max) {
  (void)taps;
  const __m512 vmin = _mm512_set1_ps(min), vmax = _mm512_set1_ps(max);
  for (size_t x = 0; x < width; x++) {
    const float* i0 = input[0]; const float* i1 = input[1]; const float* i2 = input[2];
    const float* i3 = input[3]; const float* i4 = input[4]; const float* i5 = input[5];
    const float* i6 = input[6]; const float* i7 = input[7]; const float* i8 = input[8];
    input += 9;
    const float* wp = w;
    float* o = output;
    size_t c = channels;
    for (; c >= 16; c -= 16) {
      // Two partial sums halve the FMA dependency chain.
      __m512 a0 = _mm512_loadu_ps(wp);
      __m512 a1 = _mm512_mul_ps(_mm512_loadu_ps(i0), _mm512_loadu_ps(wp + 16));
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(i1), _mm512_loadu_ps(wp + 32), a0);
      a1 = _mm512_fmadd_ps(_mm512_loadu_ps(i2), _mm512_loadu_ps(wp + 48), a1);
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(i3), _mm512_loadu_ps(wp + 64), a0);
      a1 = _mm512_fmadd_ps(_mm512_loadu_ps(i4), _mm512_loadu_ps(wp + 80), a1);
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(i5), _mm512_loadu_ps(wp + 96), a0);
      a1 = _mm512_fmadd_ps(_mm512_loadu_ps(i6), _mm512_loadu_ps(wp + 112), a1);
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(i7), _mm512_loadu_ps(wp + 128), a0);
      a1 = _mm512_fmadd_ps(_mm512_loadu_ps(i8), _mm512_loadu_ps(wp + 144), a1);
      i0 += 16; i1 += 16; i2 += 16; i3 += 16; i4 += 16; i5 += 16; i6 += 16; i7 += 16; i8 += 16;
      wp += 160;
      __m512 acc = _mm512_add_ps(a0, a1);
      acc = _mm512_min_ps(_mm512_max_ps(acc, vmin), vmax);
      _mm512_storeu_ps(o, acc);
      o += 16;
    }
    if (c != 0) {
      // Masked loads: the last pixel's row may end exactly at the end of the input buffer.
      const __mmask16 m = (__mmask16)((1u << c) - 1);
      __m512 a0 = _mm512_loadu_ps(wp);
      __m512 a1 = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, i0), _mm512_loadu_ps(wp + 16));
      a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, i1), _mm512_loadu_ps(wp + 32), a0);
      a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, i2), _mm512_loadu_ps(wp + 48), a1);
      a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, i3), _mm512_loadu_ps(wp + 64), a0);
      a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, i4), _mm512_loadu_ps(wp + 80), a1);
      a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, i5), _mm512_loadu_ps(wp + 96), a0);
      a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, i6), _mm512_loadu_ps(wp + 112), a1);
      a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, i7), _mm512_loadu_ps(wp + 128), a0);
      a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, i8), _mm512_loadu_ps(wp + 144), a1);
      __m512 acc = _mm512_add_ps(a0, a1);
      acc = _mm512_min_ps(_mm512_max_ps(acc, vmin), vmax);
      _mm512_mask_storeu_ps(o, m, acc);
    }
    output += output_stride;
  }
}

__attribute__((target("avx512f"))) void f32_dwconv_minmax_ukernel_up16xN__avx512f(
    size_t channels, size_t width, size_t taps, const float** input, const float* w, float* output,
    size_t output_stride, float min, float max) {
  const __m512 vmin = _mm512_set1_ps(min), vmax = _mm512_set1_ps(max);
  for (size_t x = 0; x < width; x++) {
    const float* wp = w;
    for (size_t c = 0; c < channels; c += 16) {
      const size_t n = channels - c < 16 ? channels - c : 16;
      const __mmask16 m = (__mmask16)((1u << n) - 1);
      __m512 acc = _mm512_loadu_ps(wp);
      for (size_t t = 0; t < taps; t++) {
        acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, input[t] + c), _mm512_loadu_ps(wp + 16 + 16 * t), acc);
      }
      wp += 16 * (taps + 1);
      acc = _mm512_min_ps(_mm512_max_ps(acc, vmin), vmax);
      _mm512_mask_storeu_ps(output + c, m, acc);
    }
    input += taps;
    output += output_stride;
  }
}

static const int f32_dwconv_mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

__attribute__((target("avx2,fma"))) void f32_dwconv_minmax_ukernel_up8x9__avx2_fma(
    size_t channels, size_t width, size_t taps, const float** input, const float* w, float* output,
    size_t output_stride, float min, float max) {
  (void)taps;
  const __m256 vmin = _mm256_set1_ps(min), vmax = _mm256_set1_ps(max);
  for (size_t x = 0; x < width; x++) {
    const float* i0 = input[0]; const float* i1 = input[1]; const float* i2 = input[2];
    const float* i3 = input[3]; const float* i4 = input[4]; const float* i5 = input[5];
    const float* i6 = input[6]; const float* i7 = input[7]; const float* i8 = input[8];
    input += 9;
    const float* wp = w;
    float* o = output;
    size_t c = channels;
    for (; c >= 8; c -= 8) {
      __m256 a0 = _mm256_loadu_ps(wp);
      __m256 a1 = _mm256_mul_ps(_mm256_loadu_ps(i0), _mm256_loadu_ps(wp + 8));
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(i1), _mm256_loadu_ps(wp + 16), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(i2), _mm256_loadu_ps(wp + 24), a1);
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(i3), _mm256_loadu_ps(wp + 32), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(i4), _mm256_loadu_ps(wp + 40), a1);
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(i5), _mm256_loadu_ps(wp + 48), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(i6), _mm256_loadu_ps(wp + 56), a1);
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(i7), _mm256_loadu_ps(wp + 64), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(i8), _mm256_loadu_ps(wp + 72), a1);
      i0 += 8; i1 += 8; i2 += 8; i3 += 8; i4 += 8; i5 += 8; i6 += 8; i7 += 8; i8 += 8;
      wp += 80;
      __m256 acc = _mm256_add_ps(a0, a1);
      acc = _mm256_min_ps(_mm256_max_ps(acc, vmin), vmax);
      _mm256_storeu_ps(o, acc);
      o += 8;
    }
    if (c != 0) {
      const __m256i m = _mm256_loadu_si256((const __m256i*)&f32_dwconv_mask_table[8 - c]);
      __m256 a0 = _mm256_loadu_ps(wp);
      __m256 a1 = _mm256_mul_ps(_mm256_maskload_ps(i0, m), _mm256_loadu_ps(wp + 8));
      a0 = _mm256_fmadd_ps(_mm256_maskload_ps(i1, m), _mm256_loadu_ps(wp + 16), a0);
      a1 = _mm256_fmadd_ps(_mm256_maskload_ps(i2, m), _mm256_loadu_ps(wp + 24), a1);
      a0 = _mm256_fmadd_ps(_mm256_maskload_ps(i3, m), _mm256_loadu_ps(wp + 32), a0);
      a1 = _mm256_fmadd_ps(_mm256_maskload_ps(i4, m), _mm256_loadu_ps(wp + 40), a1);
      a0 = _mm256_fmadd_ps(_mm256_maskload_ps(i5, m), _mm256_loadu_ps(wp + 48), a0);
      a1 = _mm256_fmadd_ps(_mm256_maskload_ps(i6, m), _mm256_loadu_ps(wp + 56), a1);
      a0 = _mm256_fmadd_ps(_mm256_maskload_ps(i7, m), _mm256_loadu_ps(wp + 64), a0);
      a1 = _mm256_fmadd_ps(_mm256_maskload_ps(i8, m), _mm256_loadu_ps(wp + 72), a1);
      __m256 acc = _mm256_add_ps(a0, a1);
      acc = _mm256_min_ps(_mm256_max_ps(acc, vmin), vmax);
      _mm256_maskstore_ps(o, m, acc);
    }
    output += output_stride;
  }
}

__attribute__((target("avx2,fma"))) void f32_dwconv_minmax_ukernel_up8xN__avx2_fma(
    size_t channels, size_t width, size_t taps, const float** input, const float* w, float* output,
    size_t output_stride, float min, float max) {
  const __m256 vmin = _mm256_set1_ps(min), vmax = _mm256_set1_ps(max);
  for (size_t x = 0; x < width; x++) {
    const float* wp = w;
    for (size_t c = 0; c < channels; c += 8) {
      const size_t n = channels - c < 8 ? channels - c : 8;
      const __m256i m = _mm256_loadu_si256((const __m256i*)&f32_dwconv_mask_table[8 - n]);
      __m256 acc = _mm256_loadu_ps(wp);
      for (size_t t = 0; t < taps; t++) {
        acc = _mm256_fmadd_ps(_mm256_maskload_ps(input[t] + c, m), _mm256_loadu_ps(wp + 8 + 8 * t), acc);
      }
      wp += 8 * (taps + 1);
      acc = _mm256_min_ps(_mm256_max_ps(acc, vmin), vmax);
      _mm256_maskstore_ps(output + c, m, acc);
    }
    input += taps;
    output += output_stride;
  }
}
#endif
