/// int8 global average pooling: `[height][width][channels]` to `[channels]`, requantized.
///
/// Sums are exact in int32 (up to 2^23 pixels); the mean and the change of scale are one
/// fp32 multiplier `s_in / (s_out · pixels)`, rounded like every other int8 operator.
public final class QGlobalAveragePool {
    /// Channels of input and output.
    public let channels: Int
    /// Quantization of the input.
    public let input: QuantizationParams
    /// Quantization of the output.
    public let output: QuantizationParams
    let requantization: QRequantization

    /// Creates the operator; `features` is accepted for symmetry (the Swift SIMD loop is memory-bound).
    public init(channels: Int, input: QuantizationParams, output: QuantizationParams,
                outputMin: UInt8 = 0, outputMax: UInt8 = 255, features: CPUFeatures = .host) {
        precondition(channels > 0, "QGlobalAveragePool: channels must be positive")
        self.channels = channels
        self.input = input
        self.output = output
        requantization = QRequantization(zeroPoint: output.zeroPoint, outputMin: outputMin, outputMax: outputMax)
    }

    /// Name of the kernel `run` uses.
    public var kernelName: String { "qu8_gavgpool_minmax_fp32_ukernel_16c__swift_simd" }

    /// The requantization multiplier for a given pixel count, shared with the reference.
    public static func multiplier(input: QuantizationParams, output: QuantizationParams, pixels: Int) -> Float {
        input.scale / (output.scale * Float(pixels))
    }

    /// Averages `input` over its `height * width` pixels into `output` (`channels` bytes).
    public func run(input: UnsafePointer<UInt8>, height: Int, width: Int, output: UnsafeMutablePointer<UInt8>,
                    pool: ThreadPool) {
        let pixels = height * width
        precondition(pixels > 0 && pixels < 1 << 23, "QGlobalAveragePool: \(height)x\(width) pixels out of range")
        let scale = Self.multiplier(input: self.input, output: self.output, pixels: pixels)
        // The input zero point summed over all pixels, subtracted once per channel.
        let offset = Int32(pixels) * Int32(self.input.zeroPoint)
        let channels = channels, rq = requantization
        pool.parallelFor((channels + 15) / 16) { block in
            let c0 = block * 16, n = min(16, channels - c0)
            var acc = SIMD16<Int32>(repeating: 0)
            if n == 16 {
                for p in 0..<pixels {
                    let v = UnsafeRawPointer(input + p * channels + c0).loadUnaligned(as: SIMD16<UInt8>.self)
                    acc &+= SIMD16<Int32>(truncatingIfNeeded: v)
                }
            } else {
                for p in 0..<pixels {
                    for j in 0..<n { acc[j] &+= Int32(input[p * channels + c0 + j]) }
                }
            }
            let out = rq.requantize(acc &- offset, scale: SIMD16(repeating: scale))
            for j in 0..<n { output[c0 + j] = out[j] }
        }
    }
}
