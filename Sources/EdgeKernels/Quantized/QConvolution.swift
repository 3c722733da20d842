import CEdgeKernels

/// An int8 2-D convolution layer (NHWC, batch 1): uint8 activations, int8 symmetric weights,
/// int32 bias, requantized to uint8 with a fused clamp (ReLU/ReLU6 as outputMin/outputMax).
///
/// Created once per layer: validates the shape, picks the microkernels for `features`, packs
/// the weights (zero-point term folded into the bias). `run` is then called per inference.
/// Dispatch: a 1x1 stride-1 unpadded ungrouped convolution is a plain GEMM; depthwise
/// (groups == inputChannels == outputChannels) uses the depthwise kernels (a dedicated 3x3
/// one); everything else is an indirect GEMM. The indirection tables (input pointers per
/// output pixel and tap, padding pointing at a buffer of input zero points) are built on
/// the first `run` and again only when the input buffer or its size changes.
/// `run` is not reentrant: one operator instance serves one inference at a time.
public final class QConvolution {
    /// How the convolution is computed.
    enum Path { case gemm, igemm, depthwise }

    /// Input channels (all groups together).
    public let inputChannels: Int
    /// Output channels (all groups together).
    public let outputChannels: Int
    /// Number of groups; inputChannels and outputChannels are multiples of it.
    public let groups: Int
    /// Quantization of the input activations.
    public let input: QuantizationParams
    /// Quantization of the output activations.
    public let output: QuantizationParams

    let geometry: QConvolutionGeometry
    let path: Path
    let gemmConfig: QGemmConfig
    let depthwiseConfig: QDepthwiseConfig
    /// The depthwise microkernel `run` calls (depthwise path only).
    let depthwiseKernel: QDepthwiseKernel
    let requantization: QRequantization
    private let packed: QAlignedBuffer
    private let blockBytes: Int
    private let nBlocks: Int
    private let taps: Int
    /// Taps per pixel in the indirect GEMM's table; for depthwise, taps rounded up to 4.
    private let tapsStride: Int
    private let zero: QAlignedBuffer
    private let indirection = QIndirection()
    /// Depthwise only: where tap t = ky * kW + kx sits in a pixel's stretch of the compact table.
    private let tapOffsets: [Int]
    /// AVX2 GEMM only: the input rows widened to int16 once per `run`, so the kernel does not
    /// unpack every row again for each 16-column block; grown to the largest input seen.
    private var widened: QAlignedBuffer?
    /// Whether the GEMM path runs the AVX2 kernel on widened rows (see `widensRows`).
    let usesWidenedGemm: Bool

