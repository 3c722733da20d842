// fp32 depthwise 3x3 convolution of one output row, reading its three NHWC input rows in
// place. The indirection kernels (f32_dwconv.c) reload nine pointers and ten weight vectors
// per output pixel and need a pointer table built per row; here a block of channels is swept
// along a tile of the row (up to 8 output pixels), so the bias and nine weights stay in
// registers across the tile, and at stride 1 each
// output pixel loads only its new input column (three vectors, the other six are the
// previous pixel's), at stride 2 two new columns. Columns outside the input read as zeros,
// so any left/right padding works; a padding row is passed as NULL and reads the zero row.
#include "f32_kernels.h"
#if defined(__x86_64__)
#include <immintrin.h>

// Output pixels per tile: within a tile each channel block sweeps its pixels with the
// weights in registers; between tiles all channel blocks are done, so the tile's input
// columns are read once from L2 in channel order, and a half-line block (AVX2) finds its
// lines still in L1. Pixels whose size is a multiple of 1 KiB (256, 512, 1024 channels) put
// every column of a block into the same few L1 sets (32 KiB, 8 ways, 64 sets: a 2 KiB
// pixel uses 2 sets): for half-line blocks the tile is cut so its 3 x ncol input lines fit
// their sets' ways. Whole-line blocks (AVX-512) never need a line twice, so they sweep the
// whole row per block: fewer weight reloads and column preloads. Their narrower tiles at 512
// and 1024 channels had been hiding 4K aliasing (the plan's input and output buffers sat at
// the same page offset, so loads waited on stores 2 or 4 KiB away); with the buffers
// staggered, 8-pixel tiles ran MobileNet v1's 14x14x512 layers 0.037 -> 0.030 ms and 7x7x1024
// 0.038 -> 0.021 ms on Zen 4, and whole rows then took the kernel from 5.1 to 4.6 % of the
// model's one-thread cycles (perf, two runs each).
static inline size_t f32_dwconv3x3_tile(size_t channels, size_t stride, int whole_lines) {
  if (whole_lines) return (size_t)1 << 20;
  size_t sets = 64;
  if (channels % 16 == 0) {
    size_t lines = channels / 16, g = 64;  // g = gcd(64, lines): the pattern repeats every 64/g sets
    while (lines % g != 0) g /= 2;
    sets = 64 / g;
  }
  const size_t ncol = 8 * sets / 3;  // input columns per tile that fit 8 ways
  size_t tile = ncol >= 3 ? (ncol - 3) / stride + 1 : 1;
  return tile > 8 ? 8 : tile;
}

