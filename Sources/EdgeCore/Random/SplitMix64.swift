/// SplitMix64: a tiny, well-mixed generator whose stream depends only on its seed, so model
/// weights, test data and bootstrap resamples are the same on every run and every machine.
/// The one seeded generator of the project.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// A float uniform in [lo, hi), from the top 24 bits so every value is exact in fp32.
    public mutating func uniform(_ lo: Float, _ hi: Float) -> Float {
        let unit = Float(next() >> 40) * (1.0 / 16_777_216.0)
        return lo + (hi - lo) * unit
    }
}
