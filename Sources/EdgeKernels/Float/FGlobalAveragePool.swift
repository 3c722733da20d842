/// fp32 global average pooling: the mean of every channel over all pixels of an NHWC input,
/// then the clamp. Sums in Float, 8 channels at a time, one pass over the input.
public final class FGlobalAveragePool: @unchecked Sendable {
    /// Channels per pixel.
    public let channels: Int
    /// Lower output clamp.
    public let outputMin: Float
    /// Upper output clamp.
    public let outputMax: Float

    /// Creates the operator for `channels` channels.
    public init(channels: Int, outputMin: Float = -.infinity, outputMax: Float = .infinity) {
        precondition(channels > 0, "FGlobalAveragePool: channels must be positive")
        precondition(outputMin <= outputMax, "FGlobalAveragePool: outputMin above outputMax")
        self.channels = channels; self.outputMin = outputMin; self.outputMax = outputMax
    }

    /// Name of the kernel, for benchmark listings.
    public var kernelName: String { "f32_gavgpool_minmax_ukernel__swift_simd" }

    /// Writes `channels` means of the `height` x `width` x channels input to `output`.
    public func run(input: UnsafePointer<Float>, height: Int, width: Int, output: UnsafeMutablePointer<Float>,
                    pool: ThreadPool) {
        let pixels = height * width
        precondition(pixels > 0, "FGlobalAveragePool: empty input")
        let channels = channels, scale = 1 / Float(pixels), lo = outputMin, hi = outputMax
        let blocks = (channels + 63) / 64
        pool.parallelFor(blocks) { block in
            let c0 = block * 64, c1 = min(channels, c0 + 64)
            var c = c0
            if c1 - c0 == 64 {
                // A whole block: eight independent sums, each pixel's 64 channels one line
                // run (summing 8 channels over all pixels before the next 8 waited on one
                // add chain and read with the pixel stride).
                var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
                var s4 = SIMD8<Float>(), s5 = SIMD8<Float>(), s6 = SIMD8<Float>(), s7 = SIMD8<Float>()
                for p in 0..<pixels {
                    let row = UnsafeRawPointer(input + p * channels + c0)
                    s0 += row.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self)
                    s1 += row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                    s2 += row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                    s3 += row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                    s4 += row.loadUnaligned(fromByteOffset: 128, as: SIMD8<Float>.self)
                    s5 += row.loadUnaligned(fromByteOffset: 160, as: SIMD8<Float>.self)
                    s6 += row.loadUnaligned(fromByteOffset: 192, as: SIMD8<Float>.self)
                    s7 += row.loadUnaligned(fromByteOffset: 224, as: SIMD8<Float>.self)
                }
                let vlo = SIMD8(repeating: lo), vhi = SIMD8(repeating: hi)
                let out = UnsafeMutableRawPointer(output + c0)
                let v = SIMD8<Float>.self
                out.storeBytes(of: clampLanes(s0 * scale, vlo, vhi), toByteOffset: 0, as: v)
                out.storeBytes(of: clampLanes(s1 * scale, vlo, vhi), toByteOffset: 32, as: v)
                out.storeBytes(of: clampLanes(s2 * scale, vlo, vhi), toByteOffset: 64, as: v)
                out.storeBytes(of: clampLanes(s3 * scale, vlo, vhi), toByteOffset: 96, as: v)
                out.storeBytes(of: clampLanes(s4 * scale, vlo, vhi), toByteOffset: 128, as: v)
                out.storeBytes(of: clampLanes(s5 * scale, vlo, vhi), toByteOffset: 160, as: v)
                out.storeBytes(of: clampLanes(s6 * scale, vlo, vhi), toByteOffset: 192, as: v)
                out.storeBytes(of: clampLanes(s7 * scale, vlo, vhi), toByteOffset: 224, as: v)
                c = c1
            }
            while c + 8 <= c1 {
                var sum = SIMD8<Float>()
                for p in 0..<pixels { sum += UnsafeRawPointer(input + p * channels + c).loadUnaligned(as: SIMD8<Float>.self) }
                let mean = clampLanes(sum * scale, SIMD8(repeating: lo), SIMD8(repeating: hi))
                UnsafeMutableRawPointer(output + c).storeBytes(of: mean, as: SIMD8<Float>.self)
                c += 8
            }
            while c < c1 {
                var sum: Float = 0
                for p in 0..<pixels { sum += input[p * channels + c] }
                output[c] = min(max(sum * scale, lo), hi)
                c += 1
            }
        }
    }
}

/// Clamps each lane to [lo, hi]. Written with comparisons and selects because the standard
/// library's `pointwiseMin`/`pointwiseMax` are not inlined into this code and cost a call per vector.
@inline(__always)
private func clampLanes(_ v: SIMD8<Float>, _ lo: SIMD8<Float>, _ hi: SIMD8<Float>) -> SIMD8<Float> {
    let r = v.replacing(with: lo, where: v .< lo)
    return r.replacing(with: hi, where: r .> hi)
}
