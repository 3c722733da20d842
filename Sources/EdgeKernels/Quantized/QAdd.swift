import CEdgeKernels

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
    let isa: QKernelISA

    /// Creates the operator; `features` picks the AVX-512 kernel or the portable one.
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
        #if arch(x86_64)
        isa = features.hasVNNI512 ? .avx512vnni : .portable
        #else
        isa = .portable
        #endif
    }

    /// Name of the kernel `run` uses.
    public var kernelName: String {
        isa == .portable ? "qu8_vadd_minmax_fp32_ukernel_16x__swift_simd" : "qu8_vadd_minmax_fp32_ukernel_16x__avx512"
    }

    /// Adds `count` elements of `a` and `b` into `output` (which may alias either input).
    public func run(a inputA: UnsafePointer<UInt8>, b inputB: UnsafePointer<UInt8>, count: Int,
                    output: UnsafeMutablePointer<UInt8>, pool: ThreadPool) {
        // 4 Ki elements a part: MobileNet v2's residual adds have 7.8 K to 75 K elements, and
        // 16 Ki-element parts left the smaller ones on one thread and split the largest 3:2.
        let chunk = 4096
        let isa = isa, requantization = requantization
        var params = q8_vadd_params(a_zero_point: Int32(a.zeroPoint), b_zero_point: Int32(b.zeroPoint),
                                    a_multiplier: aMultiplier, b_multiplier: bMultiplier,
                                    min_less_zero_point: requantization.minLessZeroPoint,
                                    max_less_zero_point: requantization.maxLessZeroPoint,
                                    zero_point: requantization.zeroPoint)
        withUnsafePointer(to: &params) { params in
            pool.parallelFor((count + chunk - 1) / chunk) { part in
                let start = part * chunk, n = min(chunk, count - start)
                #if arch(x86_64)
                if isa == .avx512vnni {
                    q8_vadd_minmax_fp32__avx512(n, inputA + start, inputB + start, output + start, params)
                    return
                }
                #endif
                Self.addPortable(n: n, a: inputA + start, b: inputB + start, output: output + start,
                                 params: params.pointee)
            }
        }
    }

    /// The portable kernel: 16 elements at a time with Swift SIMD, the tail padded through a local vector.
    static func addPortable(n: Int, a: UnsafePointer<UInt8>, b: UnsafePointer<UInt8>, output: UnsafeMutablePointer<UInt8>,
                            params p: q8_vadd_params) {
        let am = SIMD16<Float>(repeating: p.a_multiplier), bm = SIMD16<Float>(repeating: p.b_multiplier)
        let lo = SIMD16<Float>(repeating: p.min_less_zero_point), hi = SIMD16<Float>(repeating: p.max_less_zero_point)
        var i = 0
        while i < n {
            let m = min(16, n - i)
            var va = SIMD16<UInt8>(), vb = SIMD16<UInt8>()
            if m == 16 {
                va = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<UInt8>.self)
                vb = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<UInt8>.self)
            } else {
                for j in 0..<m { va[j] = a[i + j]; vb[j] = b[i + j] }
            }
            let fa = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: va) &- p.a_zero_point) * am
            let fb = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: vb) &- p.b_zero_point) * bm
            var f = fa + fb
            f = f.replacing(with: lo, where: f .< lo)
            f = f.replacing(with: hi, where: f .> hi)
            let out = QRequantization.roundAndOffset(f, zeroPoint: p.zero_point)
            if m == 16 {
                UnsafeMutableRawPointer(output + i).storeBytes(of: out, as: SIMD16<UInt8>.self)
            } else {
                for j in 0..<m { output[i + j] = out[j] }
            }
            i += 16
        }
    }
}
