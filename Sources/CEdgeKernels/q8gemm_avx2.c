// int8 GEMM and indirect GEMM microkernels for AVX2 (CPUs without AVX-512 VNNI): uint8
// activations zero-extended and int8 weights sign-extended to int16, multiplied in pairs
// with vpmaddwd into int32. Every product fits in int16 x int16 and a pair sum in int32, so
// the accumulators are exact (vpmaddubsw would saturate its int16 pair sums and is not used).
// 4 rows x 16 columns, four K values per column packed together (c4, as the pairs (k0, k2) and
// (k1, k3)), fp32 requantization.
#include "q8kernels.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define Q8A_TARGET __attribute__((target("avx2,fma")))
#define Q8A_INLINE static inline __attribute__((always_inline))

// Four activation bytes (a0, a1, a2, a3) in every dword: a broadcast straight from memory,
// which needs no shuffle port (the port the weights' sign extension already keeps busy).
Q8A_INLINE Q8A_TARGET __m256i q8a_broadcast4(const uint8_t* p) {
  int32_t v;
  memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

// The same fp32 arithmetic as QRequantization: product and conversions round to nearest even
// (vcvtdq2ps/vcvtps2dq follow MXCSR, which nothing in the process changes from that default);
// clamping before rounding equals clamping after because the bounds are integers.
Q8A_INLINE Q8A_TARGET __m256i q8a_requantize(__m256i acc, __m256 scale, __m256 vmin, __m256 vmax, __m256i vzp) {
  __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), scale);
  f = _mm256_min_ps(_mm256_max_ps(f, vmin), vmax);
  return _mm256_add_epi32(_mm256_cvtps_epi32(f), vzp);
}

// Columns 0-7 and 8-15 (already within 0...255) to 16 bytes in column order: the in-lane pack
// interleaves 4-column pieces, one qword permute restores the order.
Q8A_INLINE Q8A_TARGET __m128i q8a_pack16(__m256i lo, __m256i hi) {
  const __m256i p = _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xD8);
  return _mm_packus_epi16(_mm256_castsi256_si128(p), _mm256_extracti128_si256(p, 1));
}

// Stores the first nc (1...16) bytes of v without touching the bytes after them.
Q8A_INLINE Q8A_TARGET void q8a_store(uint8_t* c, __m128i v, size_t nc) {
  if (nc >= 16) { _mm_storeu_si128((__m128i*)c, v); return; }
  if (nc & 8) { _mm_storel_epi64((__m128i*)c, v); v = _mm_unpackhi_epi64(v, v); c += 8; }
  if (nc & 4) { const int32_t x = _mm_cvtsi128_si32(v); memcpy(c, &x, 4); v = _mm_srli_epi64(v, 32); c += 4; }
  if (nc & 2) { const int16_t x = (int16_t)_mm_extract_epi16(v, 0); memcpy(c, &x, 2); v = _mm_srli_epi32(v, 16); c += 2; }
  if (nc & 1) { *c = (uint8_t)_mm_extract_epi8(v, 0); }
}

// One row, four K values: the even bytes of each word give the int16 pair (a0, a2), the odd
// bytes (a1, a3), matching the packed weight pairs (w0, w2) and (w1, w3) of every column.
#define Q8A_ROW(row, x)                                                                 \
  {                                                                                     \
    const __m256i xv = (x);                                                             \
    const __m256i xa = _mm256_and_si256(xv, even_bytes);                                \
    const __m256i xb = _mm256_srli_epi16(xv, 8);                                        \
    acc##row##0 = _mm256_add_epi32(acc##row##0, _mm256_madd_epi16(xa, wa0));           \
    acc##row##1 = _mm256_add_epi32(acc##row##1, _mm256_madd_epi16(xa, wa1));           \
    acc##row##0 = _mm256_add_epi32(acc##row##0, _mm256_madd_epi16(xb, wb0));           \
    acc##row##1 = _mm256_add_epi32(acc##row##1, _mm256_madd_epi16(xb, wb1));           \
  }

#define Q8A_LOADW                                                                             \
  const __m256i wa0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)wp));             \
  const __m256i wa1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(wp + 16)));      \
  const __m256i wb0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(wp + 32)));      \
  const __m256i wb1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(wp + 48)));      \
  wp += 64;

