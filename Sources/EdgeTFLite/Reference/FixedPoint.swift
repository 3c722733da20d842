/// TFLite's fixed-point requantization (gemmlowp): a real multiplier as a Q31 integer and a
/// power-of-two exponent, applied with two roundings — SaturatingRoundingDoublingHighMul
/// (half away from zero) then RoundingDivideByPOT (half away from zero).
public struct QuantizedMultiplier: Sendable, Equatable {
    /// Q31 mantissa in [2^30, 2^31), or 0.
    public let multiplier: Int32
    /// Power of two: positive shifts left before the multiply, negative divides after.
    public let shift: Int

    /// TFLite's QuantizeMultiplier: frexp, round the fraction to Q31, renormalise 2^31.
    public init(_ real: Double) {
        guard real != 0, real.isFinite else { multiplier = 0; shift = 0; return }
        let e = real.exponent + 1                      // real = f * 2^e, f in [0.5, 1)
        let f = real / Double(sign: .plus, exponent: e, significand: 1)
        var q = Int64((f * Double(1 << 31)).rounded(.toNearestOrAwayFromZero))
        var s = e
        if q == 1 << 31 { q /= 2; s += 1 }
        if s < -31 { q = 0; s = 0 }
        multiplier = Int32(q)
        shift = s
    }

    /// MultiplyByQuantizedMultiplier(x): x * real, rounded as TFLite rounds.
    @inline(__always)
    public func apply(_ x: Int32) -> Int32 {
        let left = shift > 0 ? shift : 0
        let right = shift > 0 ? 0 : -shift
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x &<< Int32(left), multiplier), right)
    }
}

/// gemmlowp's SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b, rounded half
/// away from zero; the one overflow (min*min) saturates.
@inline(__always)
public func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
    if a == .min && b == .min { return .max }
    let ab = Int64(a) * Int64(b)
    let nudge: Int64 = ab >= 0 ? (1 << 30) : (1 - (1 << 30))
    return Int32(truncatingIfNeeded: (ab + nudge) / (1 << 31))
}

/// gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded half away from zero.
@inline(__always)
public func roundingDivideByPOT(_ x: Int32, _ exponent: Int) -> Int32 {
    guard exponent > 0 else { return x }
    let mask = Int32((Int64(1) << exponent) - 1)
    let remainder = x & mask
    let threshold = (mask >> 1) + (x < 0 ? 1 : 0)
    return (x >> Int32(exponent)) + (remainder > threshold ? 1 : 0)
}

/// A float as Int32, clamped to ±2^30 (NaN as 0): values from a file's scales can be huge
/// or not numbers, and a plain conversion would trap; every caller clamps to its type after.
@inline(__always)
public func saturatingInt32(_ f: Float) -> Int32 {
    guard f == f else { return 0 }
    return Int32(max(min(f, 1_073_741_824), -1_073_741_824))
}
