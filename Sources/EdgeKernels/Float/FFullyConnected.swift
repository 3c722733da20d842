/// An fp32 fully connected layer: weights `[out][in]` packed once into GEMM panels, then
/// `run` for `batch` rows of `inputChannels` values, split over output-channel blocks.
public final class FFullyConnected: @unchecked Sendable {
    /// Values per input row.
    public let inputChannels: Int
    /// Values per output row.
    public let outputChannels: Int
    /// Lower output clamp.
    public let outputMin: Float
    /// Upper output clamp.
    public let outputMax: Float
    /// The microkernels chosen at init.
    public let kernels: F32KernelSet
    let packed: F32Buffer

    /// Packs `weights` (`[out][in]`) and `bias`; `features` picks the microkernels.
    public init(inputChannels: Int, outputChannels: Int, weights: [Float], bias: [Float],
                outputMin: Float = -.infinity, outputMax: Float = .infinity, features: CPUFeatures = .host) {
        precondition(inputChannels > 0 && outputChannels > 0, "FFullyConnected: channels must be positive")
        precondition(weights.count == inputChannels * outputChannels,
                     "FFullyConnected: \(weights.count) weights, expected \(inputChannels * outputChannels)")
        precondition(bias.count == outputChannels, "FFullyConnected: \(bias.count) biases, expected \(outputChannels)")
        precondition(outputMin <= outputMax, "FFullyConnected: outputMin above outputMax")
        self.inputChannels = inputChannels; self.outputChannels = outputChannels
        self.outputMin = outputMin; self.outputMax = outputMax
        kernels = F32KernelSet.select(features)
        let nr = kernels.gemm.nr
        packed = F32Buffer(count: F32Packing.gemmSize(n: outputChannels, k: inputChannels, nr: nr))
        weights.withUnsafeBufferPointer { w in
            F32Packing.packGemm(n: outputChannels, k: inputChannels, nr: nr, into: packed.pointer,
                                bias: { bias[$0] }, weight: { w[$0 * inputChannels + $1] })
        }
    }

    /// Name of the microkernel used for batch 1.
    public var kernelName: String { kernels.gemm.singleRowName }

    /// Computes `batch` output rows from `batch` contiguous input rows.
    public func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, batch: Int = 1, pool: ThreadPool) {
        let mr = kernels.gemm.mr, nr = kernels.gemm.nr
        let function = kernels.gemm.function, singleRow = kernels.gemm.singleRow
        let inC = inputChannels, outC = outputChannels, lo = outputMin, hi = outputMax
        let weights = UnsafePointer(packed.pointer)
        // Batch 1 is a matrix-vector product bound by reading the weights: split it finely.
        let nb = max(nr, min((outC + nr - 1) / nr * nr, 256 / nr * nr))
        let nBlocks = (outC + nb - 1) / nb
        let mTiles = (batch + mr - 1) / mr
        pool.parallelFor(nBlocks * mTiles) { item in
            let tile = item % mTiles, block = item / mTiles
            let n0 = block * nb, m0 = tile * mr
            let rows = min(mr, batch - m0)
            (rows == 1 ? singleRow : function)(rows, min(nb, outC - n0), inC, input + m0 * inC, inC,
                                               weights + n0 / nr * (nr * (inC + 1)), output + m0 * outC + n0, outC, lo, hi)
        }
    }
}