    /// Creates a convolution layer; weights are OHWI `[outC][kH][kW][inC/groups]`,
    /// `weightScales` has one scale per output channel or one for the whole tensor, bias
    /// is in units of `input.scale * weightScale[c]`.
    public init(inputChannels: Int, outputChannels: Int, kernelHeight: Int, kernelWidth: Int,
                strideHeight: Int, strideWidth: Int, dilationHeight: Int = 1, dilationWidth: Int = 1,
                padTop: Int, padLeft: Int, padBottom: Int, padRight: Int, groups: Int = 1,
                weights: [Int8], weightScales: [Float], bias: [Int32],
                input: QuantizationParams, output: QuantizationParams,
                outputMin: UInt8 = 0, outputMax: UInt8 = 255, features: CPUFeatures = .host) {
        precondition(inputChannels > 0 && outputChannels > 0 && groups > 0,
                     "QConvolution: channels and groups must be positive")
        precondition(inputChannels % groups == 0 && outputChannels % groups == 0,
                     "QConvolution: \(inputChannels) input and \(outputChannels) output channels do not split into \(groups) groups")
        precondition(kernelHeight > 0 && kernelWidth > 0 && strideHeight > 0 && strideWidth > 0
                     && dilationHeight > 0 && dilationWidth > 0, "QConvolution: kernel, stride and dilation must be positive")
        precondition(padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0, "QConvolution: negative padding")
        let groupInC = inputChannels / groups, groupOutC = outputChannels / groups
        let taps = kernelHeight * kernelWidth
        precondition(weights.count == outputChannels * taps * groupInC,
                     "QConvolution: \(weights.count) weights; expected \(outputChannels * taps * groupInC) (OHWI)")
        precondition(bias.count == outputChannels, "QConvolution: \(bias.count) biases; expected \(outputChannels)")

        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.groups = groups
        self.input = input
        self.output = output
        self.taps = taps
        geometry = QConvolutionGeometry(kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                                        strideHeight: strideHeight, strideWidth: strideWidth,
                                        dilationHeight: dilationHeight, dilationWidth: dilationWidth,
                                        padTop: padTop, padLeft: padLeft, padBottom: padBottom, padRight: padRight)
        requantization = QRequantization(zeroPoint: output.zeroPoint, outputMin: outputMin, outputMax: outputMax)
        let isIndirect = !(groups > 1 && groups == inputChannels && groups == outputChannels)
            && !(groups == 1 && taps == 1 && strideHeight == 1 && strideWidth == 1
                 && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0)
        gemmConfig = isIndirect && Self.takesIndirect8x32(features: features, groupInputChannels: groupInC,
                                                           groupOutputChannels: groupOutC)
            ? QKernelTable.vnniIndirect8x32 : QKernelTable.gemm(for: features, outputChannels: groupOutC)
        depthwiseConfig = QKernelTable.depthwise(for: features)
        depthwiseKernel = depthwiseConfig.kernel(is3x3: Self.usesDepthwise3x3(geometry))
        let multipliers = QRequantization.multipliers(input: input, weightScales: weightScales, output: output,
                                                      channels: outputChannels)

        if groups > 1 && groups == inputChannels && groups == outputChannels {
            path = .depthwise
            tapOffsets = (0..<taps).map { t in
                (t % kernelWidth) * dilationWidth * kernelHeight + t / kernelWidth
            }
            tapsStride = (taps + 3) / 4 * 4
            let packedTaps = depthwiseConfig.isa == .avx512vnni || depthwiseConfig.isa == .avxvnni ? tapsStride
                : depthwiseConfig.isa == .avx2 ? (taps + 1) / 2 * 2 : taps
            blockBytes = QWeightPacking.depthwiseBlockBytes(config: depthwiseConfig, tapsPadded: packedTaps)
            nBlocks = (outputChannels + depthwiseConfig.channelTile - 1) / depthwiseConfig.channelTile
            packed = QWeightPacking.packDepthwise(config: depthwiseConfig, channels: outputChannels, taps: taps,
                                                  tapsPadded: packedTaps, weights: weights, bias: bias,
                                                  multipliers: multipliers, inputZeroPoint: input.zeroPoint,
                                                  columnMajor3x3: depthwiseKernel == .vnni64x9)
        } else {
            let isGemm = groups == 1 && taps == 1 && strideHeight == 1 && strideWidth == 1
                && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0
            path = isGemm ? .gemm : .igemm
            tapOffsets = []
            tapsStride = taps
            blockBytes = QWeightPacking.gemmBlockBytes(config: gemmConfig, kc: groupInC, ks: taps)
            nBlocks = (groupOutC + gemmConfig.nr - 1) / gemmConfig.nr
            packed = QWeightPacking.packGemm(config: gemmConfig, groups: groups, groupOutC: groupOutC, kc: groupInC,
                                             ks: taps, weights: weights, bias: bias, multipliers: multipliers,
                                             inputZeroPoint: input.zeroPoint)
        }
        usesWidenedGemm = path == .gemm && gemmConfig.kernel == .avx2x4x16
            && Self.widensRows(kc: groupInC, outputChannels: groupOutC)
        // Padding taps read this buffer; filled with the input zero point it contributes
        // exactly the -a_zp·w the packed bias already accounts for. Long enough for any group.
        zero = QAlignedBuffer(byteCount: inputChannels + 64)
        zero.raw.initializeMemory(as: UInt8.self, repeating: input.zeroPoint, count: zero.byteCount)
    }

    /// Name of the microkernel `run` calls (shown by `edgetop bench`).
    public var kernelName: String {
        switch path {
        case .gemm: return usesWidenedGemm ? "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__avx2_a16" : gemmConfig.gemmName
        case .igemm: return gemmConfig.igemmName
        case .depthwise:
            return depthwiseKernel.name
        }
    }

