/// int8 elementwise addition of two tensors with their own quantization (MobileNet v2
/// residuals): out = clamp(round((a - a_zp)·(s_a/s_out) + (b - b_zp)·(s_b/s_out)) + out_zp).
///
/// Computed in fp32 as written (two products, one sum, no fused multiply-add), rounded
/// ties-to-even like every int8 operator here.
public final class QAdd {
    /// Quantization of the first input.
    public let a: QuantizationParams
    /// Quantization of the second input.
    public let b: QuantizationParams
    /// Quantization of the output.
    public let output: QuantizationParams
    /// `s_a / s_out`.
    public let aMultiplier: Float
    /// `s_b / s_out`.
    public let bMultiplier: Float
    let requantization: QRequantization

    /// Creates the operator; `features` is accepted for symmetry (the Swift SIMD loop is memory-bound).
    public init(a: QuantizationParams, b: QuantizationParams, output: QuantizationParams,
                outputMin: UInt8 = 0, outputMax: UInt8 = 255, features: CPUFeatures = .host) {
        for s in [a.scale, b.scale, output.scale] {
            precondition(s.isFinite && s > 0, "QAdd: scale \(s) must be finite and positive")
        }
        self.a = a
        self.b = b
        self.output = output
        aMultiplier = a.scale / output.scale
        bMultiplier = b.scale / output.scale
        requantization = QRequantization(zeroPoint: output.zeroPoint, outputMin: outputMin, outputMax: outputMax)
    }

    /// Name of the kernel `run` uses.
    public var kernelName: String { "qu8_vadd_minmax_fp32_ukernel_16x__swift_simd" }

    /// Adds `count` elements of `a` and `b` into `output` (which may alias either input).
    public func run(a inputA: UnsafePointer<UInt8>, b inputB: UnsafePointer<UInt8>, count: Int,
                    output: UnsafeMutablePointer<UInt8>, pool: ThreadPool) {
        let chunk = 4096
        let am = SIMD16<Float>(repeating: aMultiplier), bm = SIMD16<Float>(repeating: bMultiplier)
        let azp = SIMD16<Int32>(repeating: Int32(a.zeroPoint)), bzp = SIMD16<Int32>(repeating: Int32(b.zeroPoint))
        let lo = SIMD16<Float>(repeating: requantization.minLessZeroPoint)
        let hi = SIMD16<Float>(repeating: requantization.maxLessZeroPoint)
        let zp = requantization.zeroPoint
        pool.parallelFor((count + chunk - 1) / chunk) { part in
            var i = part * chunk
            let end = min(count, i + chunk)
            while i < end {
                let n = min(16, end - i)
                var va = SIMD16<Int32>(), vb = SIMD16<Int32>()
                if n == 16 {
                    va = SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(inputA + i).loadUnaligned(as: SIMD16<UInt8>.self))
                    vb = SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(inputB + i).loadUnaligned(as: SIMD16<UInt8>.self))
                } else {
                    for j in 0..<n { va[j] = Int32(inputA[i + j]); vb[j] = Int32(inputB[i + j]) }
                }
                let fa = SIMD16<Float>(va &- azp) * am
                let fb = SIMD16<Float>(vb &- bzp) * bm
                let f = (fa + fb).clamped(lowerBound: lo, upperBound: hi)
                let out = SIMD16<UInt8>(truncatingIfNeeded: SIMD16<Int32>(f.rounded(.toNearestOrEven)) &+ zp)
                if n == 16 {
                    UnsafeMutableRawPointer(output + i).storeBytes(of: out, as: SIMD16<UInt8>.self)
                } else {
                    for j in 0..<n { output[i + j] = out[j] }
                }
                i += 16
            }
        }
    }
}
