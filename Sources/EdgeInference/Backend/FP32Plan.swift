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
    /// Convolutions by layer index, for fusing an expansion into the depthwise after it.
    private var convolutions: [Int: FConvolution] = [:]
    /// Layers whose work runs inside the next layer's step.
    private var fusedAway: Set<Int> = []

    /// The kernel listed for a layer that runs inside the next one (its time is counted there).
    public static let fusedAwayKernel = "(in the next layer's row bands, timed there)"

    /// Compiles `model`, loaded with the seeded quality input. `bands: false` runs every
    /// layer on its own (no `FExpandDepthwise`), for cross-checks and benchmarks.
    public init(model: Model, threads: Int, features: CPUFeatures = .host, bands: Bool = true) {
        self.model = model
        self.threads = max(1, threads)
        pool = ThreadPool(threads: self.threads)
        buffers = PlanBuffers(model: model, fill: 0, sharing: true,
                              liveThrough: bands ? FP32Plan.bandCandidates(model, threads: self.threads) : [:], staggered: true)
        for (i, layer) in model.layers.enumerated() {
            var step = compile(layer, output: i + 1, features: features)
            if bands, let fused = fuseWithPrevious(i) {
                steps[i - 1] = PlanStep(kernel: FP32Plan.fusedAwayKernel) {}
                layerKernels[i - 1] = FP32Plan.fusedAwayKernel
                fusedAway.insert(i - 1)
                step = fused
            }
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
            convolutions[output - 1] = op
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

    /// Layer `i` and the one before it as one banded step (`FExpandDepthwise`), when layer
    /// `i` is a depthwise convolution that alone reads the previous layer's 1x1 expansion.
    private func fuseWithPrevious(_ i: Int) -> PlanStep? {
        guard i > 0, let depthwise = convolutions[i], let expand = convolutions[i - 1] else { return nil }
        let layer = model.layers[i], previous = model.layers[i - 1]
        guard FP32Plan.bandCandidates(model, threads: threads)[previous.inputs[0]] == i else { return nil }
        let h = previous.inputShape.height, w = previous.inputShape.width
        let src = UnsafePointer(buffers[previous.inputs[0]]), dst = buffers[i + 1]
        // The step reads its input while writing its output: they must not share memory.
        let srcEnd = src + previous.inputShape.count, dstEnd = UnsafePointer(dst) + layer.outputShape.count
        guard srcEnd <= UnsafePointer(dst) || dstEnd <= src,
              let pair = FExpandDepthwise.fuse(expand: expand, depthwise: depthwise, inputHeight: h, inputWidth: w,
                                                     threads: threads)
        else { return nil }
        operators.append(pair)
        let pool = self.pool
        return PlanStep(kernel: pair.kernelName) { pair.run(input: src, output: dst, pool: pool) }
    }

    /// Expansion inputs that a banded step may read at the depthwise layer after it (tensor
    /// index to that layer's index): a dense convolution (1x1 expansion or stem) whose
    /// output, large enough to leave L2, only a 3x3 depthwise right after it reads. With
    /// several threads each core writes only its share of the output, so the share must
    /// leave L2 (see `FExpandDepthwise.fuse`).
    static func bandCandidates(_ model: Model, threads: Int = 1) -> [Int: Int] {
        var out: [Int: Int] = [:]
        for i in model.layers.indices.dropFirst() {
            let layer = model.layers[i], previous = model.layers[i - 1]
            guard case .convolution(let d) = layer.operation, case .convolution(let e) = previous.operation,
                  e.groups == 1,
                  d.kernelHeight == 3, d.kernelWidth == 3, d.groups == d.inputChannels, d.groups > 1,
                  layer.inputs == [i], model.layers.filter({ $0.inputs.contains(i) }).count == 1,
                  previous.outputShape.count * MemoryLayout<Float>.size >= FExpandDepthwise.minimumExpandedBytes * max(1, threads)
            else { continue }
            out[previous.inputs[0]] = i
        }
        return out
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
    public func runProfiled() -> [UInt64] {
        var times = steps.runProfiled()
        for i in fusedAway { times[i] = 0 }
        return times
    }

    /// The logits of the last run.
    public func logits() -> [Float] { buffers.array(model.tensorCount - 1) }
}
