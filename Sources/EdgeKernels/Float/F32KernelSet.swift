import CEdgeKernels

/// A GEMM microkernel (C function type from `f32_kernels.h`): one MR x NR register tile
/// swept across `nc` columns of packed weights.
public typealias F32GemmFunction = @convention(c) (
    Int, Int, Int, UnsafePointer<Float>?, Int, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Float, Float
) -> Void

/// An indirect GEMM microkernel (C function type from `f32_kernels.h`): each row of A is
/// `ks` pointers to runs of `kc` floats.
public typealias F32IndirectGemmFunction = @convention(c) (
    Int, Int, Int, Int, UnsafeMutablePointer<UnsafePointer<Float>?>?, UnsafePointer<Float>?,
    UnsafeMutablePointer<Float>?, Int, Float, Float
) -> Void

/// A depthwise microkernel (C function type from `f32_kernels.h`) over an indirection buffer.
public typealias F32DepthwiseFunction = @convention(c) (
    Int, Int, Int, UnsafeMutablePointer<UnsafePointer<Float>?>?, UnsafePointer<Float>?,
    UnsafeMutablePointer<Float>?, Int, Float, Float
) -> Void

/// A direct depthwise 3x3 row microkernel (C function type from `f32_kernels.h`): one output
/// row from its three NHWC input rows, no indirection buffer.
public typealias F32DepthwiseRowFunction = @convention(c) (
    Int, Int, Int, Int, Int, UnsafeMutablePointer<UnsafePointer<Float>?>?, UnsafePointer<Float>?,
    UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Float, Float
) -> Void

/// A GEMM microkernel with the register tile its packed weights must match.
public struct F32GemmKernel: Sendable {
    /// XNNPACK-style name, e.g. `f32_gemm_minmax_ukernel_7x32__avx512f`.
    public let name: String
    /// Rows (output pixels) per call.
    public let mr: Int
    /// Columns (output channels) per packed weight panel.
    public let nr: Int
    /// The MR-row kernel.
    public let function: F32GemmFunction
    /// A one-row kernel on the same packing: a lone row in the MR-row kernel would compute MR
    /// aliased copies of itself.
    public let singleRow: F32GemmFunction
    /// Name of the one-row kernel.
    public let singleRowName: String
    /// The MR x NR kernel reading A through row pointers (implicit GEMM without a patch
    /// copy), or nil where the convolution gathers patches for `function`.
    public var indirect: F32IndirectGemmFunction? = nil
    /// Kernels for 1 ... MR-1 rows with `function`'s per-row arithmetic (index rows - 1), or
    /// empty where a short tile runs `function` on aliased rows.
    public var shortTiles: [F32GemmFunction] = []

    /// The kernel for a tile of `rows` rows, 1 ... MR.
    @inline(__always)
    public func tile(rows: Int) -> F32GemmFunction {
        rows < mr && rows <= shortTiles.count ? shortTiles[rows - 1] : function
    }

    /// Where tile `t` of `tiles` starts among `rows` rows. With short-tile kernels the rows are
    /// dealt out evenly (49 rows at MR 6: four tiles of 6, five of 5, not eight of 6 and one
    /// of 1 that costs a full tile); without them every tile but the last has MR rows.
    @inline(__always)
    public func tileStart(_ t: Int, tiles: Int, rows: Int) -> Int {
        guard !shortTiles.isEmpty else { return min(t * mr, rows) }
        let base = rows / tiles, extra = rows % tiles
        return t * base + min(t, extra)
    }
}

/// A depthwise microkernel family with the channel block its packed weights must match.
public struct F32DepthwiseKernel: Sendable {
    /// Channels per packed block.
    public let channelBlock: Int
    /// Kernel for exactly 9 taps (3x3 windows, any stride or dilation).
    public let nineTap: F32DepthwiseFunction
    /// Name of the 9-tap kernel.
    public let nineTapName: String
    /// Kernel for any number of taps.
    public let anyTaps: F32DepthwiseFunction
    /// Name of the any-tap kernel.
    public let anyTapsName: String
    /// Kernel for 3x3 undilated windows at horizontal stride 1 or 2, reading input rows in
    /// place (same packing); nil where only the indirection kernels exist.
    public var threeByThreeRows: F32DepthwiseRowFunction? = nil
    /// Name of the row kernel.
    public var threeByThreeRowsName = ""
    /// Whether the row kernel beats the indirection kernel for (channels, horizontal stride);
    /// a family whose row kernel loses on some shapes says which here.
    public var rowsPay: @Sendable (Int, Int) -> Bool = { _, _ in true }
}