    /// Output height and width for an input of the given size.
    public func outputSize(inputHeight: Int, inputWidth: Int) -> (height: Int, width: Int) {
        geometry.outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
    }

    /// Multiply-accumulates per inference for an input of the given size.
    public func macs(inputHeight: Int, inputWidth: Int) -> Int {
        let o = outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        return o.height * o.width * outputChannels * taps * (inputChannels / groups)
    }

    /// Convolves `input` (`[inputHeight][inputWidth][inputChannels]`) into `output`
    /// (`[outH][outW][outputChannels]`, see `outputSize`), splitting output tiles over `pool`.
    public func run(input: UnsafePointer<UInt8>, inputHeight: Int, inputWidth: Int,
                    output: UnsafeMutablePointer<UInt8>, pool: ThreadPool) {
        let out = outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        precondition(out.height > 0 && out.width > 0,
                     "QConvolution: input \(inputHeight)x\(inputWidth) is smaller than the kernel window")
        switch path {
        case .gemm: runGemm(input: input, pixels: inputHeight * inputWidth, output: output, pool: pool)
        case .igemm:
            indirection.prepare(input: input, inputHeight: inputHeight, inputWidth: inputWidth,
                                channels: inputChannels, geometry: geometry, stride: tapsStride,
                                zero: UnsafePointer(zero.raw.assumingMemoryBound(to: UInt8.self)))
            runIndirectGemm(pixels: out.height * out.width, output: output, pool: pool)
        case .depthwise:
            indirection.prepareDepthwise(input: input, inputHeight: inputHeight, inputWidth: inputWidth,
                                         channels: inputChannels, geometry: geometry,
                                         zero: UnsafePointer(zero.raw.assumingMemoryBound(to: UInt8.self)))
            runDepthwise(height: out.height, width: out.width, output: output, pool: pool)
        }
    }

    private func runGemm(input: UnsafePointer<UInt8>, pixels m: Int, output: UnsafeMutablePointer<UInt8>, pool: ThreadPool) {
        let mr = gemmConfig.mr, nr = gemmConfig.nr
        let mTiles = (m + mr - 1) / mr
        let kc = inputChannels, n = outputChannels
        let w = UnsafeRawPointer(packed.raw), blockBytes = blockBytes
        let kernel = gemmConfig.kernel, requantization = requantization
        var params = requantization.cParams
        let chunk = Self.tilesPerTask(tiles: mTiles, macsPerTile: mr * nr * kc)
        let chunks = (mTiles + chunk - 1) / chunk
        let nBlocks = nBlocks, mMajor = Self.rowChunksOutermost(packedBytes: nBlocks * blockBytes)
        #if arch(x86_64)
        if usesWidenedGemm {
            runGemmWidened(input: input, pixels: m, output: output, pool: pool)
            return
        }
        #endif
        withUnsafePointer(to: &params) { params in
            pool.parallelFor(nBlocks * chunks) { task in
                let nb = mMajor ? task % nBlocks : task / chunks
                let first = (mMajor ? task / nBlocks : task % chunks) * chunk
                let cols = min(nr, n - nb * nr), wb = w + nb * blockBytes
                #if arch(x86_64)
                if kernel == .vnni4x64 {
                    let m0 = first * mr, rows = min(chunk * mr, m - m0)
                    q8_gemm_4x64c4_mtiles__avx512vnni(rows, cols, kc, input + m0 * kc, kc, wb,
                                                      output + m0 * n + nb * nr, n, params)
                    return
                }
                #endif
                for tile in first..<min(first + chunk, mTiles) {
                    let m0 = tile * mr, rows = min(mr, m - m0)
                    let a = input + m0 * kc, c = output + m0 * n + nb * nr
                    switch kernel {
                    #if arch(x86_64)
                    case .vnni4x64:
                        q8_gemm_4x64c4__avx512vnni(rows, cols, kc, a, kc, wb, c, n, params)
                    case .vnni8x16:
                        q8_gemm_8x16c4__avx512vnni(rows, cols, kc, a, kc, wb, c, n, params)
                    case .avx2x4x16:
                        q8_gemm_4x16c4__avx2(rows, cols, kc, a, kc, wb, c, n, params)
                    case .avxvnni6x16:
                        q8_gemm_6x16c4__avxvnni(rows, cols, kc, a, kc, wb, c, n, params)
                    case .avxvnniEvex6x16:
                        q8_gemm_6x16c4__avxvnni_evex(rows, cols, kc, a, kc, wb, c, n, params)
                    #elseif arch(arm64)
                    case .neon8x8:
                        q8_gemm_8x8__neon(rows, cols, kc, a, kc, wb, c, n, params)
                    case .neondot4x16:
                        q8_gemm_4x16c4__neondot(rows, cols, kc, a, kc, wb, c, n, params)
                    #endif
                    case .portable4x16:
                        QGemmPortable.gemm(mr: rows, nc: cols, kc: kc, a: a, aStride: kc, w: wb, c: c, cStride: n,
                                           requantization: requantization)
                    default:
                        preconditionFailure("\(kernel) is not built for this architecture")
                    }
                }
            }
        }
    }

