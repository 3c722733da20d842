/// Height, width and channels of one NHWC activation tensor (batch 1).
public struct TensorShape: Sendable, Equatable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int

    /// A shape of `height × width × channels`.
    public init(height: Int, width: Int, channels: Int) {
        self.height = height; self.width = width; self.channels = channels
    }

    /// Number of elements.
    public var count: Int { height * width * channels }

    public var description: String { "\(height)x\(width)x\(channels)" }
}

/// The activation fused into a layer's output, applied as a clamp.
public enum Activation: Sendable, Equatable {
    case none, relu, relu6

    /// The fp32 output range this activation leaves.
    public var range: (min: Float, max: Float) {
        switch self {
        case .none: return (-.infinity, .infinity)
        case .relu: return (0, .infinity)
        case .relu6: return (0, 6)
        }
    }
}

/// A convolution with batch norm folded in: OHWI weights and a per-output-channel bias.
public struct ConvolutionLayer: Sendable {
    public var kernelHeight: Int, kernelWidth: Int
    public var strideHeight: Int, strideWidth: Int
    public var dilationHeight: Int = 1, dilationWidth: Int = 1
    /// Explicit padding, in the order top, left, bottom, right.
    public var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int
    public var groups: Int
    public var inputChannels: Int, outputChannels: Int
    /// `[outputChannels][kernelHeight][kernelWidth][inputChannels / groups]`.
    public var weights: [Float]
    /// One per output channel.
    public var bias: [Float]
    public var activation: Activation

    /// True for a depthwise convolution (one group per channel, multiplier 1).
    public var isDepthwise: Bool { groups > 1 && groups == inputChannels && groups == outputChannels }

    /// Output shape for an input of `height × width`.
    public func outputShape(height: Int, width: Int) -> TensorShape {
        let effH = (kernelHeight - 1) * dilationHeight + 1
        let effW = (kernelWidth - 1) * dilationWidth + 1
        return TensorShape(height: (height + padTop + padBottom - effH) / strideHeight + 1,
                           width: (width + padLeft + padRight - effW) / strideWidth + 1,
                           channels: outputChannels)
    }
}

/// A fully connected layer: `[outputs][inputs]` weights.
public struct FullyConnectedLayer: Sendable {
    public var inputs: Int
    public var outputs: Int
    public var weights: [Float]
    public var bias: [Float]
    public var activation: Activation
}

/// A max pool (ResNet's stem); padding never wins because it is treated as -infinity.
public struct MaxPoolLayer: Sendable {
    public var kernel: Int
    public var stride: Int
    public var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int

    /// Output shape for an input shape.
    public func outputShape(_ input: TensorShape) -> TensorShape {
        TensorShape(height: (input.height + padTop + padBottom - kernel) / stride + 1,
                    width: (input.width + padLeft + padRight - kernel) / stride + 1,
                    channels: input.channels)
    }
}

/// What a layer computes.
public enum LayerOperation: Sendable {
    case convolution(ConvolutionLayer)
    case fullyConnected(FullyConnectedLayer)
    case maxPool(MaxPoolLayer)
    case globalAveragePool
    /// Elementwise sum of the two inputs, then the activation.
    case add(Activation)
}

/// One node of a model graph: reads tensors by index and writes tensor `index + 1`.
///
/// Tensor 0 is the model input; layer `i` produces tensor `i + 1`, so a layer list in
/// order is already a valid schedule.
public struct Layer: Sendable {
    public var name: String
    public var operation: LayerOperation
    /// Indices of the tensors read (two for `add`, one otherwise).
    public var inputs: [Int]
    public var inputShape: TensorShape
    public var outputShape: TensorShape

    /// Multiply-accumulates, counted the standard way: convolutions and fully connected
    /// layers only, one per weight use (`outH·outW·outC·kH·kW·inC/groups`).
    public var macs: Int {
        switch operation {
        case .convolution(let c):
            return outputShape.height * outputShape.width * c.outputChannels
                * c.kernelHeight * c.kernelWidth * (c.inputChannels / c.groups)
        case .fullyConnected(let f):
            return f.inputs * f.outputs
        case .maxPool, .globalAveragePool, .add:
            return 0
        }
    }

    /// Short operator kind for profiles ("conv3x3s2", "dw3x3s1", "conv1x1", "fc", ...).
    public var kind: String {
        switch operation {
        case .convolution(let c):
            let prefix = c.isDepthwise ? "dw" : "conv"
            return "\(prefix)\(c.kernelHeight)x\(c.kernelWidth)s\(c.strideHeight)"
        case .fullyConnected: return "fc"
        case .maxPool(let p): return "maxpool\(p.kernel)x\(p.kernel)s\(p.stride)"
        case .globalAveragePool: return "avgpool"
        case .add: return "add"
        }
    }
}
