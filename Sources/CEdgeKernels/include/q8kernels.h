#ifndef EDGETOP_Q8KERNELS_H
#define EDGETOP_Q8KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Requantization constants shared by every int8 microkernel (fp32 scaling, ties to even).
/// The clamp bounds are the output min/max less the output zero point, as floats, so the
/// clamp happens before rounding and the conversion can never overflow.
typedef struct q8_requant_params {
  float min_less_zero_point;
  float max_less_zero_point;
  int32_t zero_point;
} q8_requant_params;

#if defined(__x86_64__)
/// GEMM tile of up to 4 rows x 64 columns over one packed 64-column block.
/// Packed block: int32 bias[64], int8 weights[ceil(kc/4)][64][4], float scale[64].
/// Column 16a+4b+e of a block sits in slot 16b+4a+e (QWeightPacking.vnni4x64Slot).
/// Rows past `mr` are neither read nor computed nor stored (one instantiation per row count).
void q8_gemm_4x64c4__avx512vnni(size_t mr, size_t nc, size_t kc,
                                const uint8_t* a, size_t a_stride,
                                const void* w, uint8_t* c, size_t c_stride,
                                const q8_requant_params* params);

/// The 4x64 GEMM tile over `m` rows (tiles of 4, then the rest) in one call, so the block's
/// scales are checked once: when all are below 1 in magnitude both clamps happen in bytes
/// (fewer requantization ops per row, which K=32-64 layers feel). Same bytes as the tile.
void q8_gemm_4x64c4_mtiles__avx512vnni(size_t m, size_t nc, size_t kc,
                                       const uint8_t* a, size_t a_stride,
                                       const void* w, uint8_t* c, size_t c_stride,
                                       const q8_requant_params* params);

/// Indirect GEMM tile: row r, tap p reads `kc` bytes at indirection[r * indirection_stride + p] + a_offset
/// (a_offset selects the group's channels; the zero buffer is long enough for every group).
/// Packed block: int32 bias[64], int8 weights[ks][ceil(kc/4)][64][4], float scale[64].
/// Column 16a+4b+e of a block sits in slot 16b+4a+e (QWeightPacking.vnni4x64Slot).
void q8_igemm_4x64c4__avx512vnni(size_t mr, size_t nc, size_t kc, size_t ks,
                                 const uint8_t* const* indirection, size_t indirection_stride,
                                 size_t a_offset,
                                 const void* w, uint8_t* c, size_t c_stride,
                                 const q8_requant_params* params);

/// Narrow GEMM tile of up to 8 rows x 16 columns, for channel counts far from a multiple of 64.
/// Packed block: int32 bias[16], int8 weights[ceil(kc/4)][16][4], float scale[16].
void q8_gemm_8x16c4__avx512vnni(size_t mr, size_t nc, size_t kc,
                                const uint8_t* a, size_t a_stride,
                                const void* w, uint8_t* c, size_t c_stride,
                                const q8_requant_params* params);

/// Narrow indirect GEMM tile (8 rows x 16 columns); arguments as q8_igemm_4x64c4__avx512vnni.
/// Packed block: int32 bias[16], int8 weights[ks][ceil(kc/4)][16][4], float scale[16].
void q8_igemm_8x16c4__avx512vnni(size_t mr, size_t nc, size_t kc, size_t ks,
                                 const uint8_t* const* indirection, size_t indirection_stride,
                                 size_t a_offset,
                                 const void* w, uint8_t* c, size_t c_stride,
                                 const q8_requant_params* params);

/// Indirect GEMM tile of up to 8 rows x 32 columns, for windows of few channels per tap;
/// arguments as q8_igemm_4x64c4__avx512vnni. Packed block: int32 bias[32],
/// int8 weights[ks][ceil(kc/4)][32][4], float scale[32]. Rows past `mr` are not computed.
void q8_igemm_8x32c4__avx512vnni(size_t mr, size_t nc, size_t kc, size_t ks,
                                 const uint8_t* const* indirection, size_t indirection_stride,
                                 size_t a_offset,
                                 const void* w, uint8_t* c, size_t c_stride,
                                 const q8_requant_params* params);

