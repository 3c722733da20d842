// Body of the 256-bit VNNI int8 GEMM and indirect GEMM microkernels, included by two files
// that differ only in the instruction encoding: q8gemm_avxvnni.c (VEX `{vex} vpdpbusd`, the
// AVX-VNNI of CPUs without AVX-512) and q8gemm_avxvnni_evex.c (the same instruction in its
// EVEX 256-bit form, AVX-512 VL + VNNI). Both compute the same bits; the EVEX twin exists so
// that this source is tested byte for byte on AVX-512 CPUs, which lack AVX-VNNI.
//
// The includer defines Q8V_TARGET (function target attribute), Q8V_DPBUSD (the 256-bit
// vpdpbusd intrinsic) and Q8V_NAME(op) (the exported name of each kernel).
//
// uint8 activations times int8 weights with vpdpbusd, the input zero point folded into the
// bias at pack time; 6 rows x 16 columns: 12 int32 accumulators, 2 weight vectors and one
// activation broadcast fill the 16 ymm registers a CPU without AVX-512 has. Packed block:
// int32 bias[16], int8 weights[ks][ceil(kc/4)][16][4] (zero padded), float scale[16] — the
// layout of the 8x16c4 AVX-512 VNNI tile.
#include "q8kernels.h"
#include <string.h>
#include <immintrin.h>

#define Q8V_INLINE static inline __attribute__((always_inline))

// Four activation bytes repeated in every dword: the u8 operand of vpdpbusd.
Q8V_INLINE Q8V_TARGET __m256i q8v_broadcast4(const uint8_t* p) {
  int32_t v;
  memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

// The last 1-3 bytes of a row as one dword, the missing ones zero (their packed weights are
// zero too); read byte by byte because the row may end at the end of the tensor.
Q8V_INLINE Q8V_TARGET __m256i q8v_broadcast_tail(const uint8_t* p, size_t n) {
  int32_t v = p[0];
  if (n > 1) v |= (int32_t)p[1] << 8;
  if (n > 2) v |= (int32_t)p[2] << 16;
  return _mm256_set1_epi32(v);
}

// The fp32 arithmetic of QRequantization: product and conversions round to nearest even
// (MXCSR's default, which nothing in the process changes); clamping before rounding equals
// clamping after because the bounds are integers.
Q8V_INLINE Q8V_TARGET __m256i q8v_requantize(__m256i acc, __m256 scale, __m256 vmin, __m256 vmax, __m256i vzp) {
  __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), scale);
  f = _mm256_min_ps(_mm256_max_ps(f, vmin), vmax);
  return _mm256_add_epi32(_mm256_cvtps_epi32(f), vzp);
}

// Columns 0-7 and 8-15 (already within 0...255) to 16 bytes in column order: the in-lane pack
// interleaves 4-column pieces, one qword permute restores the order.
Q8V_INLINE Q8V_TARGET __m128i q8v_pack16(__m256i lo, __m256i hi) {
  const __m256i p = _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xD8);
  return _mm_packus_epi16(_mm256_castsi256_si128(p), _mm256_extracti128_si256(p, 1));
}

// Stores the first nc (1...16) bytes of v without touching the bytes after them.
Q8V_INLINE Q8V_TARGET void q8v_store(uint8_t* c, __m128i v, size_t nc) {
  if (nc >= 16) { _mm_storeu_si128((__m128i*)c, v); return; }
  if (nc & 8) { _mm_storel_epi64((__m128i*)c, v); v = _mm_unpackhi_epi64(v, v); c += 8; }
  if (nc & 4) { const int32_t x = _mm_cvtsi128_si32(v); memcpy(c, &x, 4); v = _mm_srli_epi64(v, 32); c += 4; }
  if (nc & 2) { const int16_t x = (int16_t)_mm_extract_epi16(v, 0); memcpy(c, &x, 2); v = _mm_srli_epi32(v, 16); c += 2; }
  if (nc & 1) { *c = (uint8_t)_mm_extract_epi8(v, 0); }
}

// One row of the tile: four K values of the row against both weight vectors.
#define Q8V_ROW(row, x)                                  \
  {                                                      \
    const __m256i xv = (x);                              \
    acc##row##0 = Q8V_DPBUSD(acc##row##0, xv, w0);       \
    acc##row##1 = Q8V_DPBUSD(acc##row##1, xv, w1);       \
  }

