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
#include "q8_avx256.h"

#define Q8A_TARGET __attribute__((target("avx2,fma")))
#define Q8A_INLINE static inline __attribute__((always_inline))

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
      Q8A_ROW(0, q8w_broadcast4(a0 + k))
      Q8A_ROW(1, q8w_broadcast4(a1 + k))
      Q8A_ROW(2, q8w_broadcast4(a2 + k))
      Q8A_ROW(3, q8w_broadcast4(a3 + k))
    }
    if (k < kc) {
      Q8A_LOADW
      Q8A_ROW(0, q8w_broadcast_tail(a0 + k, kc - k))
      Q8A_ROW(1, q8w_broadcast_tail(a1 + k, kc - k))
      Q8A_ROW(2, q8w_broadcast_tail(a2 + k, kc - k))
      Q8A_ROW(3, q8w_broadcast_tail(a3 + k, kc - k))
    }
  }

  const float* scale = (const float*)wp;
  const q8w_requant16 rq = q8w_requant16_load(scale, params);

  uint8_t* c0 = c;
  uint8_t* c1 = mr > 1 ? c0 + c_stride : c0;
  uint8_t* c2 = mr > 2 ? c1 + c_stride : c1;
  uint8_t* c3 = mr > 3 ? c2 + c_stride : c2;
  // Highest row first: an aliased row then rewrites the same bytes the valid row computed.
  q8w_store_row16(c3, acc30, acc31, &rq, nc);
  q8w_store_row16(c2, acc20, acc21, &rq, nc);
  q8w_store_row16(c1, acc10, acc11, &rq, nc);
  q8w_store_row16(c0, acc00, acc01, &rq, nc);
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
  const q8w_requant16 rq = q8w_requant16_load(scale, params);

  uint8_t* c0 = c;
  uint8_t* c1 = mr > 1 ? c0 + c_stride : c0;
  uint8_t* c2 = mr > 2 ? c1 + c_stride : c1;
  uint8_t* c3 = mr > 3 ? c2 + c_stride : c2;
  uint8_t* c4 = mr > 4 ? c3 + c_stride : c3;
  uint8_t* c5 = mr > 5 ? c4 + c_stride : c4;
  q8w_store_row16(c5, acc50, acc51, &rq, nc);
  q8w_store_row16(c4, acc40, acc41, &rq, nc);
  q8w_store_row16(c3, acc30, acc31, &rq, nc);
  q8w_store_row16(c2, acc20, acc21, &rq, nc);
  q8w_store_row16(c1, acc10, acc11, &rq, nc);
  q8w_store_row16(c0, acc00, acc01, &rq, nc);
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
  const q8w_requant16 rq = q8w_requant16_load(scale, params);

  uint8_t* c0 = c;
  uint8_t* c1 = mr > 1 ? c0 + c_stride : c0;
  q8w_store_row16(c1, acc10, acc11, &rq, nc);
  q8w_store_row16(c0, acc00, acc01, &rq, nc);
}

#endif
