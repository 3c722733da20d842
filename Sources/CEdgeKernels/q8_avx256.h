// 256-bit helpers shared by the int8 microkernels of CPUs without AVX-512 (AVX2 and
// AVX-VNNI): activation broadcasts, fp32 requantization, packing to bytes and partial stores.
// Their target is AVX2 + FMA, a subset of every includer's, so they inline into the AVX2
// kernels, the AVX-VNNI (VEX) kernels and the AVX-VNNI kernels' EVEX test twins alike.
#ifndef EDGETOP_Q8_AVX256_H
#define EDGETOP_Q8_AVX256_H
#include "q8kernels.h"
#include <string.h>
#include <immintrin.h>

#define Q8W_TARGET __attribute__((target("avx2,fma")))
#define Q8W_INLINE static inline __attribute__((always_inline))

// Four activation bytes in every dword, a broadcast straight from memory (no shuffle port).
Q8W_INLINE Q8W_TARGET __m256i q8w_broadcast4(const uint8_t* p) {
  int32_t v;
  memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

// The last 1-3 bytes of a row as one dword, the missing ones zero (their packed weights are
// zero too); never reads past them, because the row may end at the end of the tensor.
Q8W_INLINE Q8W_TARGET __m256i q8w_broadcast_tail(const uint8_t* p, size_t n) {
  int32_t v = p[0];
  if (n > 1) {
    uint16_t lo;
    memcpy(&lo, p, 2);
    v = lo;
    if (n > 2) v |= (int32_t)p[2] << 16;
  }
  return _mm256_set1_epi32(v);
}

// The fp32 arithmetic of QRequantization: product and conversions round to nearest even
// (vcvtdq2ps/vcvtps2dq follow MXCSR, which nothing in the process changes from that default);
// clamping before rounding equals clamping after because the bounds are integers.
Q8W_INLINE Q8W_TARGET __m256i q8w_requantize(__m256i acc, __m256 scale, __m256 vmin, __m256 vmax, __m256i vzp) {
  __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), scale);
  f = _mm256_min_ps(_mm256_max_ps(f, vmin), vmax);
  return _mm256_add_epi32(_mm256_cvtps_epi32(f), vzp);
}

// Columns 0-7 and 8-15 (already within 0...255) to 16 bytes in column order: the in-lane pack
// interleaves 4-column pieces, one qword permute restores the order.
Q8W_INLINE Q8W_TARGET __m128i q8w_pack16(__m256i lo, __m256i hi) {
  const __m256i p = _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xD8);
  return _mm_packus_epi16(_mm256_castsi256_si128(p), _mm256_extracti128_si256(p, 1));
}

// Stores the first nc (1...16) bytes of v without touching the bytes after them.
Q8W_INLINE Q8W_TARGET void q8w_store(uint8_t* c, __m128i v, size_t nc) {
  if (nc >= 16) { _mm_storeu_si128((__m128i*)c, v); return; }
  if (nc & 8) { _mm_storel_epi64((__m128i*)c, v); v = _mm_unpackhi_epi64(v, v); c += 8; }
  if (nc & 4) { const int32_t x = _mm_cvtsi128_si32(v); memcpy(c, &x, 4); v = _mm_srli_epi64(v, 32); c += 4; }
  if (nc & 2) { const int16_t x = (int16_t)_mm_extract_epi16(v, 0); memcpy(c, &x, 2); v = _mm_srli_epi32(v, 16); c += 2; }
  if (nc & 1) { *c = (uint8_t)_mm_extract_epi8(v, 0); }
}

// A 16-column block's requantization constants: its two scale vectors (the floats after the
// block's weights) and the layer's clamp bounds and zero point.
typedef struct q8w_requant16 {
  __m256 s0, s1, vmin, vmax;
  __m256i vzp;
} q8w_requant16;

Q8W_INLINE Q8W_TARGET q8w_requant16 q8w_requant16_load(const float* scale, const q8_requant_params* params) {
  q8w_requant16 r;
  r.s0 = _mm256_loadu_ps(scale);
  r.s1 = _mm256_loadu_ps(scale + 8);
  r.vmin = _mm256_set1_ps(params->min_less_zero_point);
  r.vmax = _mm256_set1_ps(params->max_less_zero_point);
  r.vzp = _mm256_set1_epi32(params->zero_point);
  return r;
}

// Requantizes one tile row's two accumulators (columns 0-7, 8-15) and stores its first nc bytes.
Q8W_INLINE Q8W_TARGET void q8w_store_row16(uint8_t* c, __m256i lo, __m256i hi, const q8w_requant16* r, size_t nc) {
  q8w_store(c, q8w_pack16(q8w_requantize(lo, r->s0, r->vmin, r->vmax, r->vzp),
                          q8w_requantize(hi, r->s1, r->vmin, r->vmax, r->vzp)), nc);
}

// The dwords holding the first n (0...32) bytes, for vpmaskmovd.
Q8W_INLINE Q8W_TARGET __m256i q8w_dword_mask(size_t n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n / 4)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// 32 channels of one depthwise tap. A last block of n < 32 channels must not read past them
// (the last pixel of a tensor ends at its last channel): a dword-masked load, which never
// touches the masked-out dwords, where n is a multiple of 4 (every MobileNet channel count),
// else a zeroed copy, since AVX2 has no byte-masked load.
Q8W_INLINE Q8W_TARGET __m256i q8w_load32(const uint8_t* p, size_t n, __m256i mask) {
  if (n >= 32) return _mm256_loadu_si256((const __m256i*)p);
  if ((n & 3) == 0) return _mm256_maskload_epi32((const int*)p, mask);
  uint8_t tmp[32] = {0};
  memcpy(tmp, p, n);
  return _mm256_loadu_si256((const __m256i*)tmp);
}

// Requantizes a depthwise block's four accumulators of 32 channels (packed in the lane order
// of the in-lane unpacks) and stores the first n (1...32) bytes.
Q8W_INLINE Q8W_TARGET void q8w_finish32(__m256i acc0, __m256i acc1, __m256i acc2, __m256i acc3, const float* scale,
                                        __m256 vmin, __m256 vmax, __m256i vzp, uint8_t* o, size_t n) {
  const __m256i y0 = q8w_requantize(acc0, _mm256_loadu_ps(scale), vmin, vmax, vzp);
  const __m256i y1 = q8w_requantize(acc1, _mm256_loadu_ps(scale + 8), vmin, vmax, vzp);
  const __m256i y2 = q8w_requantize(acc2, _mm256_loadu_ps(scale + 16), vmin, vmax, vzp);
  const __m256i y3 = q8w_requantize(acc3, _mm256_loadu_ps(scale + 24), vmin, vmax, vzp);
  // In-lane packs reverse the in-lane unpacks: lane L ends up with channels 16L..16L+15.
  const __m256i out = _mm256_packus_epi16(_mm256_packs_epi32(y0, y1), _mm256_packs_epi32(y2, y3));
  if (n >= 32) {
    _mm256_storeu_si256((__m256i*)o, out);
  } else if ((n & 3) == 0) {
    _mm256_maskstore_epi32((int*)o, q8w_dword_mask(n), out);
  } else {
    uint8_t tmp[32];
    _mm256_storeu_si256((__m256i*)tmp, out);
    memcpy(o, tmp, n);
  }
}

#endif