    #if arch(x86_64)
    /// The AVX2 GEMM on rows widened to int16 (K padded to 4) once per `run`, so the kernel does
    /// not unpack each row again for every 16-column block. With enough rows, a task widens a
    /// stretch of about 8 KB of int16 rows and runs every column block on it while it is in L1
    /// (the packed weights stream past it); with fewer than two stretches per thread (a fully
    /// connected layer) all rows are widened first and the tasks split the column blocks. A last
    /// 1 or 2 rows take the 2-row version of the kernel rather than 6 aliased rows.
    private func runGemmWidened(input: UnsafePointer<UInt8>, pixels m: Int, output: UnsafeMutablePointer<UInt8>,
                                pool: ThreadPool) {
        let mr = 6, nr = gemmConfig.nr
        let kc = inputChannels, n = outputChannels, nBlocks = nBlocks
        let w = UnsafeRawPointer(packed.raw), blockBytes = blockBytes
        var params = requantization.cParams
        let wideStride = (kc + 3) / 4 * 4
        if (widened?.byteCount ?? 0) < m * wideStride * 2 { widened = QAlignedBuffer(byteCount: m * wideStride * 2) }
        let wide = widened!.raw.assumingMemoryBound(to: Int16.self)
        let rowsPerTask = max(mr, 8 * 1024 / (wideStride * 2) / mr * mr)
        let rowTasks = (m + rowsPerTask - 1) / rowsPerTask
        withUnsafePointer(to: &params) { params in
            // Rows [r0, r1) times column blocks [nb0, nb1), rows widened beforehand.
            func tiles(_ r0: Int, _ r1: Int, _ nb0: Int, _ nb1: Int) {
                for nb in nb0..<nb1 {
                    let cols = min(nr, n - nb * nr), wb = w + nb * blockBytes
                    for m0 in stride(from: r0, to: r1, by: mr) {
                        let rows = min(mr, r1 - m0), a = wide + m0 * wideStride, c = output + m0 * n + nb * nr
                        if rows > 2 {
                            q8_gemm_6x16c4__avx2_a16(rows, cols, kc, a, wideStride, wb, c, n, params)
                        } else {
                            q8_gemm_2x16c4__avx2_a16(rows, cols, kc, a, wideStride, wb, c, n, params)
                        }
                    }
                }
            }
            if rowTasks >= 2 * pool.threads {
                pool.parallelFor(rowTasks) { task in
                    let r0 = task * rowsPerTask, r1 = min(m, r0 + rowsPerTask)
                    q8_widen_rows_c4__avx2(r1 - r0, kc, input + r0 * kc, kc, wide + r0 * wideStride, wideStride)
                    tiles(r0, r1, 0, nBlocks)
                }
            } else {
                q8_widen_rows_c4__avx2(m, kc, input, kc, wide, wideStride)
                pool.parallelFor(nBlocks * rowTasks) { task in
                    let nb = task / rowTasks, r0 = task % rowTasks * rowsPerTask
                    tiles(r0, min(m, r0 + rowsPerTask), nb, nb + 1)
                }
            }
        }
    }
    #endif

