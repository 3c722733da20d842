/// A 1x1 expansion (an `FConvolution` on the GEMM path) or a dense convolution on the
/// indirect GEMM (a stem), and the depthwise 3x3 that reads its output, run together in bands
/// of output rows. Unfused, the early layers' expanded tensor
/// (4.8 MB for MobileNet v2's 112x112x96) is written out of L2 and read back by the
/// depthwise, which then runs at a third of its in-cache rate; here the expansion writes
/// only the input rows the next band needs into a ring of rows that stays in L2. Each
/// output value is computed by the same microkernel over the same operands in the same
/// order, so the result has the same bits as running the two layers one after the other.
public final class FExpandDepthwise: @unchecked Sendable {
    /// The 1x1 expansion or the stem.
    public let expand: FConvolution
    /// The depthwise 3x3 reading the expansion's output.
    public let depthwise: FConvolution
    /// Input height (of the expansion) the pair was planned for.
    public let inputHeight: Int
    /// Input width (of the expansion) the pair was planned for.
    public let inputWidth: Int
    /// Depthwise output rows per band.
    public let bandRows: Int
    /// Expanded rows the ring holds: a band's window, `(bandRows - 1) * stride + 3`.
    public let ringRows: Int

    /// Output-row segments run side by side on a pool of several threads, each through its
    /// own ring: splitting every band over the threads instead cost a wait on the slowest
    /// thread per band, and made two threads slower than without bands on a busy machine.
    /// One segment per thread: every segment edge expands again the rows both sides' windows
    /// reach, and on one thread MobileNet v1 ran ~1 % slower in two segments than in one, ~3 %
    /// in four (the stem's rows cost most), so finer segments for stealing cost more than
    /// they balanced.
    public let segments: Int

    /// One ring per segment.
    private let rings: F32Buffer
    private let rowKernel: F32DepthwiseRowFunction
    /// The stem's kernel; nil for a 1x1 expansion (plain GEMM).
    private let indirect: F32IndirectGemmFunction?
    /// Size of the expansion's output, the depthwise's input.
    private let middle: (height: Int, width: Int)

    /// Expanded tensors smaller than this stay in L2 between the two layers anyway. On several
    /// threads the bar is this much per thread: each core then writes and reads back only its
    /// share, which stays in its own L2 below it, and the unfused layers split finely over the
    /// threads where bands split in whole segments. On two threads (Zen 4, quiet, per-layer
    /// minimum of 6 profiles) MobileNet v1's first four banded steps took 1.51 ms fused and
    /// 1.39 unfused, and v2 kept only its 4.8 MB expansion banded, the one that still paid.
    public static let minimumExpandedBytes = 1 << 20
    /// The ring's size budget: a quarter of a Zen 4 core's L2 (half of a Zen 3's), leaving
    /// room for the expansion's input rows, its weights and the band's output. 128 KiB ran
    /// MobileNet v1 and v2 faster than 256, 384, 512 and 768 on the Zen 4 (interleaved).
    public static let ringBytes = 128 * 1024

    private init(expand: FConvolution, depthwise: FConvolution, inputHeight: Int, inputWidth: Int,
                 bandRows: Int, segments: Int, rowKernel: F32DepthwiseRowFunction,
                 indirect: F32IndirectGemmFunction?) {
        self.expand = expand; self.depthwise = depthwise
        self.inputHeight = inputHeight; self.inputWidth = inputWidth
        self.bandRows = bandRows
        ringRows = (bandRows - 1) * depthwise.strideHeight + 3
        middle = expand.outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        self.segments = segments
        rings = F32Buffer(count: segments * ringRows * middle.width * expand.outputChannels)
        self.rowKernel = rowKernel; self.indirect = indirect
    }

