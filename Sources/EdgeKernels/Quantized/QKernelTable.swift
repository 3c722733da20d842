/// Instruction set a quantized microkernel is written for.
enum QKernelISA: Sendable, Equatable {
    /// Swift SIMD types only; always available, the fallback and the cross-check.
    case portable
    /// AVX-512 with VNNI (`vpdpbusd`), C microkernels in CEdgeKernels.
    case avx512vnni
    /// AVX2 with FMA, for x86 CPUs without VNNI: C microkernels that widen to int16 (`vpmaddwd`).
    case avx2
    /// AVX-VNNI, for x86 CPUs with VNNI but without AVX-512: C microkernels on 256-bit VEX
    /// `vpdpbusd` (or their EVEX test twin, the same source and packing).
    case avxvnni
    /// 64-bit ARM Advanced SIMD (every ARMv8.0 core): C microkernels widening to int16 (`smlal`).
    case neon
    /// 64-bit ARM with the ARMv8.2 dot product (`sdot` on activations flipped to a - 128).
    case neondot
}

/// The GEMM microkernel pairs (direct and indirect) that exist.
enum QGemmKernel: Sendable {
    case portable4x16, vnni4x64, vnni8x16, avx2x4x16, neon8x8, neondot4x16
    /// Indirect only (see `QKernelTable.vnniIndirect8x32`).
    case vnni8x32
    /// AVX-VNNI 6x16c4, and its EVEX-encoded test twin.
    case avxvnni6x16, avxvnniEvex6x16
}

/// A GEMM microkernel family with the tile and packing it expects (an XNNPACK-style config row).
struct QGemmConfig: Sendable {
    /// Which kernels `run` calls.
    let kernel: QGemmKernel
    /// Instruction set of the kernels.
    let isa: QKernelISA
    /// Rows of the register tile.
    let mr: Int
    /// Columns of the register tile (one packed weight block).
    let nr: Int
    /// Consecutive K values packed together per column (4 for vpdpbusd).
    let kr: Int
    /// Bytes per packed weight: 1, or 4 where the kernel reads weights already widened to
    /// Int32 (Swift's SIMD widening conversions compile to calls, too slow per K step).
    let weightBytes: Int
    /// Name of the direct GEMM kernel (1x1 stride-1 convolutions, fully connected).
    let gemmName: String
    /// Name of the indirect GEMM kernel (every other dense or grouped convolution).
    let igemmName: String
}

/// The depthwise microkernels that exist; `run` dispatches on this value and `kernelName`
/// reads its name, so the name shown is always the kernel called.
enum QDepthwiseKernel: Sendable, Equatable {
    case portable16xN, avx2x32xN, vnni64x9, vnni64xN, neon16xN
    /// AVX-VNNI 32-channel kernels, and their EVEX-encoded test twins.
    case avxvnni32x9, avxvnni32xN, avxvnniEvex32x9, avxvnniEvex32xN

    /// The microkernel's name (data type, op, channel tile x taps, ISA).
    var name: String {
        switch self {
        case .portable16xN: return "qu8_qs8w_dwconv_minmax_fp32_ukernel_up16xN__swift_simd"
        case .avx2x32xN: return "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__avx2"
        case .vnni64x9: return "qu8_qs8w_dwconv_minmax_fp32_ukernel_up64x9__avx512vnni"
        case .vnni64xN: return "qu8_qs8w_dwconv_minmax_fp32_ukernel_up64xN__avx512vnni"
        case .neon16xN: return "qu8_qs8w_dwconv_minmax_fp32_ukernel_up16xN__neon"
        case .avxvnni32x9: return "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32x9__avxvnni"
        case .avxvnni32xN: return "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__avxvnni"
        case .avxvnniEvex32x9: return "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32x9__avxvnni_evex"
        case .avxvnniEvex32xN: return "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__avxvnni_evex"
        }
    }
}

/// A depthwise microkernel family with its channel tile and packing.
struct QDepthwiseConfig: Sendable {
    /// Instruction set of the kernels.
    let isa: QKernelISA
    /// Channels per packed block.
    let channelTile: Int
    /// The dedicated 3x3 kernel, where the family has one (only VNNI does).
    let kernel3x3: QDepthwiseKernel?
    /// The kernel for any window (3x3 too, where there is no dedicated one).
    let kernelGeneric: QDepthwiseKernel

