// fp32 depthwise convolution microkernels for 64-bit ARM with fused multiply-add, 8 channels per
// block (two q registers), over the same indirection buffer and packing as the x86 kernels (see
// f32_dwconv.c). Each output is bias + Σ in·w fused in tap order; the last, partial channel
// block runs lane by lane with the same fused operations, so it gives the same bits.
#include "f32_kernels.h"
#include <math.h>

#include "edge_mca.h"

#if defined(__aarch64__)
#include <arm_neon.h>

static inline __attribute__((always_inline)) void f32_dwn_pixel(size_t channels, size_t taps, const float** input,
                                                                 const float* w, float* output, float min,
                                                                 float max) {
  const float32x4_t vmin = vdupq_n_f32(min), vmax = vdupq_n_f32(max);
  const float* wp = w;
  size_t c = 0;
  for (; c + 8 <= channels; c += 8) {
    float32x4_t acc0 = vld1q_f32(wp), acc1 = vld1q_f32(wp + 4);
    for (size_t t = 0; t < taps; t++) {
      EDGE_MCA_BEGIN("f32_dwconv_up8xN__neonfma");
      acc0 = vfmaq_f32(acc0, vld1q_f32(input[t] + c), vld1q_f32(wp + 8 + 8 * t));
      acc1 = vfmaq_f32(acc1, vld1q_f32(input[t] + c + 4), vld1q_f32(wp + 12 + 8 * t));
      EDGE_MCA_END("f32_dwconv_up8xN__neonfma");
    }
    wp += 8 * (taps + 1);
    vst1q_f32(output + c, vminq_f32(vmaxq_f32(acc0, vmin), vmax));
    vst1q_f32(output + c + 4, vminq_f32(vmaxq_f32(acc1, vmin), vmax));
  }
  // The last pixel's row may end exactly at the end of the input buffer: no vector loads here.
  for (size_t j = 0; c + j < channels; j++) {
    float acc = wp[j];
    for (size_t t = 0; t < taps; t++) acc = fmaf(input[t][c + j], wp[8 + 8 * t + j], acc);
    output[c + j] = fminf(fmaxf(acc, min), max);
  }
}

void f32_dwconv_minmax_ukernel_up8x9__neonfma(size_t channels, size_t width, size_t taps, const float** input,
                                              const float* w, float* output, size_t output_stride, float min,
                                              float max) {
  (void)taps;
  for (size_t x = 0; x < width; x++, input += 9, output += output_stride) {
    f32_dwn_pixel(channels, 9, input, w, output, min, max);
  }
}

void f32_dwconv_minmax_ukernel_up8xN__neonfma(size_t channels, size_t width, size_t taps, const float** input,
                                              const float* w, float* output, size_t output_stride, float min,
                                              float max) {
  for (size_t x = 0; x < width; x++, input += taps, output += output_stride) {
    f32_dwn_pixel(channels, taps, input, w, output, min, max);
  }
}
#endif
