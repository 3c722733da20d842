/// How a convolution or pool pads its input (TFLite `Padding`).
public enum Padding: UInt8, Sendable {
    case same = 0
    case valid = 1
}

/// An activation fused into an operator's output clamp (TFLite `ActivationFunctionType`).
public enum FusedActivation: UInt8, Sendable, CustomStringConvertible {
    case none = 0, relu = 1, reluN1To1 = 2, relu6 = 3, tanh = 4, signBit = 5

    /// Schema name, lower case.
    public var description: String {
        switch self {
        case .none: return "none"
        case .relu: return "relu"
        case .reluN1To1: return "relu_n1_to_1"
        case .relu6: return "relu6"
        case .tanh: return "tanh"
        case .signBit: return "sign_bit"
        }
    }
}

/// Geometry of a CONV_2D, DEPTHWISE_CONV_2D or pooling operator.
public struct WindowOptions: Sendable, Equatable {
    /// SAME or VALID.
    public var padding: Padding
    /// Step between output pixels, rows and columns.
    public var strideH: Int, strideW: Int
    /// Gap between kernel taps (1 = dense).
    public var dilationH: Int, dilationW: Int
    /// Pool window (pools only; conv kernels come from the weight tensor).
    public var filterH: Int, filterW: Int
    /// Depthwise only: output channels per input channel.
    public var depthMultiplier: Int
    /// Activation folded into the output clamp.
    public var activation: FusedActivation

    /// Creates window options (tests and model builders).
    public init(padding: Padding, strideH: Int, strideW: Int, dilationH: Int = 1, dilationW: Int = 1,
                filterH: Int = 0, filterW: Int = 0, depthMultiplier: Int = 1, activation: FusedActivation = .none) {
        self.padding = padding
        self.strideH = strideH
        self.strideW = strideW
        self.dilationH = dilationH
        self.dilationW = dilationW
        self.filterH = filterH
        self.filterW = filterW
        self.depthMultiplier = depthMultiplier
        self.activation = activation
    }
}

/// The builtin options of the operators edgetop reads; other operators' options are kept
/// as `.other` with their union type so `inspect` can still list them.
public enum OperatorOptions: Sendable, Equatable {
    /// No options table.
    case none
    /// CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D.
    case window(WindowOptions)
    /// FULLY_CONNECTED: activation, whether weights are in the default layout, keep_num_dims.
    case fullyConnected(activation: FusedActivation, defaultWeightsFormat: Bool, keepNumDims: Bool)
    /// ADD.
    case add(activation: FusedActivation)
    /// SOFTMAX: logits are multiplied by beta.
    case softmax(beta: Float)
    /// CONCATENATION: axis (negative counts from the end) and activation.
    case concatenation(axis: Int, activation: FusedActivation)
    /// RESIZE_BILINEAR: corner conventions.
    case resizeBilinear(alignCorners: Bool, halfPixelCenters: Bool)
    /// RESHAPE: the new shape when given as an option rather than a tensor.
    case reshape(newShape: [Int])
    /// MEAN and other reducers.
    case reducer(keepDims: Bool)
    /// Options of an operator this reader does not interpret (union type number).
    case other(unionType: UInt8)

    /// The fused activation, where the operator has one.
    public var activation: FusedActivation {
        switch self {
        case .window(let w): return w.activation
        case .fullyConnected(let a, _, _), .add(let a), .concatenation(_, let a): return a
        default: return .none
        }
    }
}