// One channel block along a tile of the row. `full` is a compile-time constant after
// inlining: full blocks use plain loads and stores, the last partial block masked ones.
#define F32_DWCONV3X3_ROW_BLOCK(VEC, LOAD, ZERO, FMA, MUL, ADD, MINV, MAXV, STORE)                 \
  const ptrdiff_t w_in = (ptrdiff_t)in_width;                                                      \
  const float* p0 = rows[0] != NULL ? rows[0] + c : zero + c;                                      \
  const float* p1 = rows[1] != NULL ? rows[1] + c : zero + c;                                      \
  const float* p2 = rows[2] != NULL ? rows[2] + c : zero + c;                                      \
  const ptrdiff_t s0 = rows[0] != NULL ? (ptrdiff_t)channels : 0;                                  \
  const ptrdiff_t s1 = rows[1] != NULL ? (ptrdiff_t)channels : 0;                                  \
  const ptrdiff_t s2 = rows[2] != NULL ? (ptrdiff_t)channels : 0;                                  \
  const VEC vb = LOAD(w);                                                                          \
  const VEC k00 = LOAD(w + 1 * CB), k01 = LOAD(w + 2 * CB), k02 = LOAD(w + 3 * CB);                \
  const VEC k10 = LOAD(w + 4 * CB), k11 = LOAD(w + 5 * CB), k12 = LOAD(w + 6 * CB);                \
  const VEC k20 = LOAD(w + 7 * CB), k21 = LOAD(w + 8 * CB), k22 = LOAD(w + 9 * CB);                \
  float* o = output;                                                                               \
  ptrdiff_t ix = ix0;                                                                              \
  /* a, b, d: kernel rows 0, 1, 2; suffix: kernel column. Zeros outside the input. */             \
  VEC a0, b0, d0, a1, b1, d1, a2, b2, d2;                                                          \
  if (ix >= 0 && ix < w_in) { a0 = IN(p0, s0, ix); b0 = IN(p1, s1, ix); d0 = IN(p2, s2, ix); }     \
  else { a0 = b0 = d0 = ZERO(); }                                                                  \
  if (stride == 1) {                                                                               \
    if (ix + 1 >= 0 && ix + 1 < w_in) {                                                            \
      a1 = IN(p0, s0, ix + 1); b1 = IN(p1, s1, ix + 1); d1 = IN(p2, s2, ix + 1);                   \
    } else { a1 = b1 = d1 = ZERO(); }                                                              \
    for (size_t x = 0; x < out_width; x++) {                                                       \
      const ptrdiff_t j = ix + 2;                                                                  \
      if (j >= 0 && j < w_in) { a2 = IN(p0, s0, j); b2 = IN(p1, s1, j); d2 = IN(p2, s2, j); }      \
      else { a2 = b2 = d2 = ZERO(); }                                                              \
      /* One partial sum per kernel row shortens the FMA chain to three. */                        \
      VEC r0 = FMA(a0, k00, vb), r1 = MUL(b0, k10), r2 = MUL(d0, k20);                             \
      r0 = FMA(a1, k01, r0); r1 = FMA(b1, k11, r1); r2 = FMA(d1, k21, r2);                         \
      r0 = FMA(a2, k02, r0); r1 = FMA(b2, k12, r1); r2 = FMA(d2, k22, r2);                         \
      VEC acc = ADD(ADD(r0, r1), r2);                                                              \
      acc = MINV(MAXV(acc, vmin), vmax);                                                           \
      PREFETCH_OUT(o);                                                                             \
      STORE(o, acc);                                                                               \
      o += channels;                                                                               \
      a0 = a1; b0 = b1; d0 = d1; a1 = a2; b1 = b2; d1 = d2;                                        \
      ix += 1;                                                                                     \
    }                                                                                              \
  } else {                                                                                         \
    for (size_t x = 0; x < out_width; x++) {                                                       \
      const ptrdiff_t j = ix + 1;                                                                  \
      if (j >= 0 && j < w_in) { a1 = IN(p0, s0, j); b1 = IN(p1, s1, j); d1 = IN(p2, s2, j); }      \
      else { a1 = b1 = d1 = ZERO(); }                                                              \
      if (j + 1 >= 0 && j + 1 < w_in) {                                                            \
        a2 = IN(p0, s0, j + 1); b2 = IN(p1, s1, j + 1); d2 = IN(p2, s2, j + 1);                    \
      } else { a2 = b2 = d2 = ZERO(); }                                                            \
      VEC r0 = FMA(a0, k00, vb), r1 = MUL(b0, k10), r2 = MUL(d0, k20);                             \
      r0 = FMA(a1, k01, r0); r1 = FMA(b1, k11, r1); r2 = FMA(d1, k21, r2);                         \
      r0 = FMA(a2, k02, r0); r1 = FMA(b2, k12, r1); r2 = FMA(d2, k22, r2);                         \
      VEC acc = ADD(ADD(r0, r1), r2);                                                              \
      acc = MINV(MAXV(acc, vmin), vmax);                                                           \
      PREFETCH_OUT(o);                                                                             \
      STORE(o, acc);                                                                               \
      o += channels;                                                                               \
      a0 = a2; b0 = b2; d0 = d2;                                                                   \
      ix += 2;                                                                                     \
    }                                                                                              \
  }

// AVX-512F: 16 channels per zmm; the tail block uses k-masks.
#define CB 16
// Each output store asks for the line the next channel block stores to at the same pixel
// (written on that block's sweep): in the row bands the output leaves L2 and a store that misses
// stalled the loop (perf put a fifth of the kernel's cycles right after it). Measured on
// Zen 4, MobileNet v1's banded steps dw1-dw3 ran 0.02-0.03 ms faster each, the in-cache
// layers no slower; prefetching the next tile's line (8 pixels ahead) slowed the 512 and
// 1024-channel layers, and prefetching the next tile's input columns slowed every layer.
#define PREFETCH_OUT(P) __builtin_prefetch((P) + CB, 1, 3)
__attribute__((target("avx512f"), always_inline)) static inline void f32_dwconv3x3_row_block__avx512f(
    size_t channels, size_t c, __mmask16 m, int full, size_t out_width, size_t in_width, size_t stride,
    ptrdiff_t ix0, const float** rows, const float* zero, const float* w, float* output, __m512 vmin,
    __m512 vmax) {
#define IN(P, S, I) (full ? _mm512_loadu_ps((P) + (I) * (S)) : _mm512_maskz_loadu_ps(m, (P) + (I) * (S)))
#define STORE512(P, V) (full ? _mm512_storeu_ps((P), (V)) : _mm512_mask_storeu_ps((P), m, (V)))
  F32_DWCONV3X3_ROW_BLOCK(__m512, _mm512_loadu_ps, _mm512_setzero_ps, _mm512_fmadd_ps, _mm512_mul_ps,
                          _mm512_add_ps, _mm512_min_ps, _mm512_max_ps, STORE512)
#undef IN
#undef STORE512
}

