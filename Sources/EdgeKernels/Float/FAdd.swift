/// fp32 elementwise addition with the fused clamp (residual connections).
public final class FAdd: @unchecked Sendable {
    /// Lower output clamp.
    public let outputMin: Float
    /// Upper output clamp.
    public let outputMax: Float

    /// Creates the operator.
    public init(outputMin: Float = -.infinity, outputMax: Float = .infinity) {
        precondition(outputMin <= outputMax, "FAdd: outputMin above outputMax")
        self.outputMin = outputMin; self.outputMax = outputMax
    }

    /// Name of the kernel, for benchmark listings.
    public var kernelName: String { "f32_vadd_minmax_ukernel__swift_simd" }

    /// `output[i] = clamp(a[i] + b[i])` for `count` elements; `output` may alias `a` or `b`.
    public func run(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                    count: Int, pool: ThreadPool) {
        let lo = SIMD8<Float>(repeating: outputMin), hi = SIMD8<Float>(repeating: outputMax)
        // 4 Ki elements a part: MobileNet v2's residual adds have 7.8 K to 75 K elements, and
        // 16 Ki-element parts left the smaller ones on one thread and split the largest 3:2.
        let chunk = 4096
        pool.parallelFor((count + chunk - 1) / chunk) { item in
            let start = item * chunk, end = min(count, start + chunk)
            var i = start
            while i + 8 <= end {
                let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(output + i).storeBytes(of: clampLanes(x + y, lo, hi),
                                                               as: SIMD8<Float>.self)
                i += 8
            }
            while i < end {
                output[i] = min(max(a[i] + b[i], lo[0]), hi[0])
                i += 1
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
