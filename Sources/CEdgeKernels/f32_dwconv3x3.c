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

// AVX2+FMA, 16 channels (two ymm, two consecutive 8-channel weight blocks) per step, so each
// 64-byte input line is used whole in one pass: the 8-channel kernel above reads half a line
// and needs it again for the next block, which 1-4 KiB pixels make miss L1 (their columns
// share few sets). Up to four output pixels per step keep up to eight accumulators, enough
// independent FMA chains for two pipes; a kernel row's six weight vectors are loaded once per
// step and reused by its pixels. Pixels whose window leaves the input take a checked path,
// the channels past the last multiple of 16 the 8-channel blocks above.

// `n` (1-4) output pixels of one 16-channel block whose windows lie inside the row; `p[r]`
// is kernel row r's input at the first pixel's first column, `s[r]` its pixel stride (0 for
// the zero row). `n` and `stride` are constants after inlining.
__attribute__((target("avx2,fma"), always_inline)) static inline void f32_dwconv3x3_pxn_16c__avx2_fma(
    const float* const* p, const ptrdiff_t* s, size_t stride, size_t n, const float* w, float* o,
    size_t channels, __m256 vmin, __m256 vmax) {
  __m256 l0 = _mm256_loadu_ps(w), h0 = _mm256_loadu_ps(w + 80);
  __m256 l1 = l0, h1 = h0, l2 = l0, h2 = h0, l3 = l0, h3 = h0;
  const int last = 2 + (int)(stride * (n - 1));  // last input column of the step
  for (int r = 0; r < 3; r++) {
    const float* q = p[r];
    const ptrdiff_t cs = s[r];
    const float* wr = w + 8 + r * 24;
    const __m256 kl0 = _mm256_loadu_ps(wr), kl1 = _mm256_loadu_ps(wr + 8), kl2 = _mm256_loadu_ps(wr + 16);
    const __m256 kh0 = _mm256_loadu_ps(wr + 80), kh1 = _mm256_loadu_ps(wr + 88), kh2 = _mm256_loadu_ps(wr + 96);
    for (int j = 0; j <= last; j++) {
      const __m256 xl = _mm256_loadu_ps(q + j * cs), xh = _mm256_loadu_ps(q + j * cs + 8);
#define F32DW_TAP(P, L, H)                                                                                       \
      do {                                                                                                       \
        const int k = j - (P) * (int)stride;                                                                     \
        if ((size_t)(P) < n && k >= 0 && k <= 2) {                                                               \
          L = _mm256_fmadd_ps(xl, k == 0 ? kl0 : k == 1 ? kl1 : kl2, L);                                         \
          H = _mm256_fmadd_ps(xh, k == 0 ? kh0 : k == 1 ? kh1 : kh2, H);                                         \
        }                                                                                                        \
      } while (0)
      F32DW_TAP(0, l0, h0); F32DW_TAP(1, l1, h1); F32DW_TAP(2, l2, h2); F32DW_TAP(3, l3, h3);
#undef F32DW_TAP
    }
  }
  // Pixel p's two halves are (lp, hp); n of the four pixels are stored.
#define F32DW_STORE(l, h)                                                   \
  _mm256_storeu_ps(o, _mm256_min_ps(_mm256_max_ps(l, vmin), vmax));        \
  _mm256_storeu_ps(o + 8, _mm256_min_ps(_mm256_max_ps(h, vmin), vmax));    \
  o += channels
  F32DW_STORE(l0, h0);
  if (n < 2) return;
  F32DW_STORE(l1, h1);
  if (n < 3) return;
  F32DW_STORE(l2, h2);
  if (n < 4) return;
  F32DW_STORE(l3, h3);
#undef F32DW_STORE
}