// The last 1-3 bytes of a row as one dword, the missing ones zero (their packed weights are
// zero too); read byte by byte because the row may end at the end of the tensor.
Q8A_INLINE Q8A_TARGET __m256i q8a_broadcast_tail(const uint8_t* p, size_t n) {
  int32_t v = p[0];
  if (n > 1) {
    uint16_t lo;
    memcpy(&lo, p, 2);
    v = lo;
    if (n > 2) v |= (int32_t)p[2] << 16;
  }
  return _mm256_set1_epi32(v);
}

Q8A_INLINE Q8A_TARGET void q8a_igemm_core(size_t mr, size_t nc, size_t kc, size_t ks,
                                          const uint8_t* const* r0, size_t rstride, size_t a_offset,
                                          const void* w, uint8_t* c, size_t c_stride,
                                          const q8_requant_params* params) {
  const uint8_t* const* r1 = mr > 1 ? r0 + rstride : r0;
  const uint8_t* const* r2 = mr > 2 ? r1 + rstride : r1;
  const uint8_t* const* r3 = mr > 3 ? r2 + rstride : r2;

  const int32_t* bias = (const int32_t*)w;
  __m256i acc00 = _mm256_loadu_si256((const __m256i*)bias);
  __m256i acc01 = _mm256_loadu_si256((const __m256i*)(bias + 8));
  __m256i acc10 = acc00, acc11 = acc01, acc20 = acc00, acc21 = acc01, acc30 = acc00, acc31 = acc01;
  const int8_t* wp = (const int8_t*)w + 16 * sizeof(int32_t);
  const __m256i even_bytes = _mm256_set1_epi16(0x00FF);

  for (size_t p = 0; p < ks; p++) {
    const uint8_t* a0 = r0[p] + a_offset;
    const uint8_t* a1 = r1[p] + a_offset;
    const uint8_t* a2 = r2[p] + a_offset;
    const uint8_t* a3 = r3[p] + a_offset;
    size_t k = 0;
    for (; k + 4 <= kc; k += 4) {
      Q8A_LOADW
      Q8A_ROW(0, q8a_broadcast4(a0 + k))
      Q8A_ROW(1, q8a_broadcast4(a1 + k))
      Q8A_ROW(2, q8a_broadcast4(a2 + k))
      Q8A_ROW(3, q8a_broadcast4(a3 + k))
    }
    if (k < kc) {
      Q8A_LOADW
      Q8A_ROW(0, q8a_broadcast_tail(a0 + k, kc - k))
      Q8A_ROW(1, q8a_broadcast_tail(a1 + k, kc - k))
      Q8A_ROW(2, q8a_broadcast_tail(a2 + k, kc - k))
      Q8A_ROW(3, q8a_broadcast_tail(a3 + k, kc - k))
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
  // Highest row first: an aliased row then rewrites the same bytes the valid row computed.
  q8a_store(c3, q8a_pack16(q8a_requantize(acc30, s0, vmin, vmax, vzp), q8a_requantize(acc31, s1, vmin, vmax, vzp)), nc);
  q8a_store(c2, q8a_pack16(q8a_requantize(acc20, s0, vmin, vmax, vzp), q8a_requantize(acc21, s1, vmin, vmax, vzp)), nc);
  q8a_store(c1, q8a_pack16(q8a_requantize(acc10, s0, vmin, vmax, vzp), q8a_requantize(acc11, s1, vmin, vmax, vzp)), nc);
  q8a_store(c0, q8a_pack16(q8a_requantize(acc00, s0, vmin, vmax, vzp), q8a_requantize(acc01, s1, vmin, vmax, vzp)), nc);
}

Q8A_TARGET void q8_gemm_4x16c4__avx2(size_t mr, size_t nc, size_t kc,
                                     const uint8_t* a, size_t a_stride,
                                     const void* w, uint8_t* c, size_t c_stride,
                                     const q8_requant_params* params) {
  const uint8_t* rows[4] = {a, a + a_stride, a + 2 * a_stride, a + 3 * a_stride};
  q8a_igemm_core(mr, nc, kc, 1, rows, 1, 0, w, c, c_stride, params);
}

Q8A_TARGET void q8_igemm_4x16c4__avx2(size_t mr, size_t nc, size_t kc, size_t ks,
                                      const uint8_t* const* indirection, size_t indirection_stride,
                                      size_t a_offset,
                                      const void* w, uint8_t* c, size_t c_stride,
                                      const q8_requant_params* params) {
  q8a_igemm_core(mr, nc, kc, ks, indirection, indirection_stride, a_offset, w, c, c_stride, params);
}

// Each row's activations as int16, once per layer: per 4 K values the order (a0, a2, a1, a3), so
// q8_gemm_6x16c4__avx2_a16 broadcasts the pairs (a0, a2) and (a1, a3) straight from memory and needs no mask or
// shift per 16-column block. The row is padded with zeros to a multiple of 4.
Q8A_TARGET void q8_widen_rows_c4__avx2(size_t m, size_t kc, const uint8_t* a, size_t a_stride,
                                       int16_t* out, size_t out_stride) {
  const __m128i order = _mm_setr_epi8(0, 2, 1, 3, 4, 6, 5, 7, 8, 10, 9, 11, 12, 14, 13, 15);
  const size_t kpad = (kc + 3) & ~(size_t)3;
  for (size_t i = 0; i < m; i++) {
    const uint8_t* src = a + i * a_stride;
    int16_t* dst = out + i * out_stride;
    size_t k = 0;
    for (; k + 16 <= kc; k += 16) {
      const __m128i x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i*)(src + k)), order);
      _mm256_storeu_si256((__m256i*)(dst + k), _mm256_cvtepu8_epi16(x));
    }
    for (; k < kpad; k++) {
      const size_t q = k & 3;
      dst[(k & ~(size_t)3) + (q >> 1) + (q & 1) * 2] = k < kc ? (int16_t)src[k] : 0;
    }
  }
}

