// int8 depthwise convolution microkernel for 64-bit ARM (every ARMv8.0 core): 16 channels at a
// time; uint8 activations and int8 weights widen to int16 and multiply-accumulate exactly into
// int32 (`smlal`). Reads the portable packing; fp32 requantization identical to QRequantization.
#include "q8kernels.h"
#include <string.h>

#include "edge_mca.h"
#include "neon_acc.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#define Q8DN_INLINE static inline __attribute__((always_inline))

Q8DN_INLINE int32x4_t q8dn_requantize(int32x4_t acc, float32x4_t scale, float32x4_t vmin, float32x4_t vmax,
                                      int32x4_t vzp) {
  float32x4_t f = vmulq_f32(vcvtq_f32_s32(acc), scale);
  f = vminq_f32(vmaxq_f32(f, vmin), vmax);
  return vaddq_s32(vcvtnq_s32_f32(f), vzp);
}

// The taps of one full 16-channel block of four pixels in a fixed order, as one asm
// statement: per tap, the offset, the weights, the four pixels' input pointers and inputs
// load and widen first, then the 16 `smlal`s. An in-order core (Cortex-A53/A55) writes
// results back in program order, so each load or widening the compiler placed among the
// multiply-accumulates waited for the one before it. Accumulators (pixel p, channels 4j...
// 4j+3 in v(16+4p+j)) pass through `acc` in that order; weights in v0-v2, inputs in v3-v6 and
// widened in v8-v15. `tables[p]` is pixel p's indirection row; runs `taps` >= 1 taps.
Q8DN_INLINE void q8dn_4x16_taps(int32x4_t acc[16], const uint8_t* const* const tables[4], const size_t* offsets,
                                size_t c0, const int8_t** wp, size_t taps) {
  const uint8_t* const *t0 = tables[0], *const *t1 = tables[1], *const *t2 = tables[2], *const *t3 = tables[3];
  const int8_t* w = *wp;
  size_t off;
  const uint8_t *p0, *p1, *p2, *p3;
  __asm__ volatile(
      EDGE_NEON_LOAD_ACC16
      "0:\n\t"
      EDGE_MCA_ASM_BEGIN("q8_dwconv_up16xN__neon")
      "subs %[n], %[n], #1\n\t"
      "ldr %[off], [%[offsets]]\n\t"
      "add %[offsets], %[offsets], #8\n\t"
      "ldr q0, [%[w]]\n\t"
      "add %[w], %[w], #16\n\t"
      "ldr %[p0], [%[t0], %[off], lsl #3]\n\t"
      "ldr %[p1], [%[t1], %[off], lsl #3]\n\t"
      "ldr %[p2], [%[t2], %[off], lsl #3]\n\t"
      "ldr %[p3], [%[t3], %[off], lsl #3]\n\t"
      "sxtl v1.8h, v0.8b\n\t"
      "sxtl2 v2.8h, v0.16b\n\t"
      "ldr q3, [%[p0], %[c0]]\n\t"
      "ldr q4, [%[p1], %[c0]]\n\t"
      "ldr q5, [%[p2], %[c0]]\n\t"
      "ldr q6, [%[p3], %[c0]]\n\t"
      "uxtl v8.8h, v3.8b\n\t"
      "uxtl2 v9.8h, v3.16b\n\t"
      "uxtl v10.8h, v4.8b\n\t"
      "uxtl2 v11.8h, v4.16b\n\t"
      "uxtl v12.8h, v5.8b\n\t"
      "uxtl2 v13.8h, v5.16b\n\t"
      "uxtl v14.8h, v6.8b\n\t"
      "uxtl2 v15.8h, v6.16b\n\t"
      "smlal v16.4s, v8.4h, v1.4h\n\t"
      "smlal2 v17.4s, v8.8h, v1.8h\n\t"
      "smlal v18.4s, v9.4h, v2.4h\n\t"
      "smlal2 v19.4s, v9.8h, v2.8h\n\t"
      "smlal v20.4s, v10.4h, v1.4h\n\t"
      "smlal2 v21.4s, v10.8h, v1.8h\n\t"
      "smlal v22.4s, v11.4h, v2.4h\n\t"
      "smlal2 v23.4s, v11.8h, v2.8h\n\t"
      "smlal v24.4s, v12.4h, v1.4h\n\t"
      "smlal2 v25.4s, v12.8h, v1.8h\n\t"
      "smlal v26.4s, v13.4h, v2.4h\n\t"
      "smlal2 v27.4s, v13.8h, v2.8h\n\t"
      "smlal v28.4s, v14.4h, v1.4h\n\t"
      "smlal2 v29.4s, v14.8h, v1.8h\n\t"
      "smlal v30.4s, v15.4h, v2.4h\n\t"
      "smlal2 v31.4s, v15.8h, v2.8h\n\t"
      "b.ne 0b\n\t"
      EDGE_MCA_ASM_END("q8_dwconv_up16xN__neon")
      EDGE_NEON_STORE_ACC16
      : [offsets] "+r"(offsets), [w] "+r"(w), [n] "+r"(taps), [off] "=&r"(off), [p0] "=&r"(p0), [p1] "=&r"(p1),
        [p2] "=&r"(p2), [p3] "=&r"(p3)
      : [t0] "r"(t0), [t1] "r"(t1), [t2] "r"(t2), [t3] "r"(t3), [c0] "r"(c0), [acc] "r"(acc)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v8", "v9", "v10", "v11", "v12", "v13", "v14",
        "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29",
        "v30", "v31");
  *wp = w;
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
  if (P == 4 && full && taps > 0) {
    int32x4_t acc[16];
    for (size_t p = 0; p < 4; p++) {
      acc[4 * p] = acc0[p]; acc[4 * p + 1] = acc1[p]; acc[4 * p + 2] = acc2[p]; acc[4 * p + 3] = acc3[p];
    }
    const uint8_t* const* const tables[4] = {ptrs, ptrs + pixel_step, ptrs + 2 * pixel_step, ptrs + 3 * pixel_step};
    q8dn_4x16_taps(acc, tables, offsets, c0, &wp, taps);
    for (size_t p = 0; p < 4; p++) {
      acc0[p] = acc[4 * p]; acc1[p] = acc[4 * p + 1]; acc2[p] = acc[4 * p + 2]; acc3[p] = acc[4 * p + 3];
    }
  } else {
    for (size_t t = 0; t < taps; t++, wp += 16) {
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
    }
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