// One output pixel of one 16-channel block, input columns ix..ix+2 checked against the row
// (zeros outside): the pixels at the row's padded edges.
__attribute__((target("avx2,fma"), always_inline)) static inline void f32_dwconv3x3_edge_16c__avx2_fma(
    const float* const* p, const ptrdiff_t* s, ptrdiff_t ix, ptrdiff_t in_width, const float* w, float* o,
    __m256 vmin, __m256 vmax) {
  __m256 l = _mm256_loadu_ps(w), h = _mm256_loadu_ps(w + 80);
  __m256 l2 = _mm256_setzero_ps(), h2 = _mm256_setzero_ps();
  for (int r = 0; r < 3; r++) {
    for (int k = 0; k < 3; k++) {
      const ptrdiff_t j = ix + k;
      if (j < 0 || j >= in_width) continue;
      const float* q = p[r] + j * s[r];
      const float* wk = w + 8 + (r * 3 + k) * 8;
      if (k == 1) {
        l2 = _mm256_fmadd_ps(_mm256_loadu_ps(q), _mm256_loadu_ps(wk), l2);
        h2 = _mm256_fmadd_ps(_mm256_loadu_ps(q + 8), _mm256_loadu_ps(wk + 80), h2);
      } else {
        l = _mm256_fmadd_ps(_mm256_loadu_ps(q), _mm256_loadu_ps(wk), l);
        h = _mm256_fmadd_ps(_mm256_loadu_ps(q + 8), _mm256_loadu_ps(wk + 80), h);
      }
    }
  }
  l = _mm256_add_ps(l, l2);
  h = _mm256_add_ps(h, h2);
  _mm256_storeu_ps(o, _mm256_min_ps(_mm256_max_ps(l, vmin), vmax));
  _mm256_storeu_ps(o + 8, _mm256_min_ps(_mm256_max_ps(h, vmin), vmax));
}

// One step: `n` interior pixels from x (n = 0: the edge pixel x alone) of the 16-channel
// blocks [c0, c1), their weights from wb.
__attribute__((target("avx2,fma"), always_inline)) static inline void f32_dwconv3x3_step_16c__avx2_fma(
    size_t channels, size_t c0, size_t c1, size_t x, size_t n, size_t stride, ptrdiff_t pad, ptrdiff_t w_in,
    const float* const* base, const ptrdiff_t* s, const float* wb, float* output, __m256 vmin, __m256 vmax) {
  const ptrdiff_t ix = (ptrdiff_t)(x * stride) - pad;
  for (size_t c = c0; c < c1; c += 16, wb += 160) {
    float* o = output + x * channels + c;
    if (n == 0) {
      const float* p[3] = {base[0] + c, base[1] + c, base[2] + c};
      f32_dwconv3x3_edge_16c__avx2_fma(p, s, ix, w_in, wb, o, vmin, vmax);
      continue;
    }
    const float* q[3] = {base[0] + c + ix * s[0], base[1] + c + ix * s[1], base[2] + c + ix * s[2]};
#define F32DW_N(N)                                                                                   \
    if (stride == 1) f32_dwconv3x3_pxn_16c__avx2_fma(q, s, 1, N, wb, o, channels, vmin, vmax);       \
    else f32_dwconv3x3_pxn_16c__avx2_fma(q, s, 2, N, wb, o, channels, vmin, vmax);
    switch (n) {
      case 4: F32DW_N(4) break;
      case 3: F32DW_N(3) break;
      case 2: F32DW_N(2) break;
      default: F32DW_N(1) break;
    }
#undef F32DW_N
  }
}

