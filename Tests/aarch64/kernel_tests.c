// Byte-for-byte tests of edgetop's 64-bit ARM microkernels against plain C references, run
// under qemu-user by scripts/test-aarch64.sh (no ARM machine is needed). The cases follow the
// x86 kernel tests: K below, at and above the tile, partial row and column tiles, aliased rows,
// strides, zero points, clamps and indirection with padding taps. int8 results must be equal
// bytes; fp32 results equal values of a reference that performs the same fused operations in
// the same order.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_cpu.h"
#include "f32_kernels.h"
#include "q8kernels.h"

static int passed, failed;
// When set, scales are 0.5 and weights -1...1, so half of all products land exactly on a tie
// and a kernel that rounds ties away from zero (or up) fails.
static int tie_mode;
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_u64(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static int rand_int(int lo, int hi) { return lo + (int)(next_u64() % (uint64_t)(hi - lo + 1)); }
static float rand_float(float lo, float hi) { return lo + (hi - lo) * (float)(next_u64() >> 40) / (float)(1 << 24); }

static void check(int ok, const char* what) {
  if (ok) { passed++; return; }
  failed++;
  if (failed <= 20) printf("FAIL %s\n", what);
}

// ---------------------------------------------------------------------------------------------
// int8 reference: out = clamp(roundTiesToEven(float(acc)·scale), min - zp, max - zp) + zp,
// acc = bias + Σ (a - a_zp)·w, exactly as QRequantization documents.

static uint8_t ref_requant(int32_t acc, float scale, int32_t zp, uint8_t qmin, uint8_t qmax) {
  float f = (float)acc * scale;
  const float lo = (float)((int32_t)qmin - zp), hi = (float)((int32_t)qmax - zp);
  if (f < lo) f = lo;
  if (f > hi) f = hi;
  return (uint8_t)((int32_t)nearbyintf(f) + zp);
}

static q8_requant_params make_params(int32_t zp, uint8_t qmin, uint8_t qmax) {
  q8_requant_params p;
  p.min_less_zero_point = (float)((int32_t)qmin - zp);
  p.max_less_zero_point = (float)((int32_t)qmax - zp);
  p.zero_point = zp;
  return p;
}

enum q8_layout { LAYOUT_KR1_NR8, LAYOUT_C4_NR16_DOT };

// Packs weights w[n][ks][kc] (one block, n <= nr columns) as the kernel family expects.
static void* pack_q8_gemm(enum q8_layout layout, size_t n, size_t ks, size_t kc, const int8_t* w,
                          const int32_t* bias, const float* scale, uint8_t a_zp, size_t* bytes_out) {
  const size_t nr = layout == LAYOUT_KR1_NR8 ? 8 : 16, kr = layout == LAYOUT_KR1_NR8 ? 1 : 4;
  const size_t kgroups = (kc + kr - 1) / kr;
  const size_t bytes = nr * 4 + ks * kgroups * nr * kr + nr * 4;
  uint8_t* block = calloc(1, bytes);
  int32_t* b = (int32_t*)block;
  int8_t* wp = (int8_t*)(block + nr * 4);
  float* s = (float*)(block + bytes - nr * 4);
  for (size_t j = 0; j < n; j++) {
    int32_t sum = 0;
    for (size_t p = 0; p < ks; p++)
      for (size_t k = 0; k < kc; k++) {
        const int8_t v = w[(j * ks + p) * kc + k];
        sum += v;
        wp[((p * kgroups + k / kr) * nr + j) * kr + k % kr] = v;
      }
    b[j] = bias[j] - (int32_t)a_zp * sum + (layout == LAYOUT_C4_NR16_DOT ? 128 * sum : 0);
    s[j] = scale[j];
  }
  *bytes_out = bytes;
  return block;
}

typedef void (*q8_igemm_fn)(size_t, size_t, size_t, size_t, const uint8_t* const*, size_t, size_t, const void*,
                            uint8_t*, size_t, const q8_requant_params*);
typedef void (*q8_gemm_fn)(size_t, size_t, size_t, const uint8_t*, size_t, const void*, uint8_t*, size_t,
                           const q8_requant_params*);

// One case: mr rows, nc columns, ks taps of kc values; direct GEMM when direct != 0 (ks = 1).
static void q8_gemm_case(const char* name, enum q8_layout layout, size_t mr_max, q8_gemm_fn gemm, q8_igemm_fn igemm,
                         size_t mr, size_t nc, size_t kc, size_t ks, uint8_t a_zp, int32_t zp, uint8_t qmin,
                         uint8_t qmax, int direct) {
  const size_t a_offset = direct ? 0 : (size_t)rand_int(0, 3);
  const size_t a_stride = kc + (size_t)rand_int(0, 5);
  const size_t rows_alloc = mr_max;
  // Inputs: ks distinct row buffers per row; some taps point at a buffer of zero points.
  uint8_t* data = malloc(rows_alloc * ks * (a_stride + a_offset) + 1);
  for (size_t i = 0; i < rows_alloc * ks * (a_stride + a_offset); i++) data[i] = (uint8_t)rand_int(0, 255);
  uint8_t* zero = malloc(kc + a_offset);
  memset(zero, a_zp, kc + a_offset);
  const uint8_t** ind = malloc(sizeof(*ind) * rows_alloc * ks);
  for (size_t r = 0; r < rows_alloc; r++)
    for (size_t p = 0; p < ks; p++)
      ind[r * ks + p] = (!direct && rand_int(0, 4) == 0) ? zero : data + (r * ks + p) * (a_stride + a_offset);
  const size_t nr = layout == LAYOUT_KR1_NR8 ? 8 : 16;
  int8_t* w = malloc(nr * ks * kc);
  for (size_t i = 0; i < nr * ks * kc; i++) w[i] = (int8_t)(tie_mode ? rand_int(-1, 1) : rand_int(-128, 127));
  int32_t bias[16];
  float scale[16];
  for (size_t j = 0; j < 16; j++) {
    bias[j] = tie_mode ? rand_int(-9, 9) : rand_int(-5000, 5000);
    scale[j] = tie_mode ? 0.5f : rand_float(0.0005f, 0.02f);
  }
  size_t bytes;
  void* packed = pack_q8_gemm(layout, nc, ks, kc, w, bias, scale, a_zp, &bytes);

  const size_t c_stride = nc + (size_t)rand_int(0, 7);
  uint8_t* c = malloc(mr_max * c_stride + 16);
  memset(c, 0xA5, mr_max * c_stride + 16);
  const q8_requant_params params = make_params(zp, qmin, qmax);
  if (direct) gemm(mr, nc, kc, data, a_stride, packed, c, c_stride, &params);
  else igemm(mr, nc, kc, ks, ind, ks, a_offset, packed, c, c_stride, &params);

  int ok = 1;
  for (size_t r = 0; r < mr_max && ok; r++) {
    for (size_t j = 0; j < c_stride && ok; j++) {
      const uint8_t got = c[r * c_stride + j];
      if (r >= mr || j >= nc) { ok = got == 0xA5; continue; }
      int32_t acc = bias[j];
      for (size_t p = 0; p < ks; p++) {
        const uint8_t* row = direct ? data + r * a_stride : ind[r * ks + p] + a_offset;
        for (size_t k = 0; k < kc; k++) acc += ((int32_t)row[k] - a_zp) * w[(j * ks + p) * kc + k];
      }
      ok = got == ref_requant(acc, scale[j], zp, qmin, qmax);
    }
  }
  char what[200];
  snprintf(what, sizeof what, "%s mr=%zu nc=%zu kc=%zu ks=%zu a_zp=%u zp=%d clamp=%u..%u", name, mr, nc, kc, ks,
           a_zp, zp, qmin, qmax);
  check(ok, what);
  free(data); free(zero); free(ind); free(w); free(packed); free(c);
}

static void q8_gemm_family(const char* name, enum q8_layout layout, size_t mr_max, q8_gemm_fn gemm,
                           q8_igemm_fn igemm) {
  static const size_t kcs[] = {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 48, 64, 100, 259};
  const size_t nr = layout == LAYOUT_KR1_NR8 ? 8 : 16;
  for (size_t ki = 0; ki < sizeof kcs / sizeof kcs[0]; ki++)
    for (size_t mr = 1; mr <= mr_max; mr++)
      for (size_t nc = 1; nc <= nr; nc += (nc < 3 || nc + 2 > nr) ? 1 : 3) {
        const uint8_t a_zp = (uint8_t)rand_int(0, 255);
        const int32_t zp = rand_int(0, 255);
        const int narrow = rand_int(0, 3) == 0;
        const uint8_t qmin = narrow ? (uint8_t)rand_int(0, 100) : 0, qmax = narrow ? (uint8_t)rand_int(150, 255) : 255;
        q8_gemm_case(name, layout, mr_max, gemm, igemm, mr, nc, kcs[ki], 1, a_zp, zp, qmin, qmax, 1);
        q8_gemm_case(name, layout, mr_max, gemm, igemm, mr, nc, kcs[ki], (size_t)rand_int(1, 9), a_zp, zp, qmin,
                     qmax, 0);
      }
  // Ties: scale 0.5 and odd accumulators, small enough not to clamp.
  tie_mode = 1;
  for (size_t kc = 1; kc <= 8; kc++)
    for (size_t mr = 1; mr <= mr_max; mr++) {
      q8_gemm_case(name, layout, mr_max, gemm, igemm, mr, nr, kc, 1, 128, 128, 0, 255, 1);
      q8_gemm_case(name, layout, mr_max, gemm, igemm, mr, nr, kc, 2, 128, 128, 0, 255, 0);
    }
  tie_mode = 0;
  // Extremes: zero points at both ends, every product at its largest magnitude.
  q8_gemm_case(name, layout, mr_max, gemm, igemm, mr_max, nr, 64, 1, 0, 0, 0, 255, 1);
  q8_gemm_case(name, layout, mr_max, gemm, igemm, mr_max, nr, 64, 9, 255, 255, 0, 255, 0);
}

// ---------------------------------------------------------------------------------------------
// int8 depthwise over a compact indirection table shared by neighbouring pixels.

static void q8_dwconv_case(size_t channels, size_t width, size_t taps, uint8_t a_zp, int32_t zp, uint8_t qmin,
                           uint8_t qmax) {
  const size_t pixel_step = (size_t)rand_int(1, 3);
  size_t* offsets = malloc(sizeof(size_t) * taps);
  size_t max_offset = 0;
  for (size_t t = 0; t < taps; t++) {
    offsets[t] = (size_t)rand_int(0, (int)taps + 2);
    if (offsets[t] > max_offset) max_offset = offsets[t];
  }
  const size_t entries = (width - 1) * pixel_step + max_offset + 1;
  // Each entry is a pointer to exactly `channels` bytes, allocated apart, so a read past the
  // channel count would be seen by valgrind or land in other data.
  uint8_t** rows = malloc(sizeof(uint8_t*) * entries);
  for (size_t e = 0; e < entries; e++) {
    rows[e] = malloc(channels);
    for (size_t c = 0; c < channels; c++) rows[e][c] = (uint8_t)rand_int(0, 255);
  }
  int8_t* w = malloc(channels * taps);
  for (size_t i = 0; i < channels * taps; i++) w[i] = (int8_t)(tie_mode ? rand_int(-1, 1) : rand_int(-128, 127));
  int32_t* bias = malloc(sizeof(int32_t) * channels);
  float* scale = malloc(sizeof(float) * channels);
  for (size_t c = 0; c < channels; c++) {
    bias[c] = tie_mode ? rand_int(-9, 9) : rand_int(-3000, 3000);
    scale[c] = tie_mode ? 0.5f : rand_float(0.001f, 0.03f);
  }
  // Portable packing: per 16 channels int32 bias[16], int8 weights[taps][16], float scale[16].
  const size_t blocks = (channels + 15) / 16, block_bytes = 64 + taps * 16 + 64;
  uint8_t* packed = calloc(blocks, block_bytes);
  for (size_t c = 0; c < channels; c++) {
    uint8_t* blk = packed + (c / 16) * block_bytes;
    int32_t sum = 0;
    for (size_t t = 0; t < taps; t++) {
      sum += w[c * taps + t];
      ((int8_t*)(blk + 64))[t * 16 + c % 16] = w[c * taps + t];
    }
    ((int32_t*)blk)[c % 16] = bias[c] - (int32_t)a_zp * sum;
    ((float*)(blk + 64 + taps * 16))[c % 16] = scale[c];
  }
  uint8_t* out = malloc(width * channels + 16);
  memset(out, 0xA5, width * channels + 16);
  const q8_requant_params params = make_params(zp, qmin, qmax);
  q8_dwconv_up16xN__neon(channels, width, taps, (const uint8_t* const*)rows, pixel_step, offsets, packed, out,
                         &params);
  int ok = 1;
  for (size_t x = 0; x < width && ok; x++)
    for (size_t c = 0; c < channels && ok; c++) {
      int32_t acc = bias[c];
      for (size_t t = 0; t < taps; t++)
        acc += ((int32_t)rows[x * pixel_step + offsets[t]][c] - a_zp) * w[c * taps + t];
      ok = out[x * channels + c] == ref_requant(acc, scale[c], zp, qmin, qmax);
    }
  for (size_t i = width * channels; i < width * channels + 16 && ok; i++) ok = out[i] == 0xA5;
  char what[160];
  snprintf(what, sizeof what, "q8_dwconv_up16xN__neon channels=%zu width=%zu taps=%zu", channels, width, taps);
  check(ok, what);
  for (size_t e = 0; e < entries; e++) free(rows[e]);
  free(rows); free(offsets); free(w); free(bias); free(scale); free(packed); free(out);
}

// ---------------------------------------------------------------------------------------------
// fp32 GEMM: bias + Σ a·w, fused in ascending K, clamped.

static float clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

static void f32_gemm_case(const char* name, void (*fn)(size_t, size_t, size_t, const float*, size_t, const float*,
                                                        float*, size_t, float, float),
                          size_t mr_max, size_t mr, size_t nc, size_t kc) {
  const size_t nr = 8, panels = (nc + nr - 1) / nr;
  const size_t a_stride = kc + (size_t)rand_int(0, 3), c_stride = nc + (size_t)rand_int(0, 3);
  float* a = malloc(sizeof(float) * mr * a_stride);
  for (size_t i = 0; i < mr * a_stride; i++) a[i] = rand_float(-2, 2);
  float* wt = malloc(sizeof(float) * nc * kc);
  float* bias = malloc(sizeof(float) * nc);
  for (size_t i = 0; i < nc * kc; i++) wt[i] = rand_float(-1, 1);
  for (size_t j = 0; j < nc; j++) bias[j] = rand_float(-1, 1);
  float* packed = calloc(panels * nr * (kc + 1), sizeof(float));
  for (size_t j = 0; j < nc; j++) {
    float* panel = packed + (j / nr) * nr * (kc + 1);
    panel[j % nr] = bias[j];
    for (size_t k = 0; k < kc; k++) panel[nr + k * nr + j % nr] = wt[j * kc + k];
  }
  float* c = malloc(sizeof(float) * mr_max * c_stride);
  for (size_t i = 0; i < mr_max * c_stride; i++) c[i] = -12345.0f;
  const float lo = rand_int(0, 1) ? -INFINITY : -0.5f, hi = rand_int(0, 1) ? INFINITY : 1.5f;
  fn(mr, nc, kc, a, a_stride, packed, c, c_stride, lo, hi);
  int ok = 1;
  for (size_t r = 0; r < mr_max && ok; r++)
    for (size_t j = 0; j < c_stride && ok; j++) {
      if (r >= mr || j >= nc) { ok = c[r * c_stride + j] == -12345.0f; continue; }
      float acc = bias[j];
      for (size_t k = 0; k < kc; k++) acc = fmaf(a[r * a_stride + k], wt[j * kc + k], acc);
      ok = c[r * c_stride + j] == clampf(acc, lo, hi);
    }
  char what[160];
  snprintf(what, sizeof what, "%s mr=%zu nc=%zu kc=%zu", name, mr, nc, kc);
  check(ok, what);
  free(a); free(wt); free(bias); free(packed); free(c);
}

// fp32 depthwise: bias + Σ in·w fused in tap order, clamped.
static void f32_dwconv_case(int nine, size_t channels, size_t width, size_t taps) {
  const size_t cb = 8, blocks = (channels + cb - 1) / cb, out_stride = channels + (size_t)rand_int(0, 3);
  const float** input = malloc(sizeof(float*) * width * taps);
  float** rows = malloc(sizeof(float*) * width * taps);
  for (size_t i = 0; i < width * taps; i++) {
    rows[i] = malloc(sizeof(float) * channels);
    for (size_t c = 0; c < channels; c++) rows[i][c] = rand_float(-2, 2);
    input[i] = rows[i];
  }
  float* wt = malloc(sizeof(float) * channels * taps);
  float* bias = malloc(sizeof(float) * channels);
  for (size_t i = 0; i < channels * taps; i++) wt[i] = rand_float(-1, 1);
  for (size_t c = 0; c < channels; c++) bias[c] = rand_float(-1, 1);
  float* packed = calloc(blocks * cb * (taps + 1), sizeof(float));
  for (size_t c = 0; c < channels; c++) {
    float* blk = packed + (c / cb) * cb * (taps + 1);
    blk[c % cb] = bias[c];
    for (size_t t = 0; t < taps; t++) blk[cb + t * cb + c % cb] = wt[c * taps + t];
  }
  float* out = malloc(sizeof(float) * width * out_stride);
  for (size_t i = 0; i < width * out_stride; i++) out[i] = -12345.0f;
  const float lo = -1.0f, hi = rand_int(0, 1) ? 6.0f : INFINITY;
  if (nine) f32_dwconv_minmax_ukernel_up8x9__neonfma(channels, width, taps, input, packed, out, out_stride, lo, hi);
  else f32_dwconv_minmax_ukernel_up8xN__neonfma(channels, width, taps, input, packed, out, out_stride, lo, hi);
  int ok = 1;
  for (size_t x = 0; x < width && ok; x++)
    for (size_t c = 0; c < out_stride && ok; c++) {
      if (c >= channels) { ok = out[x * out_stride + c] == -12345.0f; continue; }
      float acc = bias[c];
      for (size_t t = 0; t < taps; t++) acc = fmaf(rows[x * taps + t][c], wt[c * taps + t], acc);
      ok = out[x * out_stride + c] == clampf(acc, lo, hi);
    }
  char what[160];
  snprintf(what, sizeof what, "f32_dwconv_%s__neonfma channels=%zu width=%zu taps=%zu", nine ? "up8x9" : "up8xN",
           channels, width, taps);
  check(ok, what);
  for (size_t i = 0; i < width * taps; i++) free(rows[i]);
  free(rows); free(input); free(wt); free(bias); free(packed); free(out);
}

// ---------------------------------------------------------------------------------------------
// Winograd F(6x6,3x3) transforms: a scalar transcription of the same operation sequence.

static float fms(float c, float a, float b) { return fmaf(-a, b, c); }

static void ref_wt_in_1d(const float* d, size_t s, float* r, size_t rs) {
  const float d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s], d4 = d[4 * s], d5 = d[5 * s], d6 = d[6 * s],
              d7 = d[7 * s];
  r[0] = fmaf(5.25f, d4 - d2, d0 - d6);
  r[7 * rs] = fmaf(5.25f, d3 - d5, d7 - d1);
  const float e1 = fms(d2 + d6, 4.25f, d4), o1 = fms(d1 + d5, 4.25f, d3);
  r[1 * rs] = e1 + o1;
  r[2 * rs] = e1 - o1;
  const float e2 = fms(fmaf(0.25f, d2, d6), 1.25f, d4), o2 = fmaf(2.0f, d5, fms(0.5f * d1, 2.5f, d3));
  r[3 * rs] = e2 + o2;
  r[4 * rs] = e2 - o2;
  const float e3 = fms(fmaf(4.0f, d2, d6), 5.0f, d4), o3 = fmaf(0.5f, d5, fms(2.0f * d1, 2.5f, d3));
  r[5 * rs] = e3 + o3;
  r[6 * rs] = e3 - o3;
}