    /// The kernel for a window of this shape.
    func kernel(is3x3: Bool) -> QDepthwiseKernel {
        is3x3 ? kernel3x3 ?? kernelGeneric : kernelGeneric
    }
}

/// The table quantized operators pick their microkernels from, once, by CPU feature.
enum QKernelTable {
    static let portableGemm = QGemmConfig(
        kernel: .portable4x16, isa: .portable, mr: 4, nr: 16, kr: 1, weightBytes: 4,
        gemmName: "qu8_qs8w_gemm_minmax_fp32_ukernel_4x16__swift_simd",
        igemmName: "qu8_qs8w_igemm_minmax_fp32_ukernel_4x16__swift_simd")
    static let vnniGemm = QGemmConfig(
        kernel: .vnni4x64, isa: .avx512vnni, mr: 4, nr: 64, kr: 4, weightBytes: 1,
        gemmName: "qu8_qs8w_gemm_minmax_fp32_ukernel_4x64c4__avx512vnni",
        igemmName: "qu8_qs8w_igemm_minmax_fp32_ukernel_4x64c4__avx512vnni")
    static let vnniGemmNarrow = QGemmConfig(
        kernel: .vnni8x16, isa: .avx512vnni, mr: 8, nr: 16, kr: 4, weightBytes: 1,
        gemmName: "qu8_qs8w_gemm_minmax_fp32_ukernel_8x16c4__avx512vnni",
        igemmName: "qu8_qs8w_igemm_minmax_fp32_ukernel_8x16c4__avx512vnni")
    /// Indirect only, for windows of 1-3 channels per group (the stem): each tap's masked
    /// broadcast feeds 32 columns. There is no direct 8x32 kernel; the name says so.
    static let vnniIndirect8x32 = QGemmConfig(
        kernel: .vnni8x32, isa: .avx512vnni, mr: 8, nr: 32, kr: 4, weightBytes: 1,
        gemmName: "none (indirect only)",
        igemmName: "qu8_qs8w_igemm_minmax_fp32_ukernel_8x32c4__avx512vnni")
    /// One `vpmaddwd` sums a pair of exact int16 products; four K values per column let a row
    /// take its activations with one broadcast load, split into the pairs (k0, k2) and (k1, k3)
    /// by a mask and a shift instead of shuffles (see `QWeightPacking.packGemm`). 16 columns
    /// are two int32 vectors per row, leaving registers for 4 rows.
    static let avx2Gemm = QGemmConfig(
        kernel: .avx2x4x16, isa: .avx2, mr: 4, nr: 16, kr: 4, weightBytes: 1,
        gemmName: "qu8_qs8w_gemm_minmax_fp32_ukernel_4x16c4__avx2",
        igemmName: "qu8_qs8w_igemm_minmax_fp32_ukernel_4x16c4__avx2")
    /// AVX-VNNI: 16 ymm registers hold 6 rows x 16 columns of accumulators (12), the two
    /// weight vectors and one activation broadcast; each broadcast feeds two `vpdpbusd`.
    /// The packing is the AVX-512 VNNI 8x16c4 one.
    static let avxvnniGemm = QGemmConfig(
        kernel: .avxvnni6x16, isa: .avxvnni, mr: 6, nr: 16, kr: 4, weightBytes: 1,
        gemmName: "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__avxvnni",
        igemmName: "qu8_qs8w_igemm_minmax_fp32_ukernel_6x16c4__avxvnni")
    /// The same kernels' source with the EVEX encoding (AVX-512 VL + VNNI): what tests run on a
    /// CPU that has AVX-512 VNNI but not AVX-VNNI.
    static let avxvnniEvexGemm = QGemmConfig(
        kernel: .avxvnniEvex6x16, isa: .avxvnni, mr: 6, nr: 16, kr: 4, weightBytes: 1,
        gemmName: "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__avxvnni_evex",
        igemmName: "qu8_qs8w_igemm_minmax_fp32_ukernel_6x16c4__avxvnni_evex")
    /// ARMv8.0: one K value per column; 8 columns are one int16 weight vector and 8 rows keep
    /// 16 int32 accumulator registers (QNNPACK's aarch64 tile).
    static let neonGemm = QGemmConfig(
        kernel: .neon8x8, isa: .neon, mr: 8, nr: 8, kr: 1, weightBytes: 1,
        gemmName: "qu8_qs8w_gemm_minmax_fp32_ukernel_8x8__neon",
        igemmName: "qu8_qs8w_igemm_minmax_fp32_ukernel_8x8__neon")
    /// ARMv8.2 dot product: four K values per column feed one `sdot` lane; 4 rows x 16 columns
    /// are 16 accumulator registers. The packing adds 128·Σw to the bias (see QWeightPacking).
    static let neonDotGemm = QGemmConfig(
        kernel: .neondot4x16, isa: .neondot, mr: 4, nr: 16, kr: 4, weightBytes: 1,
        gemmName: "qu8_qs8w_gemm_minmax_fp32_ukernel_4x16c4__neondot",
        igemmName: "qu8_qs8w_igemm_minmax_fp32_ukernel_4x16c4__neondot")
    /// Reads the portable packing; one kernel serves every window (3x3 included).
    static let neonDepthwise = QDepthwiseConfig(
        isa: .neon, channelTile: 16, kernel3x3: nil, kernelGeneric: .neon16xN)
    /// One kernel serves every window (3x3 included).
    static let portableDepthwise = QDepthwiseConfig(
        isa: .portable, channelTile: 16, kernel3x3: nil, kernelGeneric: .portable16xN)
    /// Taps in pairs, so one `vpmaddwd` does 8 channels x 2 taps, over 32 channels in the VNNI
    /// blocks' lane order (in-lane unpacks only); one kernel serves every window (3x3 included).
    static let avx2Depthwise = QDepthwiseConfig(
        isa: .avx2, channelTile: 32, kernel3x3: nil, kernelGeneric: .avx2x32xN)
    /// 32 channels x 4 taps per `vpdpbusd`, packed like the AVX-512 VNNI blocks.
    static let avxvnniDepthwise = QDepthwiseConfig(
        isa: .avxvnni, channelTile: 32, kernel3x3: .avxvnni32x9, kernelGeneric: .avxvnni32xN)
    /// The EVEX test twin of `avxvnniDepthwise`.
    static let avxvnniEvexDepthwise = QDepthwiseConfig(
        isa: .avxvnni, channelTile: 32, kernel3x3: .avxvnniEvex32x9, kernelGeneric: .avxvnniEvex32xN)
    static let vnniDepthwise = QDepthwiseConfig(
        isa: .avx512vnni, channelTile: 64, kernel3x3: .vnni64x9, kernelGeneric: .vnni64xN)

