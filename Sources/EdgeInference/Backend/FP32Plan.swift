import EdgeKernels

/// The `fp32` backend: NNPACK-style fp32 operators (each convolution picks its own
/// algorithm: Winograd, packed GEMM, direct depthwise or implicit GEMM).
public final class FP32Plan: InferencePlan {
    public let model: Model
    public let backend = Backend.fp32
    public let threads: Int
    public private(set) var layerKernels: [String] = []

    private let pool: ThreadPool
    private let buffers: PlanBuffers<Float>
    private var steps: [PlanStep] = []
    private var operators: [AnyObject] = []

    /// Compiles `model`, loaded with the seeded quality input.
    public init(model: Model, threads: Int, features: CPUFeatures = .host) {
        self.model = model
        self.threads = max(1, threads)
        pool = ThreadPool(threads: self.threads)
        buffers = PlanBuffers(model: model, fill: 0, sharing: true)
        for (i, layer) in model.layers.enumerated() {
            let step = compile(layer, output: i + 1, features: features)
            layerKernels.append(step.kernel)
            steps.append(step)
        }
        setInput(SeededInput.input(for: model))
    }

    private func compile(_ layer: Layer, output: Int, features: CPUFeatures) -> PlanStep {
        let src = UnsafePointer(buffers[layer.inputs[0]]), dst = buffers[output]
        let inShape = layer.inputShape
        let pool = self.pool
        switch layer.operation {
        case .convolution(let c):
            let r = c.activation.range
            let op = FConvolution(
                inputChannels: c.inputChannels, outputChannels: c.outputChannels,
                kernelHeight: c.kernelHeight, kernelWidth: c.kernelWidth,
                strideHeight: c.strideHeight, strideWidth: c.strideWidth,
                dilationHeight: c.dilationHeight, dilationWidth: c.dilationWidth,
                padTop: c.padTop, padLeft: c.padLeft, padBottom: c.padBottom, padRight: c.padRight,
                groups: c.groups, weights: c.weights, bias: c.bias, outputMin: r.min, outputMax: r.max,
                features: features, inputHeight: inShape.height, inputWidth: inShape.width)
            operators.append(op)
            let h = inShape.height, w = inShape.width
            return PlanStep(kernel: op.kernelName) { op.run(input: src, inputHeight: h, inputWidth: w, output: dst, pool: pool) }
        case .fullyConnected(let f):
            let r = f.activation.range
            let op = FFullyConnected(inputChannels: f.inputs, outputChannels: f.outputs, weights: f.weights, bias: f.bias,
                                     outputMin: r.min, outputMax: r.max, features: features)
            operators.append(op)
            return PlanStep(kernel: op.kernelName) { op.run(input: src, output: dst, batch: 1, pool: pool) }
        case .globalAveragePool:
            let op = FGlobalAveragePool(channels: inShape.channels)
            operators.append(op)
            let h = inShape.height, w = inShape.width
            return PlanStep(kernel: op.kernelName) { op.run(input: src, height: h, width: w, output: dst, pool: pool) }
        case .add(let activation):
            let other = UnsafePointer(buffers[layer.inputs[1]])
            let r = activation.range
            let op = FAdd(outputMin: r.min, outputMax: r.max)
            operators.append(op)
            let count = inShape.count
            return PlanStep(kernel: op.kernelName) { op.run(src, other, output: dst, count: count, pool: pool) }
        case .maxPool(let p):
            return PlanStep(kernel: "f32_maxpool_swift") { MaxPool.run(p, input: src, shape: inShape, output: dst, pool: pool) }
        }
    }

    /// Loads an fp32 input (see `InferencePlan.setInput`).
    public func setInput(_ input: [Float]) {
        precondition(input.count == model.inputShape.count, "input size")
        input.withUnsafeBufferPointer { buffers[0].update(from: $0.baseAddress!, count: input.count) }
    }

    /// Runs one inference on the current input.
    public func run() {
        for step in steps { step.run() }
    }

    /// Runs one inference, timing each layer.
    public func runProfiled() -> [UInt64] { steps.runProfiled() }

    /// The logits of the last run.
    public func logits() -> [Float] { buffers.array(model.tensorCount - 1) }
}