__attribute__((target("avx2,fma"))) void f32_dwconv3x3_row_minmax_ukernel_16c__avx2_fma(
    size_t channels, size_t out_width, size_t in_width, size_t stride, size_t pad_left, const float** rows,
    const float* zero, const float* w, float* output, float min, float max) {
  const __m256 vmin = _mm256_set1_ps(min), vmax = _mm256_set1_ps(max);
  const ptrdiff_t w_in = (ptrdiff_t)in_width, pad = (ptrdiff_t)pad_left, st = (ptrdiff_t)stride;
  // Interior pixels [x_lo, x_hi): their whole window lies inside the row.
  size_t x_lo = (size_t)((pad + st - 1) / st);
  size_t x_hi = w_in + pad >= 3 ? (size_t)((w_in - 3 + pad) / st + 1) : 0;
  if (x_hi > out_width) x_hi = out_width;
  if (x_lo > x_hi) x_lo = x_hi;
  const float* base[3] = {rows[0] != NULL ? rows[0] : zero, rows[1] != NULL ? rows[1] : zero,
                          rows[2] != NULL ? rows[2] : zero};
  const ptrdiff_t s[3] = {rows[0] != NULL ? (ptrdiff_t)channels : 0, rows[1] != NULL ? (ptrdiff_t)channels : 0,
                          rows[2] != NULL ? (ptrdiff_t)channels : 0};
  const size_t full = channels & ~(size_t)15;
  // Pixel-outer (every block of a step's pixels, then the next step) for pixels of a
  // multiple of 1 KiB: block-outer, a block's columns 1-4 KiB apart fall into a few L1 sets
  // and its strided lines defeat the prefetchers, while pixel-outer reads each window pixel
  // as a run along the channels. Elsewhere block-outer keeps a block's weights in registers
  // and L1 along the row. Pixel-outer steps take three pixels (15 runs at stride 1): four
  // measured the same, and two pixels at stride 2 no better. Measured on Zen 4 in MobileNet
  // v1 (AVX2 kernels), pixel-outer against block-outer: 14x14x512 0.035 against 0.037 ms,
  // 7x7x1024 0.025 against 0.029; the banded 32-128 channel layers (input in a ring of rows)
  // ran 0.02-0.04 ms faster block-outer.
  const int pixel_outer = channels % 256 == 0;
  const size_t step = 3;
  if (pixel_outer) {
    // In chunks of 256 channels, whose 10 KiB of weights stay in L1 along the row (v1 on Zen
    // 4, measured before the plan staggered its buffers' page offsets: 14x14x512 0.048 ->
    // 0.046 ms, 7x7x1024 0.047 -> 0.045).
    for (size_t cc = 0; cc < full; cc += 256) {
      const size_t ce = cc + 256 < full ? cc + 256 : full;
      for (size_t x = 0, n; x < out_width; x += n > 0 ? n : 1) {
        n = x < x_lo || x >= x_hi ? 0 : x_hi - x < step ? x_hi - x : step;
        f32_dwconv3x3_step_16c__avx2_fma(channels, cc, ce, x, n, stride, pad, w_in, base, s, w + cc * 10, output,
                                         vmin, vmax);
      }
    }
  } else {
    const float* wb = w;
    for (size_t c = 0; c < full; c += 16, wb += 160) {
      for (size_t x = 0, n; x < out_width; x += n > 0 ? n : 1) {
        n = x < x_lo || x >= x_hi ? 0 : x_hi - x < 4 ? x_hi - x : 4;
        f32_dwconv3x3_step_16c__avx2_fma(channels, c, c + 16, x, n, stride, pad, w_in, base, s, wb, output, vmin,
                                         vmax);
      }
    }
  }
  // The last 1-15 channels: one or two 8-channel blocks of the kernel above.
  const float* wb = w + full * 10;
  for (size_t c = full; c < channels; c += 8, wb += 80) {
    const size_t n = channels - c < 8 ? channels - c : 8;
    if (n == 8) {
      f32_dwconv3x3_row_block__avx2_fma(channels, c, _mm256_set1_epi32(-1), 1, out_width, in_width, stride, -pad,
                                        rows, zero, wb, output + c, vmin, vmax);
    } else {
      const __m256i m = _mm256_loadu_si256((const __m256i*)&f32_dwconv3x3_mask_table[8 - n]);
      f32_dwconv3x3_row_block__avx2_fma(channels, c, m, 0, out_width, in_width, stride, -pad, rows, zero, wb,
                                        output + c, vmin, vmax);
    }
  }
}
#undef CB
#endif