    private func runIndirectGemm(pixels m: Int, output: UnsafeMutablePointer<UInt8>, pool: ThreadPool) {
        let mr = gemmConfig.mr, nr = gemmConfig.nr
        let mTiles = (m + mr - 1) / mr
        let groupInC = inputChannels / groups, groupOutC = outputChannels / groups
        let ks = taps, n = outputChannels, nBlocks = nBlocks
        let w = UnsafeRawPointer(packed.raw), blockBytes = blockBytes
        let table = UnsafePointer(indirection.table)
        let kernel = gemmConfig.kernel, requantization = requantization
        var params = requantization.cParams
        let chunk = Self.tilesPerTask(tiles: mTiles, macsPerTile: mr * nr * groupInC * ks)
        let chunks = (mTiles + chunk - 1) / chunk
        let blocks = groups * nBlocks, mMajor = Self.rowChunksOutermost(packedBytes: blocks * blockBytes)
        withUnsafePointer(to: &params) { params in
            pool.parallelFor(blocks * chunks) { task in
                let block = mMajor ? task % blocks : task / chunks
                let first = (mMajor ? task / blocks : task % chunks) * chunk
                let g = block / nBlocks, nb = block % nBlocks
                let cols = min(nr, groupOutC - nb * nr), wb = w + block * blockBytes
                for tile in first..<min(first + chunk, mTiles) {
                    let m0 = tile * mr, rows = min(mr, m - m0)
                    let ind = table + m0 * ks
                    let c = output + m0 * n + g * groupOutC + nb * nr
                    switch kernel {
                    #if arch(x86_64)
                    case .vnni4x64:
                        q8_igemm_4x64c4__avx512vnni(rows, cols, groupInC, ks, ind, ks, g * groupInC, wb, c, n, params)
                    case .vnni8x16:
                        q8_igemm_8x16c4__avx512vnni(rows, cols, groupInC, ks, ind, ks, g * groupInC, wb, c, n, params)
                    case .vnni8x32:
                        q8_igemm_8x32c4__avx512vnni(rows, cols, groupInC, ks, ind, ks, g * groupInC, wb, c, n, params)
                    case .avx2x4x16:
                        q8_igemm_4x16c4__avx2(rows, cols, groupInC, ks, ind, ks, g * groupInC, wb, c, n, params)
                    case .avxvnni6x16:
                        q8_igemm_6x16c4__avxvnni(rows, cols, groupInC, ks, ind, ks, g * groupInC, wb, c, n, params)
                    case .avxvnniEvex6x16:
                        q8_igemm_6x16c4__avxvnni_evex(rows, cols, groupInC, ks, ind, ks, g * groupInC, wb, c, n, params)
                    #elseif arch(arm64)
                    case .neon8x8:
                        q8_igemm_8x8__neon(rows, cols, groupInC, ks, ind, ks, g * groupInC, wb, c, n, params)
                    case .neondot4x16:
                        q8_igemm_4x16c4__neondot(rows, cols, groupInC, ks, ind, ks, g * groupInC, wb, c, n, params)
                    #endif
                    case .portable4x16:
                        QGemmPortable.igemm(mr: rows, nc: cols, kc: groupInC, ks: ks, indirection: ind,
                                            indirectionStride: ks, aOffset: g * groupInC, w: wb, c: c, cStride: n,
                                            requantization: requantization)
                    default:
                        preconditionFailure("\(kernel) is not built for this architecture")
                    }
                }
            }
        }
    }

    /// Indirect convolutions that would run the AVX-512 VNNI tiles, with 1-3 channels per group
    /// and more than 16 outputs, take the 8x32 tile: their taps are masked broadcasts, worth
    /// sharing between 32 columns.
    static func takesIndirect8x32(features: CPUFeatures, groupInputChannels: Int, groupOutputChannels: Int) -> Bool {
        #if arch(x86_64)
        return QKernelTable.gemm(for: features, outputChannels: groupOutputChannels).isa == .avx512vnni
            && groupInputChannels < 4 && groupOutputChannels > 16
        #else
        return false
        #endif
    }