/// Vectorised Winograd F(6x6,3x3) tile transforms (C, from `f32_kernels.h`).
public struct F32WinogradTransforms: Sendable {
    /// Input tile transform, B^T d B.
    public let input: f32_winograd_input_fn
    /// Output tile transform, A^T m A, plus bias and clamp.
    public let output: f32_winograd_output_fn
}

/// The fp32 microkernels for one instruction set, chosen once from the CPU's features the
/// way XNNPACK's gemm-config tables do: each entry carries its tile sizes, so packing
/// follows whichever kernel was chosen.
public struct F32KernelSet: Sendable {
    /// Short ISA name shown in benchmarks: `avx512f`, `avx2_fma`, `neonfma` or `swift_simd`.
    public let isa: String
    /// The GEMM kernel (1x1 convolutions, implicit GEMM, Winograd's batched products, FC).
    public let gemm: F32GemmKernel
    /// The depthwise kernels.
    public let depthwise: F32DepthwiseKernel
    /// C Winograd transforms, or nil to use the Swift SIMD ones.
    public let winograd: F32WinogradTransforms?

    /// The best kernels `features` can run; `.portable` selects the Swift SIMD kernels.
    public static func select(_ features: CPUFeatures) -> F32KernelSet {
        #if arch(x86_64)
        if features.avx512f { return .avx512f }
        if features.hasAVX2FMA { return .avx2FMA }
        #elseif arch(arm64)
        if features.neon { return .neonFMA }
        #endif
        return .portable
    }

    /// The kernels chosen for this CPU, decided once at start-up.
    public static let host = select(.host)

    #if arch(x86_64)
    /// AVX-512F kernels: 7x32 GEMM tile, 16-channel depthwise blocks.
    public static let avx512f = F32KernelSet(
        isa: "avx512f",
        gemm: F32GemmKernel(name: "f32_gemm_minmax_ukernel_7x32__avx512f", mr: 7, nr: 32,
                            function: f32_gemm_minmax_ukernel_7x32__avx512f,
                            singleRow: f32_gemm_minmax_ukernel_1x32__avx512f_acc4,
                            singleRowName: "f32_gemm_minmax_ukernel_1x32__avx512f_acc4",
                            indirect: f32_igemm_minmax_ukernel_7x32__avx512f,
                            shortTiles: [f32_gemm_minmax_ukernel_1x32__avx512f, f32_gemm_minmax_ukernel_2x32__avx512f,
                                         f32_gemm_minmax_ukernel_3x32__avx512f, f32_gemm_minmax_ukernel_4x32__avx512f,
                                         f32_gemm_minmax_ukernel_5x32__avx512f, f32_gemm_minmax_ukernel_6x32__avx512f]),
        depthwise: F32DepthwiseKernel(channelBlock: 16,
                                      nineTap: f32_dwconv_minmax_ukernel_up16x9__avx512f,
                                      nineTapName: "f32_dwconv_minmax_ukernel_up16x9__avx512f",
                                      anyTaps: f32_dwconv_minmax_ukernel_up16xN__avx512f,
                                      anyTapsName: "f32_dwconv_minmax_ukernel_up16xN__avx512f",
                                      threeByThreeRows: f32_dwconv3x3_row_minmax_ukernel_16c__avx512f,
                                      threeByThreeRowsName: "f32_dwconv3x3_row_minmax_ukernel_16c__avx512f"),
        winograd: F32WinogradTransforms(input: f32_winograd6x6_input_tile__avx512f,
                                        output: f32_winograd6x6_output_tile__avx512f))