    /// The best GEMM family the features allow for `outputChannels` columns (per group).
    ///
    /// 4x64 has the best ratio of loads to vpdpbusd, but computes the padding up to a
    /// multiple of 64: where that is more than an eighth of the work (16, 24, 96, 144 or 160
    /// channels, as in MobileNet v2) the 8x16 tile wastes less.
    /// Only kernels compiled for the architecture being built can be chosen.
    static func gemm(for features: CPUFeatures, outputChannels: Int) -> QGemmConfig {
        #if arch(x86_64)
        if features.runsAVXVNNITwin { return avxvnniEvexGemm }
        guard features.hasVNNI512 else {
            return features.hasAVXVNNI ? avxvnniGemm : features.hasAVX2FMA ? avx2Gemm : portableGemm
        }
        let padding = (outputChannels + 63) / 64 * 64 - outputChannels
        return padding * 8 > outputChannels ? vnniGemmNarrow : vnniGemm
        #elseif arch(arm64)
        return features.neonDot ? neonDotGemm : features.neon ? neonGemm : portableGemm
        #else
        return portableGemm
        #endif
    }

    /// The best depthwise family the features allow.
    static func depthwise(for features: CPUFeatures) -> QDepthwiseConfig {
        #if arch(x86_64)
        if features.runsAVXVNNITwin { return avxvnniEvexDepthwise }
        if features.hasVNNI512 { return vnniDepthwise }
        return features.hasAVXVNNI ? avxvnniDepthwise : features.hasAVX2FMA ? avx2Depthwise : portableDepthwise
        #elseif arch(arm64)
        return features.neon ? neonDepthwise : portableDepthwise
        #else
        return portableDepthwise
        #endif
    }
}