    /// The fused pair when both layers suit it (the expansion on the GEMM path or the indirect
    /// GEMM, the depthwise on the 3x3 row kernel with its channels, an expanded tensor of at
    /// least `minimumBytes` per thread), else nil and the layers run one after the other.
    /// `threads`: the pool it will run on (one output-row segment per thread).
    public static func fuse(expand: FConvolution, depthwise: FConvolution, inputHeight: Int, inputWidth: Int,
                            threads: Int = 1, minimumBytes: Int = minimumExpandedBytes,
                            ringBytes: Int = ringBytes) -> FExpandDepthwise? {
        // As `runImplicitGemm` chooses its indirect kernel.
        let indirect = expand.algorithm == .implicitGemm && expand.groups == 1 && expand.dilationWidth == 1
            ? expand.kernels.gemm.indirect : nil
        guard expand.algorithm == .gemm || indirect != nil, depthwise.algorithm == .depthwise,
              depthwise.inputChannels == expand.outputChannels,
              let kernel = depthwise.depthwiseRowKernel else { return nil }
        let (midH, midW) = expand.outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        let rowBytes = midW * expand.outputChannels * MemoryLayout<Float>.size
        guard midH * rowBytes >= minimumBytes * max(1, threads) else { return nil }
        // One-pixel bands would take the GEMM's one-row kernel, whose bits differ.
        guard midW > 1 else { return nil }
        let budgetRows = max(3, ringBytes / rowBytes)
        let band = max(1, (budgetRows - 3) / depthwise.strideHeight + 1)
        return FExpandDepthwise(expand: expand, depthwise: depthwise, inputHeight: inputHeight,
                                inputWidth: inputWidth, bandRows: band, segments: max(1, threads),
                                rowKernel: kernel, indirect: indirect)
    }

    /// Name of the kernels, for benchmark listings.
    public var kernelName: String {
        "\(expand.kernelName) + \(depthwise.kernelName) in \(bandRows)-row bands"
    }

    /// Runs expansion then depthwise on `input` (the expansion's NHWC input, of the size
    /// planned) into `output` (the depthwise's output).
    public func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let (outH, _) = depthwise.outputSize(inputHeight: middle.height, inputWidth: middle.width)
        let parts = min(segments, outH)
        let ringFloats = ringRows * middle.width * expand.outputChannels
        let rings = rings.pointer
        // One part runs on the whole pool; with several, each part's layers run serially on
        // the thread that took it (a nested `parallelFor` does).
        pool.parallelFor(parts) { part in
            runRows(outH * part / parts..<outH * (part + 1) / parts, input: input, output: output,
                    ring: rings + part * ringFloats, pool: pool)
        }
    }

    /// Output rows `rows` of the depthwise, band by band, through `ring`.
    private func runRows(_ rows: Range<Int>, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                         ring: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let h = middle.height, w = middle.width
        let inC = expand.inputChannels, rowFloats = w * expand.outputChannels
        let sH = depthwise.strideHeight, pT = depthwise.padTop
        let ringRows = ringRows
        // Expanded rows [rows' first window row, expanded) are done; the ring holds the last
        // `ringRows` of them, row iy in slot iy % ringRows, which is all a band's window reaches.
        var expanded = min(h, max(0, rows.lowerBound * sH - pT))
        var o0 = rows.lowerBound
        while o0 < rows.upperBound {
            let o1 = min(rows.upperBound, o0 + bandRows)
            let needed = min(h, (o1 - 1) * sH - pT + 3)
            while expanded < needed {
                let slot = expanded % ringRows
                let count = min(needed - expanded, ringRows - slot)
                if let indirect {
                    expand.runIndirectGemm(indirect, input: input, inputHeight: inputHeight, inputWidth: inputWidth,
                                           outputHeight: h, outputWidth: w, output: ring + slot * rowFloats,
                                           pool: pool, outputPixels: expanded * w..<(expanded + count) * w)
                } else {
                    expand.runGemm(input: input + expanded * w * inC, pixels: count * w,
                                   output: ring + slot * rowFloats, pool: pool)
                }
                expanded += count
            }
            depthwise.runDepthwiseRows(rowKernel, outputRows: o0..<o1, inputHeight: h, inputWidth: w,
                                       output: output, pool: pool) { iy in
                UnsafePointer(ring + (iy % ringRows) * rowFloats)
            }
            o0 = o1
        }
    }
}
