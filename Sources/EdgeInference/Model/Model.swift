/// A model graph: an input shape and layers in execution order, with fp32 weights.
public struct Model: Sendable {
    /// Catalog name, e.g. `mobilenet-v1-1.0-224`.
    public let name: String
    public let inputShape: TensorShape
    public let layers: [Layer]

    /// A model from its layers (already in order; see `Layer`).
    public init(name: String, inputShape: TensorShape, layers: [Layer]) {
        self.name = name; self.inputShape = inputShape; self.layers = layers
    }

    /// Shape of tensor `index` (0 is the input, `i + 1` is layer i's output).
    public func tensorShape(_ index: Int) -> TensorShape {
        index == 0 ? inputShape : layers[index - 1].outputShape
    }

    /// Number of tensors, the input included.
    public var tensorCount: Int { layers.count + 1 }

    /// Shape of the final output (the logits).
    public var outputShape: TensorShape { layers.last?.outputShape ?? inputShape }

    /// Multiply-accumulates of one inference (convolutions and fully connected layers).
    public var macs: Int { layers.reduce(0) { $0 + $1.macs } }
}

/// Appends layers while tracking the current tensor, and draws their seeded weights.
///
/// Weights are He-style (uniform with variance gain/fan-in, so ReLU layers keep the
/// activation scale through depth), then a batch-norm-like per-channel scale and shift is
/// folded in, the way a trained model's BN ends up inside its convolutions.
struct ModelBuilder {
    private(set) var layers: [Layer] = []
    let inputShape: TensorShape
    private var random: SplitMix64
    /// Index of the most recently produced tensor.
    private(set) var current = 0

    init(input: TensorShape, seed: UInt64) {
        inputShape = input
        random = SplitMix64(seed: seed)
    }

    func shape(_ tensor: Int) -> TensorShape { tensor == 0 ? inputShape : layers[tensor - 1].outputShape }

    private mutating func append(_ name: String, _ op: LayerOperation, inputs: [Int], output: TensorShape) -> Int {
        layers.append(Layer(name: name, operation: op, inputs: inputs, inputShape: shape(inputs[0]), outputShape: output))
        current = layers.count
        return current
    }

    /// TensorFlow "SAME" padding: output = ceil(n / stride), the odd pixel at the end.
    static func samePadding(size: Int, kernel: Int, stride: Int) -> (before: Int, after: Int) {
        let out = (size + stride - 1) / stride
        let total = max((out - 1) * stride + kernel - size, 0)
        return (total / 2, total - total / 2)
    }

    /// A convolution (dense, grouped or depthwise) with BN folded in; `pad` nil means SAME.
    /// `branchScale` shrinks the last convolution of a residual branch, like a small
    /// final BN gamma, so sums do not grow block after block.
    @discardableResult
    mutating func convolution(_ name: String, from input: Int? = nil, outputs: Int, kernel: Int, stride: Int,
                              groups: Int = 1, pad: Int? = nil, activation: Activation,
                              branchScale: Float = 1) -> Int {
        let source = input ?? current
        let inShape = shape(source)
        let padH = pad.map { ($0, $0) } ?? Self.samePadding(size: inShape.height, kernel: kernel, stride: stride)
        let padW = pad.map { ($0, $0) } ?? Self.samePadding(size: inShape.width, kernel: kernel, stride: stride)
        let perGroup = inShape.channels / groups
        let fanIn = kernel * kernel * perGroup
        let gain: Float = activation == .none ? 1 : 2
        let limit = (3 * gain / Float(fanIn)).squareRoot()
        var weights = [Float](repeating: 0, count: outputs * kernel * kernel * perGroup)
        var bias = [Float](repeating: 0, count: outputs)
        let per = kernel * kernel * perGroup
        for o in 0..<outputs {
            let gamma = random.uniform(0.75, 1.25) * branchScale
            for j in 0..<per { weights[o * per + j] = random.uniform(-limit, limit) * gamma }
            bias[o] = random.uniform(-0.1, 0.1)
        }
        let layer = ConvolutionLayer(
            kernelHeight: kernel, kernelWidth: kernel, strideHeight: stride, strideWidth: stride,
            padTop: padH.0, padLeft: padW.0, padBottom: padH.1, padRight: padW.1,
            groups: groups, inputChannels: inShape.channels, outputChannels: outputs,
            weights: weights, bias: bias, activation: activation)
        return append(name, .convolution(layer), inputs: [source],
                      output: layer.outputShape(height: inShape.height, width: inShape.width))
    }

    /// A depthwise convolution (multiplier 1).
    @discardableResult
    mutating func depthwise(_ name: String, kernel: Int = 3, stride: Int, pad: Int? = nil, activation: Activation) -> Int {
        let c = shape(current).channels
        return convolution(name, outputs: c, kernel: kernel, stride: stride, groups: c, pad: pad, activation: activation)
    }

    /// Elementwise sum of two tensors of the same shape.
    @discardableResult
    mutating func add(_ name: String, _ a: Int, _ b: Int, activation: Activation = .none) -> Int {
        precondition(shape(a) == shape(b), "add of \(shape(a)) and \(shape(b))")
        return append(name, .add(activation), inputs: [a, b], output: shape(a))
    }

    /// A max pool with symmetric padding.
    @discardableResult
    mutating func maxPool(_ name: String, kernel: Int, stride: Int, pad: Int) -> Int {
        let p = MaxPoolLayer(kernel: kernel, stride: stride, padTop: pad, padLeft: pad, padBottom: pad, padRight: pad)
        return append(name, .maxPool(p), inputs: [current], output: p.outputShape(shape(current)))
    }

    /// Global average pooling to 1×1×C.
    @discardableResult
    mutating func globalAveragePool(_ name: String) -> Int {
        let c = shape(current).channels
        return append(name, .globalAveragePool, inputs: [current], output: TensorShape(height: 1, width: 1, channels: c))
    }

    /// The classifier: fully connected to `outputs` logits, no activation.
    @discardableResult
    mutating func fullyConnected(_ name: String, outputs: Int) -> Int {
        let inputs = shape(current).count
        let limit = (3 / Float(inputs)).squareRoot()
        var weights = [Float](repeating: 0, count: outputs * inputs)
        for i in weights.indices { weights[i] = random.uniform(-limit, limit) }
        var bias = [Float](repeating: 0, count: outputs)
        for i in bias.indices { bias[i] = random.uniform(-0.1, 0.1) }
        let layer = FullyConnectedLayer(inputs: inputs, outputs: outputs, weights: weights, bias: bias, activation: .none)
        return append(name, .fullyConnected(layer), inputs: [current],
                      output: TensorShape(height: 1, width: 1, channels: outputs))
    }

    func build(name: String) -> Model { Model(name: name, inputShape: inputShape, layers: layers) }
}
