// The tile loop of an implicit-GEMM convolution on an indirect GEMM kernel: per tile of MR
// output pixels, the pointer table (one pointer per pixel and kernel row) and the copied
// windows that cross the left or right edge, then one kernel call. Built in Swift, each
// tile's table cost about as much as a fifth of the MobileNet stem's arithmetic (0.12 ms of
// a 0.48 ms band step on Zen 4); the table and the copies are the same, so are the bits.
// Portable C: the kernel comes in as a pointer, whichever instruction set it is for.
#include "f32_kernels.h"
#include <string.h>

void f32_igemm_conv_tiles(f32_igemm_ukernel_fn kernel, size_t mr, size_t first, size_t end, size_t tile_begin,
                          size_t tile_end, size_t out_w, size_t in_h, size_t in_w, size_t in_c, size_t out_c,
                          size_t kh, size_t kw, size_t sh, size_t sw, size_t dh, size_t pt, size_t pl,
                          const float* input, const float* zero, const float* w, float* output, float min,
                          float max, const float** table, float* edges) {
  const size_t run = kw * in_c;
  const ptrdiff_t h = (ptrdiff_t)in_h, wd = (ptrdiff_t)in_w;
  const size_t row_step = dh * in_w * in_c;
  for (size_t tile = tile_begin; tile < tile_end; tile++) {
    const size_t m0 = first + tile * mr;
    const size_t rows = end - m0 < mr ? end - m0 : mr;
    size_t oy = m0 / out_w, ox = m0 % out_w;
    for (size_t r = 0; r < rows; r++) {
      if (r > 0 && ++ox == out_w) { ox = 0; oy++; }
      const ptrdiff_t ix0 = (ptrdiff_t)(ox * sw) - (ptrdiff_t)pl;
      const int inside_row = ix0 >= 0 && ix0 + (ptrdiff_t)kw - 1 < wd;
      const ptrdiff_t iy0 = (ptrdiff_t)(oy * sh) - (ptrdiff_t)pt;
      if (inside_row && iy0 >= 0 && iy0 + (ptrdiff_t)((kh - 1) * dh) < h) {
        // The window lies inside the input (most pixels): one pointer per kernel row, a
        // fixed step apart.
        const float* p = input + ((size_t)iy0 * in_w + (size_t)ix0) * in_c;
        for (size_t ky = 0; ky < kh; ky++, p += row_step) table[ky * mr + r] = p;
        continue;
      }
      for (size_t ky = 0; ky < kh; ky++) {
        const ptrdiff_t iy = (ptrdiff_t)(oy * sh + ky * dh) - (ptrdiff_t)pt;
        if (iy < 0 || iy >= h) {
          table[ky * mr + r] = zero;
        } else if (inside_row) {
          table[ky * mr + r] = input + ((size_t)iy * in_w + (size_t)ix0) * in_c;
        } else {
          float* dst = edges + (r * kh + ky) * run;
          for (size_t kx = 0; kx < kw; kx++) {
            const ptrdiff_t ix = ix0 + (ptrdiff_t)kx;
            if (ix >= 0 && ix < wd) {
              memcpy(dst + kx * in_c, input + ((size_t)iy * in_w + (size_t)ix) * in_c, in_c * sizeof(float));
            } else {
              memset(dst + kx * in_c, 0, in_c * sizeof(float));
            }
          }
          table[ky * mr + r] = dst;
        }
      }
    }
    // Rows past the tile's end repeat its last row (the kernel stores them aliased).
    for (size_t r = rows; r < mr; r++) {
      for (size_t ky = 0; ky < kh; ky++) table[ky * mr + r] = table[ky * mr + rows - 1];
    }
    kernel(rows, out_c, run, kh, table, w, output + (m0 - first) * out_c, out_c, min, max);
  }
}