Q8V_INLINE Q8V_TARGET void q8v_igemm_core(size_t mr, size_t nc, size_t kc, size_t ks,
                                          const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                          const void* w, uint8_t* c, size_t c_stride,
                                          const q8_requant_params* params) {
  // Rows past mr alias the last valid row: same input, same output bytes.
  const uint8_t* const* r1 = mr > 1 ? r0 + rstride : r0;
  const uint8_t* const* r2 = mr > 2 ? r1 + rstride : r1;
  const uint8_t* const* r3 = mr > 3 ? r2 + rstride : r2;
  const uint8_t* const* r4 = mr > 4 ? r3 + rstride : r3;
  const uint8_t* const* r5 = mr > 5 ? r4 + rstride : r4;

  const int32_t* bias = (const int32_t*)w;
  __m256i acc00 = _mm256_loadu_si256((const __m256i*)bias);
  __m256i acc01 = _mm256_loadu_si256((const __m256i*)(bias + 8));
  __m256i acc10 = acc00, acc11 = acc01, acc20 = acc00, acc21 = acc01;
  __m256i acc30 = acc00, acc31 = acc01, acc40 = acc00, acc41 = acc01, acc50 = acc00, acc51 = acc01;
  const int8_t* wp = (const int8_t*)w + 16 * sizeof(int32_t);

  for (size_t p = 0; p < ks; p++) {
    const uint8_t* a0 = r0[p] + a_offset;
    const uint8_t* a1 = r1[p] + a_offset;
    const uint8_t* a2 = r2[p] + a_offset;
    const uint8_t* a3 = r3[p] + a_offset;
    const uint8_t* a4 = r4[p] + a_offset;
    const uint8_t* a5 = r5[p] + a_offset;
    size_t k = 0;
    for (; k + 4 <= kc; k += 4) {
      const __m256i w0 = _mm256_loadu_si256((const __m256i*)wp);
      const __m256i w1 = _mm256_loadu_si256((const __m256i*)(wp + 32));
      wp += 64;
      Q8V_ROW(0, q8v_broadcast4(a0 + k))
      Q8V_ROW(1, q8v_broadcast4(a1 + k))
      Q8V_ROW(2, q8v_broadcast4(a2 + k))
      Q8V_ROW(3, q8v_broadcast4(a3 + k))
      Q8V_ROW(4, q8v_broadcast4(a4 + k))
      Q8V_ROW(5, q8v_broadcast4(a5 + k))
    }
    if (k < kc) {
      const __m256i w0 = _mm256_loadu_si256((const __m256i*)wp);
      const __m256i w1 = _mm256_loadu_si256((const __m256i*)(wp + 32));
      wp += 64;
      Q8V_ROW(0, q8v_broadcast_tail(a0 + k, kc - k))
      Q8V_ROW(1, q8v_broadcast_tail(a1 + k, kc - k))
      Q8V_ROW(2, q8v_broadcast_tail(a2 + k, kc - k))
      Q8V_ROW(3, q8v_broadcast_tail(a3 + k, kc - k))
      Q8V_ROW(4, q8v_broadcast_tail(a4 + k, kc - k))
      Q8V_ROW(5, q8v_broadcast_tail(a5 + k, kc - k))
    }
  }

  const float* scale = (const float*)wp;
  const __m256 s0 = _mm256_loadu_ps(scale);
  const __m256 s1 = _mm256_loadu_ps(scale + 8);
  const __m256 vmin = _mm256_set1_ps(params->min_less_zero_point);
  const __m256 vmax = _mm256_set1_ps(params->max_less_zero_point);
  const __m256i vzp = _mm256_set1_epi32(params->zero_point);

  uint8_t* c0 = c;
  uint8_t* c1 = mr > 1 ? c0 + c_stride : c0;
  uint8_t* c2 = mr > 2 ? c1 + c_stride : c1;
  uint8_t* c3 = mr > 3 ? c2 + c_stride : c2;
  uint8_t* c4 = mr > 4 ? c3 + c_stride : c3;
  uint8_t* c5 = mr > 5 ? c4 + c_stride : c4;
  // Highest row first: an aliased row then rewrites the same bytes the valid row computed.
  q8v_store(c5, q8v_pack16(q8v_requantize(acc50, s0, vmin, vmax, vzp), q8v_requantize(acc51, s1, vmin, vmax, vzp)), nc);
  q8v_store(c4, q8v_pack16(q8v_requantize(acc40, s0, vmin, vmax, vzp), q8v_requantize(acc41, s1, vmin, vmax, vzp)), nc);
  q8v_store(c3, q8v_pack16(q8v_requantize(acc30, s0, vmin, vmax, vzp), q8v_requantize(acc31, s1, vmin, vmax, vzp)), nc);
  q8v_store(c2, q8v_pack16(q8v_requantize(acc20, s0, vmin, vmax, vzp), q8v_requantize(acc21, s1, vmin, vmax, vzp)), nc);
  q8v_store(c1, q8v_pack16(q8v_requantize(acc10, s0, vmin, vmax, vzp), q8v_requantize(acc11, s1, vmin, vmax, vzp)), nc);
  q8v_store(c0, q8v_pack16(q8v_requantize(acc00, s0, vmin, vmax, vzp), q8v_requantize(acc01, s1, vmin, vmax, vzp)), nc);
}

Q8V_TARGET void Q8V_NAME(q8_gemm_6x16c4)(size_t mr, size_t nc, size_t kc,
                                         const uint8_t* a, size_t a_stride,
                                         const void* w, uint8_t* c, size_t c_stride,
                                         const q8_requant_params* params) {
  const uint8_t* rows[6] = {a, a + a_stride, a + 2 * a_stride, a + 3 * a_stride, a + 4 * a_stride, a + 5 * a_stride};
  q8v_igemm_core(mr, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
}

Q8V_TARGET void Q8V_NAME(q8_igemm_6x16c4)(size_t mr, size_t nc, size_t kc, size_t ks,
                                          const uint8_t* const* indirection, size_t indirection_stride,
                                          size_t a_offset,
                                          const void* w, uint8_t* c, size_t c_stride,
                                          const q8_requant_params* params) {
  q8v_igemm_core(mr, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params);
}