static void ref_wt_out_1d(const float* m, size_t s, float* r, size_t rs) {
  const float m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s], m4 = m[4 * s], m5 = m[5 * s], m6 = m[6 * s],
              m7 = m[7 * s];
  const float e1 = m1 + m2, o1 = m1 - m2, e2 = m3 + m4, o2 = m3 - m4, e3 = m5 + m6, o3 = m5 - m6;
  r[0] = (m0 + e1) + (e2 + e3);
  r[1 * rs] = fmaf(2.0f, o2, fmaf(0.5f, o3, o1));
  r[2 * rs] = fmaf(4.0f, e2, fmaf(0.25f, e3, e1));
  r[3 * rs] = fmaf(8.0f, o2, fmaf(0.125f, o3, o1));
  r[4 * rs] = fmaf(16.0f, e2, fmaf(0.0625f, e3, e1));
  r[5 * rs] = fmaf(32.0f, o2, fmaf(0.03125f, o3, o1)) + m7;
}

static void winograd_input_case(size_t h, size_t w, size_t ch, ptrdiff_t iy0, ptrdiff_t ix0) {
  float* in = malloc(sizeof(float) * h * w * ch);
  for (size_t i = 0; i < h * w * ch; i++) in[i] = rand_float(-2, 2);
  const size_t pos_stride = ch + (size_t)rand_int(0, 3);
  float* dst = malloc(sizeof(float) * 64 * pos_stride);
  for (size_t i = 0; i < 64 * pos_stride; i++) dst[i] = -12345.0f;
  f32_winograd6x6_input_tile__neonfma(in, h, w, ch, iy0, ix0, dst, pos_stride);
  int ok = 1;
  for (size_t c = 0; c < ch && ok; c++) {
    float d[64], t[64], r[8];
    for (size_t a = 0; a < 8; a++)
      for (size_t b = 0; b < 8; b++) {
        const ptrdiff_t y = iy0 + (ptrdiff_t)a, x = ix0 + (ptrdiff_t)b;
        d[a * 8 + b] = (y >= 0 && y < (ptrdiff_t)h && x >= 0 && x < (ptrdiff_t)w) ? in[((size_t)y * w + (size_t)x) * ch + c] : 0.0f;
      }
    for (size_t a = 0; a < 8; a++) {
      const ptrdiff_t y = iy0 + (ptrdiff_t)a;
      if (y < 0 || y >= (ptrdiff_t)h) { for (size_t j = 0; j < 8; j++) t[8 * a + j] = 0.0f; continue; }
      ref_wt_in_1d(d + 8 * a, 1, t + 8 * a, 1);
    }
    for (size_t j = 0; j < 8 && ok; j++) {
      ref_wt_in_1d(t + j, 8, r, 1);
      for (size_t i = 0; i < 8 && ok; i++) ok = dst[(i * 8 + j) * pos_stride + c] == r[i];
    }
  }
  for (size_t p = 0; p < 64 && ok; p++)
    for (size_t c = ch; c < pos_stride && ok; c++) ok = dst[p * pos_stride + c] == -12345.0f;
  char what[160];
  snprintf(what, sizeof what, "f32_winograd6x6_input_tile__neonfma %zux%zux%zu at (%td,%td)", h, w, ch, iy0, ix0);
  check(ok, what);
  free(in); free(dst);
}

