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
#include "q8_avx256.h"

#define Q8V_INLINE static inline __attribute__((always_inline))

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
      Q8V_ROW(0, q8w_broadcast4(a0 + k))
      Q8V_ROW(1, q8w_broadcast4(a1 + k))
      Q8V_ROW(2, q8w_broadcast4(a2 + k))
      Q8V_ROW(3, q8w_broadcast4(a3 + k))
      Q8V_ROW(4, q8w_broadcast4(a4 + k))
      Q8V_ROW(5, q8w_broadcast4(a5 + k))
    }
    if (k < kc) {
      const __m256i w0 = _mm256_loadu_si256((const __m256i*)wp);
      const __m256i w1 = _mm256_loadu_si256((const __m256i*)(wp + 32));
      wp += 64;
      Q8V_ROW(0, q8w_broadcast_tail(a0 + k, kc - k))
      Q8V_ROW(1, q8w_broadcast_tail(a1 + k, kc - k))
      Q8V_ROW(2, q8w_broadcast_tail(a2 + k, kc - k))
      Q8V_ROW(3, q8w_broadcast_tail(a3 + k, kc - k))
      Q8V_ROW(4, q8w_broadcast_tail(a4 + k, kc - k))
      Q8V_ROW(5, q8w_broadcast_tail(a5 + k, kc - k))
    }
  }

  const float* scale = (const float*)wp;
  const q8w_requant16 rq = q8w_requant16_load(scale, params);

  uint8_t* c0 = c;
  uint8_t* c1 = mr > 1 ? c0 + c_stride : c0;
  uint8_t* c2 = mr > 2 ? c1 + c_stride : c1;
  uint8_t* c3 = mr > 3 ? c2 + c_stride : c2;
  uint8_t* c4 = mr > 4 ? c3 + c_stride : c3;
  uint8_t* c5 = mr > 5 ? c4 + c_stride : c4;
  // Highest row first: an aliased row then rewrites the same bytes the valid row computed.
  q8w_store_row16(c5, acc50, acc51, &rq, nc);
  q8w_store_row16(c4, acc40, acc41, &rq, nc);
  q8w_store_row16(c3, acc30, acc31, &rq, nc);
  q8w_store_row16(c2, acc20, acc21, &rq, nc);
  q8w_store_row16(c1, acc10, acc11, &rq, nc);
  q8w_store_row16(c0, acc00, acc01, &rq, nc);
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