    /// AVX2+FMA kernels: 6x16 GEMM tile, 8-channel depthwise blocks.
    public static let avx2FMA = F32KernelSet(
        isa: "avx2_fma",
        gemm: F32GemmKernel(name: "f32_gemm_minmax_ukernel_6x16__avx2_fma", mr: 6, nr: 16,
                            function: f32_gemm_minmax_ukernel_6x16__avx2_fma,
                            singleRow: f32_gemm_minmax_ukernel_1x16__avx2_fma_acc4,
                            singleRowName: "f32_gemm_minmax_ukernel_1x16__avx2_fma_acc4",
                            indirect: f32_igemm_minmax_ukernel_6x16__avx2_fma,
                            shortTiles: [f32_gemm_minmax_ukernel_1x16__avx2_fma, f32_gemm_minmax_ukernel_2x16__avx2_fma,
                                         f32_gemm_minmax_ukernel_3x16__avx2_fma, f32_gemm_minmax_ukernel_4x16__avx2_fma,
                                         f32_gemm_minmax_ukernel_5x16__avx2_fma]),
        depthwise: F32DepthwiseKernel(channelBlock: 8,
                                      nineTap: f32_dwconv_minmax_ukernel_up8x9__avx2_fma,
                                      nineTapName: "f32_dwconv_minmax_ukernel_up8x9__avx2_fma",
                                      anyTaps: f32_dwconv_minmax_ukernel_up8xN__avx2_fma,
                                      anyTapsName: "f32_dwconv_minmax_ukernel_up8xN__avx2_fma",
                                      // Two packed 8-channel blocks per step, so every cache
                                      // line is used whole: ahead of the indirection kernel on
                                      // every MobileNet shape, 1-4 KiB pixels included
                                      // (FloatKernelBenchmarks).
                                      threeByThreeRows: f32_dwconv3x3_row_minmax_ukernel_16c__avx2_fma,
                                      threeByThreeRowsName: "f32_dwconv3x3_row_minmax_ukernel_16c__avx2_fma"),
        winograd: F32WinogradTransforms(input: f32_winograd6x6_input_tile__avx2_fma,
                                        output: f32_winograd6x6_output_tile__avx2_fma))
    #endif

    #if arch(arm64)
    /// 64-bit ARM kernels with fused multiply-add: 6x8 GEMM tile, 8-channel depthwise blocks,
    /// Winograd transforms 4 channels per vector.
    public static let neonFMA = F32KernelSet(
        isa: "neonfma",
        gemm: F32GemmKernel(name: "f32_gemm_minmax_ukernel_6x8__neonfma", mr: 6, nr: 8,
                            function: f32_gemm_minmax_ukernel_6x8__neonfma,
                            singleRow: f32_gemm_minmax_ukernel_1x8__neonfma,
                            singleRowName: "f32_gemm_minmax_ukernel_1x8__neonfma"),
        depthwise: F32DepthwiseKernel(channelBlock: 8,
                                      nineTap: f32_dwconv_minmax_ukernel_up8x9__neonfma,
                                      nineTapName: "f32_dwconv_minmax_ukernel_up8x9__neonfma",
                                      anyTaps: f32_dwconv_minmax_ukernel_up8xN__neonfma,
                                      anyTapsName: "f32_dwconv_minmax_ukernel_up8xN__neonfma"),
        winograd: F32WinogradTransforms(input: f32_winograd6x6_input_tile__neonfma,
                                        output: f32_winograd6x6_output_tile__neonfma))
    #endif

    /// Swift SIMD kernels for any CPU (SSE2 on x86-64, separate multiply and add): always
    /// present, and tested against the C kernels.
    public static let portable = F32KernelSet(
        isa: "swift_simd",
        gemm: F32GemmKernel(name: "f32_gemm_minmax_ukernel_4x8__swift_simd", mr: 4, nr: 8,
                            function: { mr, nc, kc, a, aStride, w, c, cStride, lo, hi in
                                f32PortableGemm4x8(mr, nc, kc, a!, aStride, w!, c!, cStride, lo, hi)
                            },
                            singleRow: { mr, nc, kc, a, aStride, w, c, cStride, lo, hi in
                                f32PortableGemm1x8(nc, kc, a!, w!, c!, lo, hi)
                            },
                            singleRowName: "f32_gemm_minmax_ukernel_1x8__swift_simd"),
        depthwise: F32DepthwiseKernel(channelBlock: 8,
                                      nineTap: { ch, width, taps, input, w, output, stride, lo, hi in
                                          f32PortableDepthwise8(ch, width, 9, input!, w!, output!, stride, lo, hi)
                                      },
                                      nineTapName: "f32_dwconv_minmax_ukernel_up8x9__swift_simd",
                                      anyTaps: { ch, width, taps, input, w, output, stride, lo, hi in
                                          f32PortableDepthwise8(ch, width, taps, input!, w!, output!, stride, lo, hi)
                                      },
                                      anyTapsName: "f32_dwconv_minmax_ukernel_up8xN__swift_simd"),
        winograd: nil)
}