// One row's pair (a0, a2) or (a1, a3) against one weight half: a dword broadcast, two vpmaddwd.
#define Q8A_HALF16(row, p, w0, w1)                                                      \
  {                                                                                     \
    int32_t v;                                                                          \
    memcpy(&v, (p), 4);                                                                 \
    const __m256i x = _mm256_set1_epi32(v);                                             \
    acc##row##0 = _mm256_add_epi32(acc##row##0, _mm256_madd_epi16(x, w0));              \
    acc##row##1 = _mm256_add_epi32(acc##row##1, _mm256_madd_epi16(x, w1));              \
  }

Q8A_TARGET void q8_gemm_6x16c4__avx2_a16(size_t mr, size_t nc, size_t kc,
                                         const int16_t* a, size_t a_stride,
                                         const void* w, uint8_t* c, size_t c_stride,
                                         const q8_requant_params* params) {
  const int16_t* a0 = a;
  const int16_t* a1 = mr > 1 ? a0 + a_stride : a0;
  const int16_t* a2 = mr > 2 ? a1 + a_stride : a1;
  const int16_t* a3 = mr > 3 ? a2 + a_stride : a2;
  const int16_t* a4 = mr > 4 ? a3 + a_stride : a3;
  const int16_t* a5 = mr > 5 ? a4 + a_stride : a4;

  const int32_t* bias = (const int32_t*)w;
  __m256i acc00 = _mm256_loadu_si256((const __m256i*)bias);
  __m256i acc01 = _mm256_loadu_si256((const __m256i*)(bias + 8));
  __m256i acc10 = acc00, acc11 = acc01, acc20 = acc00, acc21 = acc01, acc30 = acc00, acc31 = acc01;
  __m256i acc40 = acc00, acc41 = acc01, acc50 = acc00, acc51 = acc01;
  const int8_t* wp = (const int8_t*)w + 16 * sizeof(int32_t);

  // 12 accumulators leave room for one weight half (two vectors) and a broadcast: the pairs
  // (k0, k2) of all six rows, then (k1, k3).
  const size_t kpad = (kc + 3) & ~(size_t)3;
  for (size_t k = 0; k < kpad; k += 4) {
    const __m256i wa0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)wp));
    const __m256i wa1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(wp + 16)));
    Q8A_HALF16(0, a0 + k, wa0, wa1)
    Q8A_HALF16(1, a1 + k, wa0, wa1)
    Q8A_HALF16(2, a2 + k, wa0, wa1)
    Q8A_HALF16(3, a3 + k, wa0, wa1)
    Q8A_HALF16(4, a4 + k, wa0, wa1)
    Q8A_HALF16(5, a5 + k, wa0, wa1)
    const __m256i wb0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(wp + 32)));
    const __m256i wb1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(wp + 48)));
    Q8A_HALF16(0, a0 + k + 2, wb0, wb1)
    Q8A_HALF16(1, a1 + k + 2, wb0, wb1)
    Q8A_HALF16(2, a2 + k + 2, wb0, wb1)
    Q8A_HALF16(3, a3 + k + 2, wb0, wb1)
    Q8A_HALF16(4, a4 + k + 2, wb0, wb1)
    Q8A_HALF16(5, a5 + k + 2, wb0, wb1)
    wp += 64;
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
  q8a_store(c5, q8a_pack16(q8a_requantize(acc50, s0, vmin, vmax, vzp), q8a_requantize(acc51, s1, vmin, vmax, vzp)), nc);
  q8a_store(c4, q8a_pack16(q8a_requantize(acc40, s0, vmin, vmax, vzp), q8a_requantize(acc41, s1, vmin, vmax, vzp)), nc);
  q8a_store(c3, q8a_pack16(q8a_requantize(acc30, s0, vmin, vmax, vzp), q8a_requantize(acc31, s1, vmin, vmax, vzp)), nc);
  q8a_store(c2, q8a_pack16(q8a_requantize(acc20, s0, vmin, vmax, vzp), q8a_requantize(acc21, s1, vmin, vmax, vzp)), nc);
  q8a_store(c1, q8a_pack16(q8a_requantize(acc10, s0, vmin, vmax, vzp), q8a_requantize(acc11, s1, vmin, vmax, vzp)), nc);
  q8a_store(c0, q8a_pack16(q8a_requantize(acc00, s0, vmin, vmax, vzp), q8a_requantize(acc01, s1, vmin, vmax, vzp)), nc);
}