/// AVX2 GEMM tile of up to 4 rows x 16 columns (int16 widening, exact int32 accumulators).
/// Packed block: int32 bias[16], int8 weights[ceil(kc/4)][2][16][2] (for each 4 K values, the
/// pairs (k0, k2) then (k1, k3) of every column; missing K padded with zero weights),
/// float scale[16]. Rows past `mr` alias the last valid row.
void q8_gemm_4x16c4__avx2(size_t mr, size_t nc, size_t kc,
                          const uint8_t* a, size_t a_stride,
                          const void* w, uint8_t* c, size_t c_stride,
                          const q8_requant_params* params);

/// Widens `m` rows of `kc` uint8 activations to int16 for q8_gemm_6x16c4__avx2_a16: per 4 K
/// values the order (a0, a2, a1, a3), each row padded with zeros to a multiple of 4 values;
/// `out_stride` (in int16 elements) is at least that padded length.
void q8_widen_rows_c4__avx2(size_t m, size_t kc, const uint8_t* a, size_t a_stride,
                            int16_t* out, size_t out_stride);

/// AVX2 GEMM tile of up to 6 rows x 16 columns on rows widened by q8_widen_rows_c4__avx2
/// (`a_stride` in int16 elements): the packed block of q8_gemm_4x16c4__avx2 and the same bytes
/// out, without unpacking the activations again for every block. Rows past `mr` alias the
/// last valid row.
void q8_gemm_6x16c4__avx2_a16(size_t mr, size_t nc, size_t kc,
                              const int16_t* a, size_t a_stride,
                              const void* w, uint8_t* c, size_t c_stride,
                              const q8_requant_params* params);

/// q8_gemm_6x16c4__avx2_a16 for 1 or 2 rows (a layer's last rows, fully connected layers).
void q8_gemm_2x16c4__avx2_a16(size_t mr, size_t nc, size_t kc,
                              const int16_t* a, size_t a_stride,
                              const void* w, uint8_t* c, size_t c_stride,
                              const q8_requant_params* params);

/// AVX2 indirect GEMM tile (4 rows x 16 columns); arguments as q8_igemm_4x64c4__avx512vnni.
/// Packed block: int32 bias[16], int8 weights[ks][ceil(kc/4)][2][16][2], float scale[16].
void q8_igemm_4x16c4__avx2(size_t mr, size_t nc, size_t kc, size_t ks,
                           const uint8_t* const* indirection, size_t indirection_stride,
                           size_t a_offset,
                           const void* w, uint8_t* c, size_t c_stride,
                           const q8_requant_params* params);

/// Depthwise convolution of one output row, 3x3 taps, dilation 1 along the width.
///
/// `table` is the row's compact indirection (one pointer per input column and kernel row,
/// column-major, shared by neighbouring output pixels): tap (ky, kx) of pixel x reads
/// table[x * pixel_step + kx * 3 + ky] + channel. Each input column is interleaved once and
/// reused by the pixels that share it (`zero` is unused: padding comes through the table).
/// Channels go 64 at a time in blocks laid out as q8_dwconv_up64xN__avx512vnni's, except that
/// weight group kx holds taps (0, kx), (1, kx), (2, kx) and a zero byte in each dword.
void q8_dwconv_up64x9__avx512vnni(size_t channels, size_t output_width,
                                  const uint8_t* const* table, size_t pixel_step,
                                  const uint8_t* zero, const void* w, uint8_t* output,
                                  const q8_requant_params* params);

/// Depthwise convolution of one output row with any window: tap t (= ky * kW + kx) of pixel x
/// reads table[x * pixel_step + offsets[t]] + channel (the same compact table as the 3x3 kernel,
/// offsets kx * dilation_w * kH + ky). Packed 64-channel block: int32 bias[64], int8 weights[ceil(taps/4)][4][64][4]
/// and float scale[64], bias/weights/scales ordered so that vector r, 128-bit lane L, dword d
/// holds channel 16L + 4r + d (the order in-lane byte/word unpacks produce).
void q8_dwconv_up64xN__avx512vnni(size_t channels, size_t output_width, size_t taps,
                                  const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                  const uint8_t* zero, const void* w, uint8_t* output,
                                  const q8_requant_params* params);

