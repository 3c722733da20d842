import EdgeKernels

/// The `ref` backend: every layer through the plain `Reference` operators, one thread.
///
/// It is the oracle for quality figures and int8 calibration, so it keeps every
/// intermediate tensor. The reference operators return fresh arrays by design (they are
/// written to be obviously right, not fast), so unlike the other plans this one allocates
/// per layer; `threads` is recorded but the operators run on the calling thread.
public final class ReferencePlan: InferencePlan {
    public let model: Model
    public let backend = Backend.ref
    public let threads: Int
    public let layerKernels: [String]
    /// Every tensor of the last run: index 0 the input, `i + 1` layer i's output.
    public private(set) var tensors: [[Float]]

    /// A plan for `model`, loaded with the seeded quality input.
    public init(model: Model, threads: Int = 1) {
        self.model = model
        self.threads = max(1, threads)
        layerKernels = model.layers.map { "ref_" + ReferencePlan.operatorName($0.operation) }
        tensors = (0..<model.tensorCount).map { [Float](repeating: 0, count: model.tensorShape($0).count) }
        tensors[0] = SeededInput.input(for: model)
    }

    private static func operatorName(_ op: LayerOperation) -> String {
        switch op {
        case .convolution(let c): return c.isDepthwise ? "depthwise_convolution" : "convolution"
        case .fullyConnected: return "fully_connected"
        case .maxPool: return "max_pool"
        case .globalAveragePool: return "global_average_pool"
        case .add: return "add"
        }
    }

    /// Loads an fp32 input (see `InferencePlan.setInput`).
    public func setInput(_ input: [Float]) {
        precondition(input.count == model.inputShape.count, "input size")
        tensors[0] = input
    }

    /// Runs one inference on the current input.
    public func run() {
        for i in model.layers.indices { runLayer(i) }
    }

    /// Runs one inference, timing each layer.
    public func runProfiled() -> [UInt64] {
        model.layers.indices.map { i in
            let start = MonotonicClock.now()
            runLayer(i)
            return MonotonicClock.now() - start
        }
    }

    /// The logits of the last run.
    public func logits() -> [Float] { tensors[model.tensorCount - 1] }

    private func runLayer(_ i: Int) {
        let layer = model.layers[i]
        let input = tensors[layer.inputs[0]]
        let s = layer.inputShape
        switch layer.operation {
        case .convolution(let c):
            let r = c.activation.range
            tensors[i + 1] = Reference.convolution(
                input: input, inputHeight: s.height, inputWidth: s.width, inputChannels: c.inputChannels,
                outputChannels: c.outputChannels, kernelHeight: c.kernelHeight, kernelWidth: c.kernelWidth,
                strideHeight: c.strideHeight, strideWidth: c.strideWidth,
                dilationHeight: c.dilationHeight, dilationWidth: c.dilationWidth,
                padTop: c.padTop, padLeft: c.padLeft, padBottom: c.padBottom, padRight: c.padRight,
                groups: c.groups, weights: c.weights, bias: c.bias, outputMin: r.min, outputMax: r.max)
        case .fullyConnected(let f):
            let r = f.activation.range
            tensors[i + 1] = Reference.fullyConnected(input: input, inputChannels: f.inputs, outputChannels: f.outputs,
                                                      weights: f.weights, bias: f.bias, outputMin: r.min, outputMax: r.max)
        case .maxPool(let p):
            tensors[i + 1] = Reference.maxPool(input: input, inputHeight: s.height, inputWidth: s.width,
                                               channels: s.channels, poolHeight: p.kernel, poolWidth: p.kernel,
                                               strideHeight: p.stride, strideWidth: p.stride, padTop: p.padTop,
                                               padLeft: p.padLeft, padBottom: p.padBottom, padRight: p.padRight)
        case .globalAveragePool:
            tensors[i + 1] = Reference.globalAveragePool(input: input, height: s.height, width: s.width, channels: s.channels)
        case .add(let activation):
            let r = activation.range
            tensors[i + 1] = Reference.add(input, tensors[layer.inputs[1]], outputMin: r.min, outputMax: r.max)
        }
    }
}
