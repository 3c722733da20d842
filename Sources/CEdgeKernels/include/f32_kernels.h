#ifndef EDGETOP_F32_KERNELS_H
#define EDGETOP_F32_KERNELS_H
#include <stddef.h>

// fp32 microkernels for the NNPACK-style operators. Each computes one output tile over the
// whole reduction; operators pack weights, split work and pick a kernel once from the CPU's
// features. Names follow <type>_<op>_<activation>_ukernel_<tile>__<isa>.

/// GEMM over packed weights: C[mr x nc] = clamp(A[mr x kc] * W + bias).
/// `a` row i starts at a + i*a_stride floats; rows past mr alias the last valid row.
/// `w` holds ceil(nc/NR) panels, each NR biases then kc rows of NR weights (zero padded).
/// `c` row i starts at c + i*c_stride floats; only nc columns are written.
typedef void (*f32_gemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                    const float* w, float* c, size_t c_stride, float min, float max);

#if defined(__x86_64__)
void f32_gemm_minmax_ukernel_6x16__avx2_fma(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                            const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_1x16__avx2_fma_acc4(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                            const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_7x32__avx512f(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                           const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_1x32__avx512f_acc4(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                           const float* w, float* c, size_t c_stride, float min, float max);
/// Row-count variants of the tiles above (same per-row arithmetic), for the rows left over.
void f32_gemm_minmax_ukernel_5x16__avx2_fma(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_4x16__avx2_fma(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_3x16__avx2_fma(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_2x16__avx2_fma(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_1x16__avx2_fma(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_6x32__avx512f(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_5x32__avx512f(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_4x32__avx512f(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_3x32__avx512f(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_2x32__avx512f(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_1x32__avx512f(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const float* w, float* c, size_t c_stride, float min, float max);
#endif
#if defined(__aarch64__)
void f32_gemm_minmax_ukernel_6x8__neonfma(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                          const float* w, float* c, size_t c_stride, float min, float max);
void f32_gemm_minmax_ukernel_1x8__neonfma(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                          const float* w, float* c, size_t c_stride, float min, float max);
#endif

/// Indirect GEMM over packed weights: C[mr x nc] = clamp(A[mr x (ks*kc)] * W + bias), where
/// row i of A is the concatenation of the runs a[p*MR + i][0..<kc] for p = 0..<ks (MR: the
/// kernel's tile rows; entries for rows past mr repeat a valid row). `w` and `c` as for
/// f32_gemm_ukernel_fn with depth ks*kc.
typedef void (*f32_igemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, size_t ks, const float** a, const float* w,
                                     float* c, size_t c_stride, float min, float max);

/// Tiles [tile_begin, tile_end) of a convolution on `kernel` (an MR = `mr` indirect GEMM):
/// tile t covers output pixels first + t*mr ..< min(end, first + (t+1)*mr), row-major over
/// `out_w`, written from `output` (pixel `first`). Per pixel and kernel row the table gets the
/// window row's kw*in_c NHWC floats in place, `zero` (at least kw*in_c zeros) for a padding
/// row, or a copy with zeros in `edges` (mr*kh*kw*in_c floats) where the window crosses the
/// left or right edge. `table` holds kh*mr pointers; `w` is packed as for the kernel.
void f32_igemm_conv_tiles(f32_igemm_ukernel_fn kernel, size_t mr, size_t first, size_t end, size_t tile_begin,
                          size_t tile_end, size_t out_w, size_t in_h, size_t in_w, size_t in_c, size_t out_c,
                          size_t kh, size_t kw, size_t sh, size_t sw, size_t dh, size_t pt, size_t pl,
                          const float* input, const float* zero, const float* w, float* output, float min,
                          float max, const float** table, float* edges);

#if defined(__x86_64__)
void f32_igemm_minmax_ukernel_6x16__avx2_fma(size_t mr, size_t nc, size_t kc, size_t ks, const float** a,
                                             const float* w, float* c, size_t c_stride, float min, float max);
void f32_igemm_minmax_ukernel_7x32__avx512f(size_t mr, size_t nc, size_t kc, size_t ks, const float** a,
                                            const float* w, float* c, size_t c_stride, float min, float max);
#endif

/// Depthwise convolution of `width` output pixels with `taps` kernel taps each.
/// `input` holds width*taps pointers (pixel-major); a pointer may point at a zero row for
/// padding; channel c of tap t of pixel x is input[x*taps + t][c]. `w` holds ceil(channels/CB)
/// blocks of CB biases then taps*CB weights (CB = channel block, zero padded). Output pixel x
/// starts at output + x*output_stride floats.
typedef void (*f32_dwconv_ukernel_fn)(size_t channels, size_t width, size_t taps, const float** input,
                                      const float* w, float* output, size_t output_stride, float min, float max);

#if defined(__x86_64__)
void f32_dwconv_minmax_ukernel_up16x9__avx512f(size_t channels, size_t width, size_t taps, const float** input,
                                               const float* w, float* output, size_t output_stride, float min, float max);
void f32_dwconv_minmax_ukernel_up16xN__avx512f(size_t channels, size_t width, size_t taps, const float** input,
                                               const float* w, float* output, size_t output_stride, float min, float max);
void f32_dwconv_minmax_ukernel_up8x9__avx2_fma(size_t channels, size_t width, size_t taps, const float** input,
                                               const float* w, float* output, size_t output_stride, float min, float max);
void f32_dwconv_minmax_ukernel_up8xN__avx2_fma(size_t channels, size_t width, size_t taps, const float** input,
                                               const float* w, float* output, size_t output_stride, float min, float max);
#endif
#if defined(__aarch64__)
void f32_dwconv_minmax_ukernel_up8x9__neonfma(size_t channels, size_t width, size_t taps, const float** input,
                                              const float* w, float* output, size_t output_stride, float min, float max);
void f32_dwconv_minmax_ukernel_up8xN__neonfma(size_t channels, size_t width, size_t taps, const float** input,
                                              const float* w, float* output, size_t output_stride, float min, float max);
#endif

/// Depthwise 3x3 convolution (dilation 1) of one output row of `out_width` pixels at stride 1
/// or 2, read straight from NHWC input rows: `rows` holds the three input rows (each
/// `in_width` pixels of `channels` floats), NULL for a padding row, which reads `zero` (at
/// least `channels` rounded up to the block, zeros). Input column x*stride - pad_left + kx
/// outside [0, in_width) reads zero. `w` is packed as for f32_dwconv_ukernel_fn with 9 taps;
/// output pixel x starts at output + x*channels.
typedef void (*f32_dwconv3x3_row_ukernel_fn)(size_t channels, size_t out_width, size_t in_width, size_t stride,
                                             size_t pad_left, const float** rows, const float* zero,
                                             const float* w, float* output, float min, float max);

#if defined(__x86_64__)
void f32_dwconv3x3_row_minmax_ukernel_16c__avx512f(size_t channels, size_t out_width, size_t in_width,
                                                   size_t stride, size_t pad_left, const float** rows,
                                                   const float* zero, const float* w, float* output, float min,
                                                   float max);
void f32_dwconv3x3_row_minmax_ukernel_8c__avx2_fma(size_t channels, size_t out_width, size_t in_width,
                                                   size_t stride, size_t pad_left, const float** rows,
                                                   const float* zero, const float* w, float* output, float min,
                                                   float max);
void f32_dwconv3x3_row_minmax_ukernel_16c__avx2_fma(size_t channels, size_t out_width, size_t in_width,
                                                    size_t stride, size_t pad_left, const float** rows,
                                                    const float* zero, const float* w, float* output, float min,
                                                    float max);
#endif

/// Winograd F(6x6,3x3) input transform of the 8x8 tile at (iy0, ix0) of an NHWC input
/// (pixels outside read as zero), all channels, into dst[pos * pos_stride + c], pos = 0..63.
typedef void (*f32_winograd_input_fn)(const float* input, size_t height, size_t width, size_t channels,
                                      ptrdiff_t iy0, ptrdiff_t ix0, float* dst, size_t pos_stride);
/// Winograd F(6x6,3x3) output transform of one tile's 64 products m[pos * pos_stride + c] into the
/// 6x6 output pixels at (oy0, ox0) that lie inside out_h x out_w, plus bias, clamped.
typedef void (*f32_winograd_output_fn)(const float* m, size_t pos_stride, size_t channels, const float* bias,
                                       float* output, size_t out_h, size_t out_w, size_t out_c, size_t oy0,
                                       size_t ox0, float min, float max);

#if defined(__x86_64__)
void f32_winograd6x6_input_tile__avx512f(const float* input, size_t height, size_t width, size_t channels,
                                         ptrdiff_t iy0, ptrdiff_t ix0, float* dst, size_t pos_stride);
void f32_winograd6x6_output_tile__avx512f(const float* m, size_t pos_stride, size_t channels, const float* bias,
                                          float* output, size_t out_h, size_t out_w, size_t out_c, size_t oy0,
                                          size_t ox0, float min, float max);
void f32_winograd6x6_input_tile__avx2_fma(const float* input, size_t height, size_t width, size_t channels,
                                          ptrdiff_t iy0, ptrdiff_t ix0, float* dst, size_t pos_stride);
void f32_winograd6x6_output_tile__avx2_fma(const float* m, size_t pos_stride, size_t channels, const float* bias,
                                           float* output, size_t out_h, size_t out_w, size_t out_c, size_t oy0,
                                           size_t ox0, float min, float max);
/// FMA throughput probes: `iterations` × 12 vfmadd of 16 (avx512f) or 8 (avx2) lanes.
float f32_fma_peak_probe__avx512f(size_t iterations);
float f32_fma_peak_probe__avx2_fma(size_t iterations);

#endif
#if defined(__aarch64__)
void f32_winograd6x6_input_tile__neonfma(const float* input, size_t height, size_t width, size_t channels,
                                         ptrdiff_t iy0, ptrdiff_t ix0, float* dst, size_t pos_stride);
void f32_winograd6x6_output_tile__neonfma(const float* m, size_t pos_stride, size_t channels, const float* bias,
                                          float* output, size_t out_h, size_t out_w, size_t out_c, size_t oy0,
                                          size_t ox0, float min, float max);
#endif
#endif