/// AVX2 depthwise convolution of one output row with any window, 32 channels and two output
/// pixels at a time, taps in pairs for vpmaddwd: tap t of pixel x reads
/// table[x * pixel_step + offsets[t]] + channel. Packed 32-channel block: int32 bias[32], int16
/// weights[ceil(taps/2)][4][8][2] (tap pairs; an odd last tap pairs with a zero weight), float
/// scale[32]; vector r, 128-bit lane L, dword d holds channel 16L + 4r + d.
void q8_dwconv_up32xN__avx2(size_t channels, size_t output_width, size_t taps,
                            const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                            const void* w, uint8_t* output, const q8_requant_params* params);

/// AVX-VNNI GEMM tile of up to 6 rows x 16 columns (256-bit VEX vpdpbusd, for CPUs with VNNI but
/// without AVX-512). Packed block as q8_gemm_8x16c4__avx512vnni: int32 bias[16], int8
/// weights[ceil(kc/4)][16][4], float scale[16]. Rows past `mr` alias the last valid row.
void q8_gemm_6x16c4__avxvnni(size_t mr, size_t nc, size_t kc,
                             const uint8_t* a, size_t a_stride,
                             const void* w, uint8_t* c, size_t c_stride,
                             const q8_requant_params* params);

/// AVX-VNNI indirect GEMM tile (6 rows x 16 columns); arguments as q8_igemm_4x64c4__avx512vnni.
/// Packed block: int32 bias[16], int8 weights[ks][ceil(kc/4)][16][4], float scale[16].
void q8_igemm_6x16c4__avxvnni(size_t mr, size_t nc, size_t kc, size_t ks,
                              const uint8_t* const* indirection, size_t indirection_stride,
                              size_t a_offset,
                              const void* w, uint8_t* c, size_t c_stride,
                              const q8_requant_params* params);

/// AVX-VNNI depthwise convolution of one output row, 3x3 taps, 32 channels at a time; arguments
/// as q8_dwconv_up64x9__avx512vnni. Packed 32-channel block: int32 bias[32], int8
/// weights[3][4][8][4], float scale[32]; vector r, 128-bit lane L, dword d holds channel 16L + 4r + d.
void q8_dwconv_up32x9__avxvnni(size_t channels, size_t output_width,
                               const uint8_t* const* table, size_t pixel_step,
                               const uint8_t* zero, const void* w, uint8_t* output,
                               const q8_requant_params* params);

/// AVX-VNNI depthwise convolution of one output row with any window; arguments as
/// q8_dwconv_up64xN__avx512vnni, packing as q8_dwconv_up32x9__avxvnni with ceil(taps/4) groups.
void q8_dwconv_up32xN__avxvnni(size_t channels, size_t output_width, size_t taps,
                               const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                               const uint8_t* zero, const void* w, uint8_t* output,
                               const q8_requant_params* params);

/// Test twins of the four AVX-VNNI kernels: the same source compiled with the EVEX 256-bit
/// vpdpbusd (AVX-512 VL + VNNI), the same bits, so the AVX-VNNI code is tested on AVX-512 CPUs,
/// which cannot execute the VEX form. Chosen only when CPUFeatures.avxVNNITwin asks for them.
void q8_gemm_6x16c4__avxvnni_evex(size_t mr, size_t nc, size_t kc,
                                  const uint8_t* a, size_t a_stride,
                                  const void* w, uint8_t* c, size_t c_stride,
                                  const q8_requant_params* params);
/// Test twin of q8_igemm_6x16c4__avxvnni (EVEX encoding).
void q8_igemm_6x16c4__avxvnni_evex(size_t mr, size_t nc, size_t kc, size_t ks,
                                   const uint8_t* const* indirection, size_t indirection_stride,
                                   size_t a_offset,
                                   const void* w, uint8_t* c, size_t c_stride,
                                   const q8_requant_params* params);