static void winograd_output_case(size_t out_h, size_t out_w, size_t ch, size_t oy0, size_t ox0) {
  const size_t pos_stride = ch + (size_t)rand_int(0, 3), out_c = ch + (size_t)rand_int(0, 2);
  float* m = malloc(sizeof(float) * 64 * pos_stride);
  for (size_t i = 0; i < 64 * pos_stride; i++) m[i] = rand_float(-4, 4);
  float* bias = malloc(sizeof(float) * ch);
  for (size_t c = 0; c < ch; c++) bias[c] = rand_float(-1, 1);
  float* out = malloc(sizeof(float) * out_h * out_w * out_c);
  for (size_t i = 0; i < out_h * out_w * out_c; i++) out[i] = -12345.0f;
  const float lo = -3.0f, hi = 6.0f;
  f32_winograd6x6_output_tile__neonfma(m, pos_stride, ch, bias, out, out_h, out_w, out_c, oy0, ox0, lo, hi);
  int ok = 1;
  const size_t rows = out_h - oy0 < 6 ? out_h - oy0 : 6, cols = out_w - ox0 < 6 ? out_w - ox0 : 6;
  for (size_t c = 0; c < ch && ok; c++) {
    float v[64], t[48], y[6];
    for (size_t p = 0; p < 64; p++) v[p] = m[p * pos_stride + c];
    for (size_t i = 0; i < 8; i++) ref_wt_out_1d(v + 8 * i, 1, t + 6 * i, 1);
    for (size_t s = 0; s < 6; s++) {
      ref_wt_out_1d(t + s, 6, y, 1);
      for (size_t r = 0; r < 6 && ok; r++) {
        const int inside = r < rows && s < cols;
        const float got = inside ? out[((oy0 + r) * out_w + ox0 + s) * out_c + c] : 0.0f;
        if (inside) ok = got == clampf(y[r] + bias[c], lo, hi);
      }
    }
  }
  // Nothing outside the tile or past the channel count is written.
  for (size_t y = 0; y < out_h && ok; y++)
    for (size_t x = 0; x < out_w && ok; x++)
      for (size_t c = 0; c < out_c && ok; c++) {
        const int inside = y >= oy0 && y < oy0 + rows && x >= ox0 && x < ox0 + cols && c < ch;
        if (!inside) ok = out[(y * out_w + x) * out_c + c] == -12345.0f;
      }
  char what[160];
  snprintf(what, sizeof what, "f32_winograd6x6_output_tile__neonfma %zux%zux%zu at (%zu,%zu)", out_h, out_w, ch, oy0,
           ox0);
  check(ok, what);
  free(m); free(bias); free(out);
}

