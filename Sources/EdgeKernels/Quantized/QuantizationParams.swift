/// Affine quantization of a uint8 activation tensor: real = scale * (q - zeroPoint).
public struct QuantizationParams: Sendable, Equatable {
    /// Real value of one quantization step; must be finite and positive.
    public var scale: Float
    /// The uint8 value that stands for real 0 (also what padding is filled with).
    public var zeroPoint: UInt8

    /// Creates parameters from a scale and a zero point.
    public init(scale: Float, zeroPoint: UInt8) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }
}