/// Test twin of q8_dwconv_up32x9__avxvnni (EVEX encoding).
void q8_dwconv_up32x9__avxvnni_evex(size_t channels, size_t output_width,
                                    const uint8_t* const* table, size_t pixel_step,
                                    const uint8_t* zero, const void* w, uint8_t* output,
                                    const q8_requant_params* params);
/// Test twin of q8_dwconv_up32xN__avxvnni (EVEX encoding).
void q8_dwconv_up32xN__avxvnni_evex(size_t channels, size_t output_width, size_t taps,
                                    const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                                    const uint8_t* zero, const void* w, uint8_t* output,
                                    const q8_requant_params* params);

#endif

#if defined(__aarch64__)
/// ARMv8.0 GEMM tile of up to 8 rows x 8 columns (int16 widening, `smlal` by lane).
/// Packed block: int32 bias[8], int8 weights[kc][8] (one K value per column), float scale[8].
/// Rows past `mr` alias the last valid row.
void q8_gemm_8x8__neon(size_t mr, size_t nc, size_t kc,
                       const uint8_t* a, size_t a_stride,
                       const void* w, uint8_t* c, size_t c_stride,
                       const q8_requant_params* params);

/// ARMv8.0 indirect GEMM tile (8 rows x 8 columns); arguments as the x86 indirect GEMM kernels.
/// Packed block: int32 bias[8], int8 weights[ks][kc][8], float scale[8].
void q8_igemm_8x8__neon(size_t mr, size_t nc, size_t kc, size_t ks,
                        const uint8_t* const* indirection, size_t indirection_stride,
                        size_t a_offset,
                        const void* w, uint8_t* c, size_t c_stride,
                        const q8_requant_params* params);

/// ARMv8.2 dot-product GEMM tile of up to 4 rows x 16 columns (`sdot` on activations flipped to
/// a - 128). Packed block: int32 bias[16] holding bias - a_zp·Σw + 128·Σw, int8
/// weights[ceil(kc/4)][16][4] (zero padded), float scale[16].
void q8_gemm_4x16c4__neondot(size_t mr, size_t nc, size_t kc,
                             const uint8_t* a, size_t a_stride,
                             const void* w, uint8_t* c, size_t c_stride,
                             const q8_requant_params* params);

/// ARMv8.2 dot-product indirect GEMM tile (4 rows x 16 columns).
/// Packed block: int32 bias[16] (as the direct kernel), int8 weights[ks][ceil(kc/4)][16][4], float scale[16].
void q8_igemm_4x16c4__neondot(size_t mr, size_t nc, size_t kc, size_t ks,
                              const uint8_t* const* indirection, size_t indirection_stride,
                              size_t a_offset,
                              const void* w, uint8_t* c, size_t c_stride,
                              const q8_requant_params* params);

/// ARMv8.0 depthwise convolution of one output row with any window, 16 channels at a time;
/// arguments as the x86 depthwise kernels; reads the portable packing (bias[16], weights[taps][16], scale[16]).
void q8_dwconv_up16xN__neon(size_t channels, size_t output_width, size_t taps,
                            const uint8_t* const* table, size_t pixel_step, const size_t* offsets,
                            const void* w, uint8_t* output, const q8_requant_params* params);
#endif

/// Constants of the quantized elementwise addition.
typedef struct q8_vadd_params {
  int32_t a_zero_point;
  int32_t b_zero_point;
  float a_multiplier;   // s_a / s_out
  float b_multiplier;   // s_b / s_out
  float min_less_zero_point;
  float max_less_zero_point;
  int32_t zero_point;
} q8_vadd_params;

/// out[i] = clamp(round((a[i] - a_zp)·a_mul + (b[i] - b_zp)·b_mul) + zp): two products and one
/// sum in fp32 (never fused), rounded ties to even; `out` may alias `a` or `b`.
#if defined(__x86_64__)
void q8_vadd_minmax_fp32__avx512(size_t n, const uint8_t* a, const uint8_t* b, uint8_t* out,
                                 const q8_vadd_params* params);

/// Runs iterations x 16 independent 512-bit vpdpbusd (64 MACs each) and returns a value
/// depending on all of them; benchmarks time it to know the core's int8 peak right now.
int32_t q8_vnni_peak_probe(size_t iterations);
#endif
#endif
