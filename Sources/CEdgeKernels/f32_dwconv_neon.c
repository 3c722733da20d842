// fp32 depthwise convolution microkernels for 64-bit ARM with fused multiply-add, 8 channels per
// block (two q registers), over the same indirection buffer and packing as the x86 kernels (see
// f32_dwconv.c). Each output is bias + Σ in·w fused in tap order; the last, partial channel
// block runs lane by lane with the same fused operations, so it gives the same bits.
#include "f32_kernels.h"
#include <math.h>

#include "edge_mca.h"

#if defined(__aarch64__)
#include <arm_neon.h>

// The taps of one 8-channel block of four pixels in a fixed order, as one asm statement: per
// tap, the four pixels' input pointers, the weights and the eight input vectors load first,
// then the eight FMAs. An in-order core (Cortex-A53/A55) writes results back in program order,
// so each load the compiler placed among the FMAs waited out an FMA's latency. Accumulators
// (pixel p in v(16+2p), v(17+2p)) pass through `acc` in that order; weights in v0-v1, inputs
// in v2-v9. `rows[p]` is pixel p's first indirection entry, `byte_offset` the block's place
// in each input row; runs `taps` >= 1 taps.
static inline __attribute__((always_inline)) void f32_dwn_4x8_taps(float32x4_t acc[8], const float** const rows[4],
                                                                    const float* w, size_t byte_offset,
                                                                    size_t taps) {
  const float **r0 = rows[0], **r1 = rows[1], **r2 = rows[2], **r3 = rows[3];
  const float *p0, *p1, *p2, *p3;
  __asm__ volatile(
      "ldp q16, q17, [%[acc]]\n\t"
      "ldp q18, q19, [%[acc], #32]\n\t"
      "ldp q20, q21, [%[acc], #64]\n\t"
      "ldp q22, q23, [%[acc], #96]\n\t"
      "0:\n\t"
      EDGE_MCA_ASM_BEGIN("f32_dwconv_up8xN__neonfma")
      "subs %[n], %[n], #1\n\t"
      "ldr %[p0], [%[r0]]\n\t"
      "ldr %[p1], [%[r1]]\n\t"
      "ldr %[p2], [%[r2]]\n\t"
      "ldr %[p3], [%[r3]]\n\t"
      "add %[r0], %[r0], #8\n\t"
      "add %[r1], %[r1], #8\n\t"
      "add %[r2], %[r2], #8\n\t"
      "add %[r3], %[r3], #8\n\t"
      "ldr q0, [%[w]]\n\t"
      "ldr q1, [%[w], #16]\n\t"
      "add %[w], %[w], #32\n\t"
      "add %[p0], %[p0], %[off]\n\t"
      "add %[p1], %[p1], %[off]\n\t"
      "add %[p2], %[p2], %[off]\n\t"
      "add %[p3], %[p3], %[off]\n\t"
      "ldr q2, [%[p0]]\n\t"
      "ldr q3, [%[p0], #16]\n\t"
      "ldr q4, [%[p1]]\n\t"
      "ldr q5, [%[p1], #16]\n\t"
      "ldr q6, [%[p2]]\n\t"
      "ldr q7, [%[p2], #16]\n\t"
      "ldr q8, [%[p3]]\n\t"
      "ldr q9, [%[p3], #16]\n\t"
      "fmla v16.4s, v0.4s, v2.4s\n\t"
      "fmla v17.4s, v1.4s, v3.4s\n\t"
      "fmla v18.4s, v0.4s, v4.4s\n\t"
      "fmla v19.4s, v1.4s, v5.4s\n\t"
      "fmla v20.4s, v0.4s, v6.4s\n\t"
      "fmla v21.4s, v1.4s, v7.4s\n\t"
      "fmla v22.4s, v0.4s, v8.4s\n\t"
      "fmla v23.4s, v1.4s, v9.4s\n\t"
      "b.ne 0b\n\t"
      EDGE_MCA_ASM_END("f32_dwconv_up8xN__neonfma")
      "stp q16, q17, [%[acc]]\n\t"
      "stp q18, q19, [%[acc], #32]\n\t"
      "stp q20, q21, [%[acc], #64]\n\t"
      "stp q22, q23, [%[acc], #96]\n\t"
      : [r0] "+r"(r0), [r1] "+r"(r1), [r2] "+r"(r2), [r3] "+r"(r3), [w] "+r"(w), [n] "+r"(taps),
        [p0] "=&r"(p0), [p1] "=&r"(p1), [p2] "=&r"(p2), [p3] "=&r"(p3)
      : [acc] "r"(acc), [off] "r"(byte_offset)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v16", "v17", "v18", "v19",
        "v20", "v21", "v22", "v23");
}

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
    if (P == 4 && taps > 0) {
      float32x4_t acc[8];
      const float** const rows[4] = {input, input + taps, input + 2 * taps, input + 3 * taps};
      for (size_t p = 0; p < 4; p++) { acc[2 * p] = acc0[p]; acc[2 * p + 1] = acc1[p]; }
      f32_dwn_4x8_taps(acc, rows, wp + 8, c * sizeof(float), taps);
      for (size_t p = 0; p < 4; p++) { acc0[p] = acc[2 * p]; acc1[p] = acc[2 * p + 1]; }
    } else {
      for (size_t t = 0; t < taps; t++) {
        const float32x4_t w0 = vld1q_f32(wp + 8 + 8 * t), w1 = vld1q_f32(wp + 12 + 8 * t);
        for (size_t p = 0; p < P; p++) {
          const float* in = input[p * taps + t] + c;
          acc0[p] = vfmaq_f32(acc0[p], vld1q_f32(in), w0);
          acc1[p] = vfmaq_f32(acc1[p], vld1q_f32(in + 4), w1);
        }
      }
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