    /// Tiles handed to one `parallelFor` task: enough work (~128K MACs) that the hand-out
    /// cost is noise next to the compute, since a small-K tile takes only tens of nanoseconds.
    static func tilesPerTask(tiles: Int, macsPerTile: Int) -> Int {
        max(1, min(tiles, (128 * 1024) / max(macsPerTile, 1)))
    }

    /// Whether an AVX2 GEMM widens its rows to int16 first. Widening costs about a third of one
    /// 16-column block's time and saves 5-10 % of every block (MobileNet v1/v2 layers, forced
    /// AVX2 on a Zen 4), so it pays from about 8 blocks; with K <= 16 the plain kernel's
    /// per-block unpacking outweighs its few multiplies and widening pays at any width.
    static func widensRows(kc: Int, outputChannels: Int) -> Bool {
        outputChannels >= 8 * 16 || kc <= 16
    }

    /// The 3x3 depthwise kernel has its tap offsets built in, for width dilation 1.
    static func usesDepthwise3x3(_ g: QConvolutionGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.dilationWidth == 1
    }

    /// Task order. Small packed weights stay cached anyway, so a chunk of rows goes through
    /// every column block before the next (its output lines are written while still in cache:
    /// a 112x112x96 layer written block by block re-fetched each output line six times).
    /// Large weights go column block first, so one block is reused by every row chunk.
    static func rowChunksOutermost(packedBytes: Int) -> Bool {
        packedBytes <= 64 * 1024
    }

    private func runDepthwise(height: Int, width: Int, output: UnsafeMutablePointer<UInt8>, pool: ThreadPool) {
        let channels = outputChannels, taps = taps
        let rowLength = indirection.depthwiseRowLength
        let pixelStep = geometry.strideWidth * geometry.kernelHeight
        let w = UnsafeRawPointer(packed.raw)
        let table = UnsafePointer(indirection.table)
        let zero = UnsafePointer(zero.raw.assumingMemoryBound(to: UInt8.self))
        let kernel = depthwiseKernel, requantization = requantization
        var params = requantization.cParams
        tapOffsets.withUnsafeBufferPointer { offsets in
            let offsets = offsets.baseAddress!
            withUnsafePointer(to: &params) { params in
                pool.parallelFor(height) { oy in
                    let row = table + oy * rowLength
                    let o = output + oy * width * channels
                    switch kernel {
                    #if arch(x86_64)
                    case .vnni64x9:
                        q8_dwconv_up64x9__avx512vnni(channels, width, row, pixelStep, zero, w, o, params)
                    case .vnni64xN:
                        q8_dwconv_up64xN__avx512vnni(channels, width, taps, row, pixelStep, offsets, zero, w, o, params)
                    case .avx2x32xN:
                        q8_dwconv_up32xN__avx2(channels, width, taps, row, pixelStep, offsets, w, o, params)
                    case .avxvnni32x9:
                        q8_dwconv_up32x9__avxvnni(channels, width, row, pixelStep, zero, w, o, params)
                    case .avxvnni32xN:
                        q8_dwconv_up32xN__avxvnni(channels, width, taps, row, pixelStep, offsets, zero, w, o, params)
                    case .avxvnniEvex32x9:
                        q8_dwconv_up32x9__avxvnni_evex(channels, width, row, pixelStep, zero, w, o, params)
                    case .avxvnniEvex32xN:
                        q8_dwconv_up32xN__avxvnni_evex(channels, width, taps, row, pixelStep, offsets, zero, w, o, params)
                    #elseif arch(arm64)
                    case .neon16xN:
                        q8_dwconv_up16xN__neon(channels, width, taps, row, pixelStep, offsets, w, o, params)
                    #endif
                    case .portable16xN:
                        QDepthwisePortable.dwconv(channels: channels, outputWidth: width, taps: taps, table: row,
                                                  pixelStep: pixelStep, offsets: offsets, w: w, output: o,
                                                  requantization: requantization)
                    default:
                        preconditionFailure("\(kernel) is not built for this architecture")
                    }
                }
            }
        }
    }
}
