import CEdgeKernels

/// Requantization of int32 accumulators to uint8, shared by every int8 kernel and the reference.
///
/// Rounding rule (fp32, as XNNPACK's `fp32` kernels): with the per-channel multiplier
/// `scale = s_in * s_w[c] / s_out`,
///
///     out = clamp(roundTiesToEven(Float(acc) * scale) + zeroPoint, outputMin, outputMax)
///
/// where `Float(acc)` and the product round to nearest even (IEEE default). The clamp is
/// applied in float to `[outputMin - zeroPoint, outputMax - zeroPoint]` before rounding:
/// the bounds are integers, so this equals clamping after rounding, and the conversion back
/// to an integer can never overflow. Unlike a Q31 fixed-point multiplier, the scale may be
/// ≥ 1. Ties go to the even integer: 0.5 → 0, 1.5 → 2, 2.5 → 2, -0.5 → 0, -1.5 → -2.
public struct QRequantization: Sendable, Equatable {
    /// Output zero point.
    public let zeroPoint: Int32
    /// Lowest output byte (the fused ReLU/ReLU6 lower clamp).
    public let outputMin: UInt8
    /// Highest output byte (the fused ReLU6 upper clamp).
    public let outputMax: UInt8
    /// `outputMin - zeroPoint` as a float: the clamp is applied before rounding.
    public let minLessZeroPoint: Float
    /// `outputMax - zeroPoint` as a float.
    public let maxLessZeroPoint: Float

    /// Creates the output side of a requantization; `outputMin` must not exceed `outputMax`.
    public init(zeroPoint: UInt8, outputMin: UInt8, outputMax: UInt8) {
        precondition(outputMin <= outputMax, "QRequantization: outputMin \(outputMin) > outputMax \(outputMax)")
        self.zeroPoint = Int32(zeroPoint)
        self.outputMin = outputMin
        self.outputMax = outputMax
        self.minLessZeroPoint = Float(Int32(outputMin) - Int32(zeroPoint))
        self.maxLessZeroPoint = Float(Int32(outputMax) - Int32(zeroPoint))
    }

    /// Requantizes one accumulator with the given multiplier.
    @inlinable @inline(__always)
    public func requantize(_ acc: Int32, scale: Float) -> UInt8 {
        var f = Float(acc) * scale
        f = Swift.min(Swift.max(f, minLessZeroPoint), maxLessZeroPoint)
        return UInt8(truncatingIfNeeded: Int32(f.rounded(.toNearestOrEven)) &+ zeroPoint)
    }

    /// Requantizes 16 accumulators at once; the same arithmetic, lane by lane.
    ///
    /// Rounds with the magic-bias trick (adding 1.5·2^23 leaves an integer in the low
    /// mantissa bits, rounded ties-to-even by the addition itself): the clamp bounds keep
    /// |x| ≤ 255, far inside its 2^22 range, and unlike `rounded()` on SIMD it needs no
    /// per-lane libm call on baseline x86-64.
    @inlinable @inline(__always)
    public func requantize(_ acc: SIMD16<Int32>, scale: SIMD16<Float>) -> SIMD16<UInt8> {
        var f = SIMD16<Float>(acc) * scale
        let lo = SIMD16<Float>(repeating: minLessZeroPoint), hi = SIMD16<Float>(repeating: maxLessZeroPoint)
        f = f.replacing(with: lo, where: f .< lo)
        f = f.replacing(with: hi, where: f .> hi)
        return Self.roundAndOffset(f, zeroPoint: zeroPoint)
    }

    /// Rounds clamped floats (|x| < 2^22) to the nearest integer, ties to even, adds the
    /// zero point and narrows to bytes.
    @inlinable @inline(__always)
    public static func roundAndOffset(_ f: SIMD16<Float>, zeroPoint: Int32) -> SIMD16<UInt8> {
        let biased = f + SIMD16<Float>(repeating: 12_582_912.0)
        let i = unsafeBitCast(biased, to: SIMD16<Int32>.self) &- (0x4B40_0000 &- zeroPoint)
        return SIMD16<UInt8>(truncatingIfNeeded: i)
    }

    /// Per-output-channel multipliers `s_in * s_w[c] / s_out`, computed in this one order
    /// everywhere so the kernels and the reference agree to the bit. `weightScales` holds
    /// one scale per channel or a single per-tensor scale.
    public static func multipliers(input: QuantizationParams, weightScales: [Float], output: QuantizationParams,
                                   channels: Int) -> [Float] {
        precondition(weightScales.count == channels || weightScales.count == 1,
                     "weightScales has \(weightScales.count) entries; expected \(channels) or 1")
        precondition(input.scale.isFinite && input.scale > 0, "input scale \(input.scale) must be finite and positive")
        precondition(output.scale.isFinite && output.scale > 0, "output scale \(output.scale) must be finite and positive")
        return (0..<channels).map { c in
            let ws = weightScales.count == 1 ? weightScales[0] : weightScales[c]
            precondition(ws.isFinite && ws > 0, "weight scale \(ws) of channel \(c) must be finite and positive")
            return input.scale * ws / output.scale
        }
    }

    /// The constants the C microkernels read.
    var cParams: q8_requant_params {
        q8_requant_params(min_less_zero_point: minLessZeroPoint, max_less_zero_point: maxLessZeroPoint,
                          zero_point: zeroPoint)
    }
}