int main(void) {
  const edge_cpu_features f = edge_cpu_detect();
  printf("cpu: neon=%d neondot=%d\n", f.neon, f.neondot);
  const char* expect = getenv("EXPECT_NEONDOT");
  if (expect != NULL) check(f.neondot == (expect[0] == '1'), "hwcap dot-product detection matches the emulated CPU");
  check(f.neon, "hwcaps report Advanced SIMD");

  q8_gemm_family("q8_gemm_8x8__neon", LAYOUT_KR1_NR8, 8, q8_gemm_8x8__neon, q8_igemm_8x8__neon);
  if (f.neondot) {
    q8_gemm_family("q8_gemm_4x16c4__neondot", LAYOUT_C4_NR16_DOT, 4, q8_gemm_4x16c4__neondot,
                   q8_igemm_4x16c4__neondot);
  } else {
    printf("SKIP q8_gemm_4x16c4__neondot: this CPU has no dot-product instructions\n");
  }

  static const size_t chs[] = {1, 3, 8, 15, 16, 17, 31, 32, 33, 64, 100};
  static const size_t taps[] = {1, 4, 9, 12, 25};
  for (size_t i = 0; i < sizeof chs / sizeof chs[0]; i++)
    for (size_t t = 0; t < sizeof taps / sizeof taps[0]; t++) {
      const int narrow = rand_int(0, 1);
      q8_dwconv_case(chs[i], (size_t)rand_int(1, 5), taps[t], (uint8_t)rand_int(0, 255), rand_int(0, 255),
                     narrow ? 20 : 0, narrow ? 220 : 255);
    }

  // Widths with blocks of four pixels and every tail after them.
  static const size_t q8_dw_chs[] = {3, 16, 17, 32};
  for (size_t width = 4; width <= 9; width++)
    for (size_t i = 0; i < sizeof q8_dw_chs / sizeof q8_dw_chs[0]; i++) {
      q8_dwconv_case(q8_dw_chs[i], width, 9, (uint8_t)rand_int(0, 255), rand_int(0, 255), 0, 255);
      q8_dwconv_case(q8_dw_chs[i], width, (size_t)rand_int(1, 25), (uint8_t)rand_int(0, 255), rand_int(0, 255), 20,
                     220);
    }

  tie_mode = 1;
  for (size_t i = 0; i < sizeof chs / sizeof chs[0]; i++) q8_dwconv_case(chs[i], 5, 3, 128, 128, 0, 255);
  tie_mode = 0;

  for (size_t kc = 1; kc <= 20; kc += (kc < 10 ? 1 : 5))
    for (size_t mr = 1; mr <= 6; mr++)
      for (size_t nc = 1; nc <= 20; nc += (nc < 9 ? 1 : 4))
        f32_gemm_case("f32_gemm_minmax_ukernel_6x8__neonfma", f32_gemm_minmax_ukernel_6x8__neonfma, 6, mr, nc, kc);
  // Many passes of the hand-scheduled K loop (four K values each), with and without a tail.
  static const size_t long_kcs[] = {31, 32, 33, 64, 100, 257};
  for (size_t ki = 0; ki < sizeof long_kcs / sizeof long_kcs[0]; ki++)
    for (size_t mr = 1; mr <= 6; mr++)
      f32_gemm_case("f32_gemm_minmax_ukernel_6x8__neonfma", f32_gemm_minmax_ukernel_6x8__neonfma, 6, mr,
                    (size_t)rand_int(1, 24), long_kcs[ki]);
  for (size_t kc = 1; kc <= 40; kc += 3)
    for (size_t nc = 1; nc <= 20; nc += 3)
      f32_gemm_case("f32_gemm_minmax_ukernel_1x8__neonfma", f32_gemm_minmax_ukernel_1x8__neonfma, 1, 1, nc, kc);

  for (size_t c = 1; c <= 20; c++) {
    f32_dwconv_case(1, c, (size_t)rand_int(1, 3), 9);
    f32_dwconv_case(0, c, (size_t)rand_int(1, 3), (size_t)rand_int(1, 25));
  }
  // Widths with blocks of four pixels and every tail after them, with whole and partial
  // channel blocks.
  static const size_t dw_chs[] = {3, 8, 13, 16, 24};
  for (size_t width = 4; width <= 9; width++)
    for (size_t i = 0; i < sizeof dw_chs / sizeof dw_chs[0]; i++) {
      f32_dwconv_case(1, dw_chs[i], width, 9);
      f32_dwconv_case(0, dw_chs[i], width, (size_t)rand_int(1, 25));
    }

  for (size_t ch = 1; ch <= 9; ch++) {
    winograd_input_case((size_t)rand_int(1, 10), (size_t)rand_int(1, 10), ch, rand_int(-2, 4), rand_int(-2, 4));
    winograd_input_case(12, 12, ch, 3, -1);
    winograd_output_case(14, 13, ch, 6, 6);
    winograd_output_case((size_t)rand_int(1, 6) + 6, (size_t)rand_int(1, 6) + 6, ch, 6, 6);
    winograd_output_case(4, 3, ch, 0, 0);
  }

  printf("aarch64 kernel checks: %d passed and %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
