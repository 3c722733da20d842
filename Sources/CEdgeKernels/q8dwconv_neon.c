// int8 depthwise convolution microkernel for 64-bit ARM (every ARMv8.0 core): 16 channels at a
// time; uint8 activations and int8 weights widen to int16 and multiply-accumulate exactly into
// int32 (`smlal`). Reads the portable packing; fp32 requantization identical to QRequantization.
#include "q8kernels.h"
#include <string.h>

#include "edge_mca.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#define Q8DN_INLINE static inline __attribute__((always_inline))

Q8DN_INLINE int32x4_t q8dn_requantize(int32x4_t acc, float32x4_t scale, float32x4_t vmin, float32x4_t vmax,
                                      int32x4_t vzp) {
  float32x4_t f = vmulq_f32(vcvtq_f32_s32(acc), scale);
  f = vminq_f32(vmaxq_f32(f, vmin), vmax);
  return vaddq_s32(vcvtnq_s32_f32(f), vzp);
}

// One block of n <= 16 channels of P <= 4 neighbouring output pixels (P and `full` are
// constants at each call): the pixels share the widened weights, and their 4·P accumulators
// are independent chains, where one pixel alone chains every tap on the one before. The
// 16-channel loop has no branch and only the last block copies its inputs (a pixel's last
// channels may end the tensor: nothing past them is read).
Q8DN_INLINE void q8dn_block(const size_t P, const int full, size_t n, size_t taps, const uint8_t* const* ptrs,
                            size_t pixel_step, const size_t* offsets, size_t c0, const uint8_t* wb, uint8_t* o,
                            size_t channels, float32x4_t vmin, float32x4_t vmax, int32x4_t vzp) {
  const int32_t* bias = (const int32_t*)wb;
  int32x4_t acc0[4], acc1[4], acc2[4], acc3[4];
  const int32x4_t b0 = vld1q_s32(bias), b1 = vld1q_s32(bias + 4);
  const int32x4_t b2 = vld1q_s32(bias + 8), b3 = vld1q_s32(bias + 12);
  for (size_t p = 0; p < P; p++) { acc0[p] = b0; acc1[p] = b1; acc2[p] = b2; acc3[p] = b3; }
  const int8_t* wp = (const int8_t*)(wb + 64);
  for (size_t t = 0; t < taps; t++, wp += 16) {
    if (P == 4 && full) { EDGE_MCA_BEGIN("q8_dwconv_up16xN__neon"); }
    const int8x16_t vw = vld1q_s8(wp);
    const int16x8_t w_lo = vmovl_s8(vget_low_s8(vw));
    const int16x8_t w_hi = vmovl_high_s8(vw);
    for (size_t p = 0; p < P; p++) {
      uint8x16_t raw;
      if (full) {
        raw = vld1q_u8(ptrs[p * pixel_step + offsets[t]] + c0);
      } else {
        uint8_t tmp[16] = {0};
        memcpy(tmp, ptrs[p * pixel_step + offsets[t]] + c0, n);
        raw = vld1q_u8(tmp);
      }
      const int16x8_t a_lo = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(raw)));
      const int16x8_t a_hi = vreinterpretq_s16_u16(vmovl_high_u8(raw));
      acc0[p] = vmlal_s16(acc0[p], vget_low_s16(a_lo), vget_low_s16(w_lo));
      acc1[p] = vmlal_high_s16(acc1[p], a_lo, w_lo);
      acc2[p] = vmlal_s16(acc2[p], vget_low_s16(a_hi), vget_low_s16(w_hi));
      acc3[p] = vmlal_high_s16(acc3[p], a_hi, w_hi);
    }
    if (P == 4 && full) { EDGE_MCA_END("q8_dwconv_up16xN__neon"); }
  }
  const float* scale = (const float*)wp;
  const float32x4_t s0 = vld1q_f32(scale), s1 = vld1q_f32(scale + 4);
  const float32x4_t s2 = vld1q_f32(scale + 8), s3 = vld1q_f32(scale + 12);
  for (size_t p = 0; p < P; p++) {
    const int32x4_t y0 = q8dn_requantize(acc0[p], s0, vmin, vmax, vzp);
    const int32x4_t y1 = q8dn_requantize(acc1[p], s1, vmin, vmax, vzp);
    const int32x4_t y2 = q8dn_requantize(acc2[p], s2, vmin, vmax, vzp);
    const int32x4_t y3 = q8dn_requantize(acc3[p], s3, vmin, vmax, vzp);
    const uint8x16_t bytes = vcombine_u8(vqmovun_s16(vcombine_s16(vqmovn_s32(y0), vqmovn_s32(y1))),
                                         vqmovun_s16(vcombine_s16(vqmovn_s32(y2), vqmovn_s32(y3))));
    if (full) {
      vst1q_u8(o + p * channels, bytes);
    } else {
      uint8_t tmp[16];
      vst1q_u8(tmp, bytes);
      memcpy(o + p * channels, tmp, n);
    }
  }
}

// Every block of P pixels starting at output pixel x.
Q8DN_INLINE void q8dn_pixels(const size_t P, size_t channels, size_t x, size_t taps, const uint8_t* const* table,
                             size_t pixel_step, const size_t* offsets, const void* w, uint8_t* output,
                             float32x4_t vmin, float32x4_t vmax, int32x4_t vzp) {
  const uint8_t* const* ptrs = table + x * pixel_step;
  const uint8_t* wb = (const uint8_t*)w;
  uint8_t* o = output + x * channels;
  const size_t block_bytes = 64 + taps * 16 + 64;
  size_t c0 = 0;
  for (; c0 + 16 <= channels; c0 += 16, wb += block_bytes) {
    q8dn_block(P, 1, 16, taps, ptrs, pixel_step, offsets, c0, wb, o + c0, channels, vmin, vmax, vzp);
  }
  if (c0 < channels) {
    q8dn_block(P, 0, channels - c0, taps, ptrs, pixel_step, offsets, c0, wb, o + c0, channels, vmin, vmax, vzp);
  }
}

void q8_dwconv_up16xN__neon(size_t channels, size_t output_width, size_t taps,
                            const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                            const void* w, uint8_t* output, const q8_requant_params* params) {
  const float32x4_t vmin = vdupq_n_f32(params->min_less_zero_point);
  const float32x4_t vmax = vdupq_n_f32(params->max_less_zero_point);
  const int32x4_t vzp = vdupq_n_s32(params->zero_point);
  size_t x = 0;
  for (; x + 4 <= output_width; x += 4) {
    q8dn_pixels(4, channels, x, taps, table, pixel_step, offsets, w, output, vmin, vmax, vzp);
  }
  for (; x < output_width; x++) {
    q8dn_pixels(1, channels, x, taps, table, pixel_step, offsets, w, output, vmin, vmax, vzp);
  }
}
#endif
