/// What the real value of an input element is, as a function of the pixel p (0…255):
/// the preprocessing a model was trained with, which its file does not always say.
public enum PixelNormalization: Sendable, Equatable {
    /// p itself, 0…255; for quantized inputs the pixel goes in unchanged (the common
    /// TFLite convention: the input quantization already maps 0…255 to the trained range).
    case asIs
    /// p / 255, 0…1.
    case unit
    /// p / 127.5 − 1, the [-1, 1] convention of MobileNet and EfficientNet-Lite.
    case minusOneToOne
    /// (p / 255 − mean[c]) / std[c] per channel c (R, G, B), e.g. ImageNet's
    /// mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
    case meanStd(mean: [Float], std: [Float])

    /// ImageNet's per-channel mean and standard deviation, as torchvision models expect.
    public static let imageNet = PixelNormalization.meanStd(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// The real value of pixel `p` in channel `c`.
    public func value(_ p: UInt8, channel c: Int) -> Float {
        switch self {
        case .asIs: return Float(p)
        case .unit: return Float(p) / 255
        case .minusOneToOne: return Float(p) / 127.5 - 1
        case .meanStd(let mean, let std): return (Float(p) / 255 - mean[c % mean.count]) / std[c % std.count]
        }
    }
}

/// The element type and quantization of a model's image input.
public enum ImageInputType: Sendable, Equatable {
    /// uint8 elements, real = scale * (q − zeroPoint).
    case uint8(scale: Float, zeroPoint: Int)
    /// int8 elements, real = scale * (q − zeroPoint).
    case int8(scale: Float, zeroPoint: Int)
    /// fp32 elements holding the real value.
    case float32
}

/// An image as a model's input tensor, in the element type that input takes.
public enum ImageTensor: Sendable, Equatable {
    case uint8([UInt8])
    case int8([Int8])
    case float32([Float])
}

extension RGBImage {
    /// The pixels as input elements of `type` under `normalization`, in HWC order.
    ///
    /// `.asIs` on a quantized input feeds the pixel unchanged (uint8) or less 128 (int8,
    /// the uint8 convention with its zero point shifted by 128), whatever the scale: that
    /// is how such models are fed. Any other normalization is quantized with the input's
    /// scale and zero point, rounded half away from zero and clamped to the type's range.
    public func tensor(as type: ImageInputType, normalization: PixelNormalization) -> ImageTensor {
        if case .meanStd(let mean, let std) = normalization {
            precondition(!mean.isEmpty && !std.isEmpty && std.allSatisfy { $0 != 0 }, "meanStd needs a mean and a non-zero std")
        }
        switch (type, normalization) {
        case (.uint8, .asIs):
            return .uint8(pixels)
        case (.int8, .asIs):
            return .int8(pixels.map { Int8(truncatingIfNeeded: Int($0) - 128) })
        case (.uint8(let scale, let zero), _):
            return .uint8(quantized(normalization, scale: scale, zeroPoint: zero, range: 0...255).map { UInt8($0) })
        case (.int8(let scale, let zero), _):
            return .int8(quantized(normalization, scale: scale, zeroPoint: zero, range: -128...127).map { Int8($0) })
        case (.float32, _):
            return .float32(pixels.indices.map { normalization.value(pixels[$0], channel: $0 % 3) })
        }
    }

    private func quantized(_ n: PixelNormalization, scale: Float, zeroPoint: Int, range: ClosedRange<Int>) -> [Int] {
        precondition(scale > 0 && scale.isFinite, "input scale must be positive, got \(scale)")
        return pixels.indices.map { i in
            let q = Int((n.value(pixels[i], channel: i % 3) / scale).rounded(.toNearestOrAwayFromZero)) + zeroPoint
            return min(max(q, range.lowerBound), range.upperBound)
        }
    }
}
