// fp32 depthwise convolution microkernels for 64-bit ARM with fused multiply-add, 8 channels per
// block (two q registers), over the same indirection buffer and packing as the x86 kernels (see
// f32_dwconv.c). Each output is bias + Σ in·w fused in tap order; the last, partial channel
// block runs lane by lane with the same fused operations, so it gives the same bits.
#include "f32_kernels.h"
#include <math.h>

#include "edge_mca.h"

#if defined(__aarch64__)
#include <arm_neon.h>

// P neighbouring output pixels at once (P a constant at each call): they share the weights,
// and their 2·P accumulators are independent chains. One pixel alone chains every tap's FMA
// on the one before, so the FMA latency, not the core's FMA rate, set its speed.
static inline __attribute__((always_inline)) void f32_dwn_pixels(const size_t P, size_t channels, size_t taps,
                                                                  const float** input, const float* w,
                                                                  float* output, size_t output_stride,
                                                                  float min, float max) {
  const float32x4_t vmin = vdupq_n_f32(min), vmax = vdupq_n_f32(max);
  const float* wp = w;
  size_t c = 0;
  for (; c + 8 <= channels; c += 8) {
    float32x4_t acc0[4], acc1[4];
    const float32x4_t b0 = vld1q_f32(wp), b1 = vld1q_f32(wp + 4);
    for (size_t p = 0; p < P; p++) { acc0[p] = b0; acc1[p] = b1; }
    for (size_t t = 0; t < taps; t++) {
      if (P == 4) { EDGE_MCA_BEGIN("f32_dwconv_up8xN__neonfma"); }
      const float32x4_t w0 = vld1q_f32(wp + 8 + 8 * t), w1 = vld1q_f32(wp + 12 + 8 * t);
      for (size_t p = 0; p < P; p++) {
        const float* in = input[p * taps + t] + c;
        acc0[p] = vfmaq_f32(acc0[p], vld1q_f32(in), w0);
        acc1[p] = vfmaq_f32(acc1[p], vld1q_f32(in + 4), w1);
      }
      if (P == 4) { EDGE_MCA_END("f32_dwconv_up8xN__neonfma"); }
    }
    wp += 8 * (taps + 1);
    for (size_t p = 0; p < P; p++) {
      vst1q_f32(output + p * output_stride + c, vminq_f32(vmaxq_f32(acc0[p], vmin), vmax));
      vst1q_f32(output + p * output_stride + c + 4, vminq_f32(vmaxq_f32(acc1[p], vmin), vmax));
    }
  }
  // The last pixel's row may end exactly at the end of the input buffer: no vector loads here.
  for (size_t p = 0; p < P; p++)
    for (size_t j = 0; c + j < channels; j++) {
      float acc = wp[j];
      for (size_t t = 0; t < taps; t++) acc = fmaf(input[p * taps + t][c + j], wp[8 + 8 * t + j], acc);
      output[p * output_stride + c + j] = fminf(fmaxf(acc, min), max);
    }
}

void f32_dwconv_minmax_ukernel_up8x9__neonfma(size_t channels, size_t width, size_t taps, const float** input,
                                              const float* w, float* output, size_t output_stride, float min,
                                              float max) {
  (void)taps;
  size_t x = 0;
  for (; x + 4 <= width; x += 4, input += 4 * 9, output += 4 * output_stride) {
    f32_dwn_pixels(4, channels, 9, input, w, output, output_stride, min, max);
  }
  for (; x < width; x++, input += 9, output += output_stride) {
    f32_dwn_pixels(1, channels, 9, input, w, output, output_stride, min, max);
  }
}

void f32_dwconv_minmax_ukernel_up8xN__neonfma(size_t channels, size_t width, size_t taps, const float** input,
                                              const float* w, float* output, size_t output_stride, float min,
                                              float max) {
  size_t x = 0;
  for (; x + 4 <= width; x += 4, input += 4 * taps, output += 4 * output_stride) {
    f32_dwn_pixels(4, channels, taps, input, w, output, output_stride, min, max);
  }
  for (; x < width; x++, input += taps, output += output_stride) {
    f32_dwn_pixels(1, channels, taps, input, w, output, output_stride, min, max);
  }
}
#endif