// The last 1-2 rows of a layer (a fully connected layer is one row): the 6-row tile would
// compute its aliased rows for nothing.
Q8A_TARGET void q8_gemm_2x16c4__avx2_a16(size_t mr, size_t nc, size_t kc,
                                         const int16_t* a, size_t a_stride,
                                         const void* w, uint8_t* c, size_t c_stride,
                                         const q8_requant_params* params) {
  const int16_t* a0 = a;
  const int16_t* a1 = mr > 1 ? a0 + a_stride : a0;

  const int32_t* bias = (const int32_t*)w;
  __m256i acc00 = _mm256_loadu_si256((const __m256i*)bias);
  __m256i acc01 = _mm256_loadu_si256((const __m256i*)(bias + 8));
  __m256i acc10 = acc00, acc11 = acc01;
  const int8_t* wp = (const int8_t*)w + 16 * sizeof(int32_t);

  const size_t kpad = (kc + 3) & ~(size_t)3;
  for (size_t k = 0; k < kpad; k += 4) {
    const __m256i wa0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)wp));
    const __m256i wa1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(wp + 16)));
    Q8A_HALF16(0, a0 + k, wa0, wa1)
    Q8A_HALF16(1, a1 + k, wa0, wa1)
    const __m256i wb0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(wp + 32)));
    const __m256i wb1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(wp + 48)));
    Q8A_HALF16(0, a0 + k + 2, wb0, wb1)
    Q8A_HALF16(1, a1 + k + 2, wb0, wb1)
    wp += 64;
  }

  const float* scale = (const float*)wp;
  const __m256 s0 = _mm256_loadu_ps(scale);
  const __m256 s1 = _mm256_loadu_ps(scale + 8);
  const __m256 vmin = _mm256_set1_ps(params->min_less_zero_point);
  const __m256 vmax = _mm256_set1_ps(params->max_less_zero_point);
  const __m256i vzp = _mm256_set1_epi32(params->zero_point);

  uint8_t* c0 = c;
  uint8_t* c1 = mr > 1 ? c0 + c_stride : c0;
  q8a_store(c1, q8a_pack16(q8a_requantize(acc10, s0, vmin, vmax, vzp), q8a_requantize(acc11, s1, vmin, vmax, vzp)), nc);
  q8a_store(c0, q8a_pack16(q8a_requantize(acc00, s0, vmin, vmax, vzp), q8a_requantize(acc01, s1, vmin, vmax, vzp)), nc);
}

#endif