__attribute__((target("avx512f"))) void f32_dwconv3x3_row_minmax_ukernel_16c__avx512f(
    size_t channels, size_t out_width, size_t in_width, size_t stride, size_t pad_left, const float** rows,
    const float* zero, const float* w, float* output, float min, float max) {
  const __m512 vmin = _mm512_set1_ps(min), vmax = _mm512_set1_ps(max);
  const size_t tile = f32_dwconv3x3_tile(channels, stride, 1);
  for (size_t x0 = 0; x0 < out_width; x0 += tile) {
    const size_t tw = out_width - x0 < tile ? out_width - x0 : tile;
    const ptrdiff_t ix0 = (ptrdiff_t)(x0 * stride) - (ptrdiff_t)pad_left;
    const float* wb = w;
    for (size_t c = 0; c < channels; c += CB, wb += 10 * CB) {
      const size_t n = channels - c < CB ? channels - c : CB;
      float* o = output + x0 * channels + c;
      if (n == CB) {
        f32_dwconv3x3_row_block__avx512f(channels, c, 0xFFFF, 1, tw, in_width, stride, ix0, rows, zero, wb, o,
                                         vmin, vmax);
      } else {
        f32_dwconv3x3_row_block__avx512f(channels, c, (__mmask16)((1u << n) - 1), 0, tw, in_width, stride, ix0,
                                         rows, zero, wb, o, vmin, vmax);
      }
    }
  }
}
#undef CB

// AVX2+FMA: 8 channels per ymm; the tail block uses vmaskmov. With 16 registers some of the
// nine weights become memory operands of the FMAs, which costs a load each but no extra
// instruction.
#define CB 8
// No prefetch here: the half-line blocks revisit each line (not measured with one).
#undef PREFETCH_OUT
#define PREFETCH_OUT(P) ((void)0)
static const int f32_dwconv3x3_mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

__attribute__((target("avx2,fma"), always_inline)) static inline void f32_dwconv3x3_row_block__avx2_fma(
    size_t channels, size_t c, __m256i m, int full, size_t out_width, size_t in_width, size_t stride,
    ptrdiff_t ix0, const float** rows, const float* zero, const float* w, float* output, __m256 vmin,
    __m256 vmax) {
#define IN(P, S, I) (full ? _mm256_loadu_ps((P) + (I) * (S)) : _mm256_maskload_ps((P) + (I) * (S), m))
#define STORE256(P, V) do { if (full) _mm256_storeu_ps((P), (V)); else _mm256_maskstore_ps((P), m, (V)); } while (0)
  F32_DWCONV3X3_ROW_BLOCK(__m256, _mm256_loadu_ps, _mm256_setzero_ps, _mm256_fmadd_ps, _mm256_mul_ps,
                          _mm256_add_ps, _mm256_min_ps, _mm256_max_ps, STORE256)
#undef IN
#undef STORE256
}

__attribute__((target("avx2,fma"))) void f32_dwconv3x3_row_minmax_ukernel_8c__avx2_fma(
    size_t channels, size_t out_width, size_t in_width, size_t stride, size_t pad_left, const float** rows,
    const float* zero, const float* w, float* output, float min, float max) {
  const __m256 vmin = _mm256_set1_ps(min), vmax = _mm256_set1_ps(max);
  const size_t tile = f32_dwconv3x3_tile(channels, stride, 0);
  for (size_t x0 = 0; x0 < out_width; x0 += tile) {
    const size_t tw = out_width - x0 < tile ? out_width - x0 : tile;
    const ptrdiff_t ix0 = (ptrdiff_t)(x0 * stride) - (ptrdiff_t)pad_left;
    const float* wb = w;
    for (size_t c = 0; c < channels; c += CB, wb += 10 * CB) {
      const size_t n = channels - c < CB ? channels - c : CB;
      float* o = output + x0 * channels + c;
      if (n == CB) {
        f32_dwconv3x3_row_block__avx2_fma(channels, c, _mm256_set1_epi32(-1), 1, tw, in_width, stride, ix0, rows,
                                          zero, wb, o, vmin, vmax);
      } else {
        const __m256i m = _mm256_loadu_si256((const __m256i*)&f32_dwconv3x3_mask_table[8 - n]);
        f32_dwconv3x3_row_block__avx2_fma(channels, c, m, 0, tw, in_width, stride, ix0, rows, zero, wb, o,
                                          vmin, vmax);
      }
    }
  }
}
#undef CB
#endif
