import EdgeKernels

/// The `int8` backend: QNNPACK-style operators on uint8 activations and int8 weights.
///
/// Quantization follows the usual post-training recipe: each tensor's scale and zero
/// point come from the min and max the reference saw in it on the calibration inputs
/// (widened to include 0, so zero — the padding value — is exact); weights are symmetric
/// int8 with one scale per output channel (max |w| / 127); biases are int32 in units of
/// `s_in · s_w[c]`. Fused ReLU/ReLU6 become a uint8 output clamp. Max pool keeps its
/// input's parameters.
public final class Int8Plan: InferencePlan {
    public let model: Model
    public let backend = Backend.int8
    public let threads: Int
    public private(set) var layerKernels: [String] = []
    /// Quantization parameters of every tensor (0 is the input).
    public let params: [QuantizationParams]

    private let pool: ThreadPool
    private let buffers: PlanBuffers<UInt8>
    private var steps: [PlanStep] = []
    // The operators are owned here; the steps only borrow them.
    private var operators: [AnyObject] = []

    /// Compiles `model` with the given calibration, loaded with the seeded quality input.
    public init(model: Model, calibration: Calibration, threads: Int, features: CPUFeatures = .host) {
        precondition(calibration.ranges.count == model.tensorCount, "calibration is for another model")
        self.model = model
        self.threads = max(1, threads)
        pool = ThreadPool(threads: self.threads)
        var params = calibration.ranges.map(Int8Plan.activationParams)
        // Max pool keeps its input's parameters (max commutes with quantization).
        for (i, layer) in model.layers.enumerated() {
            if case .maxPool = layer.operation { params[i + 1] = params[layer.inputs[0]] }
        }
        self.params = params
        buffers = PlanBuffers(model: model, fill: 0, sharing: true)
        for (i, layer) in model.layers.enumerated() {
            let step = compile(layer, output: i + 1, features: features)
            layerKernels.append(step.kernel)
            steps.append(step)
        }
        setInput(SeededInput.input(for: model))
    }

    /// Scale and zero point covering `range` and 0 with 256 levels.
    public static func activationParams(_ range: (min: Float, max: Float)) -> QuantizationParams {
        let lo = min(range.min, 0), hi = max(range.max, 0)
        // A tensor that is all zero still needs a positive scale.
        let scale = max(hi - lo, 1e-6) / 255
        let zeroPoint = min(max((-lo / scale).rounded(.toNearestOrEven), 0), 255)
        return QuantizationParams(scale: scale, zeroPoint: UInt8(zeroPoint))
    }

    /// Symmetric int8 weights with one scale per output channel of `perChannel` weights each.
    public static func quantizeWeights(_ weights: [Float], outputs: Int) -> (weights: [Int8], scales: [Float]) {
        let per = weights.count / outputs
        var q = [Int8](repeating: 0, count: weights.count)
        var scales = [Float](repeating: 1, count: outputs)
        for o in 0..<outputs {
            var peak: Float = 0
            for j in 0..<per { peak = max(peak, abs(weights[o * per + j])) }
            let s = peak > 0 ? peak / 127 : 1
            scales[o] = s
            for j in 0..<per {
                q[o * per + j] = Int8(min(max((weights[o * per + j] / s).rounded(.toNearestOrEven), -127), 127))
            }
        }
        return (q, scales)
    }

    /// int32 biases in units of `inputScale · weightScales[c]`.
    public static func quantizeBias(_ bias: [Float], inputScale: Float, weightScales: [Float]) -> [Int32] {
        bias.indices.map { c in
            let v = (Double(bias[c]) / (Double(inputScale) * Double(weightScales[c]))).rounded(.toNearestOrEven)
            return Int32(min(max(v, Double(Int32.min)), Double(Int32.max)))
        }
    }

    /// The uint8 clamp that stands for `activation` in tensor `p`.
    static func clamp(_ activation: Activation, _ p: QuantizationParams) -> (min: UInt8, max: UInt8) {
        let r = activation.range
        func q(_ v: Float) -> UInt8 {
            if v == .infinity { return 255 }
            if v == -.infinity { return 0 }
            return UInt8(min(max((v / p.scale).rounded(.toNearestOrEven) + Float(p.zeroPoint), 0), 255))
        }
        return (q(r.min), q(r.max))
    }

    private func compile(_ layer: Layer, output: Int, features: CPUFeatures) -> PlanStep {
        let inIndex = layer.inputs[0]
        let src = UnsafePointer(buffers[inIndex]), dst = buffers[output]
        let inShape = layer.inputShape
        let inParams = params[inIndex], outParams = params[output]
        let pool = self.pool
        switch layer.operation {
        case .convolution(let c):
            let (w, scales) = Int8Plan.quantizeWeights(c.weights, outputs: c.outputChannels)
            let bias = Int8Plan.quantizeBias(c.bias, inputScale: inParams.scale, weightScales: scales)
            let clamp = Int8Plan.clamp(c.activation, outParams)
            let op = QConvolution(
                inputChannels: c.inputChannels, outputChannels: c.outputChannels,
                kernelHeight: c.kernelHeight, kernelWidth: c.kernelWidth,
                strideHeight: c.strideHeight, strideWidth: c.strideWidth,
                dilationHeight: c.dilationHeight, dilationWidth: c.dilationWidth,
                padTop: c.padTop, padLeft: c.padLeft, padBottom: c.padBottom, padRight: c.padRight,
                groups: c.groups, weights: w, weightScales: scales, bias: bias,
                input: inParams, output: outParams, outputMin: clamp.min, outputMax: clamp.max, features: features)
            operators.append(op)
            let h = inShape.height, wd = inShape.width
            return PlanStep(kernel: op.kernelName) { op.run(input: src, inputHeight: h, inputWidth: wd, output: dst, pool: pool) }
        case .fullyConnected(let f):
            let (w, scales) = Int8Plan.quantizeWeights(f.weights, outputs: f.outputs)
            let bias = Int8Plan.quantizeBias(f.bias, inputScale: inParams.scale, weightScales: scales)
            let clamp = Int8Plan.clamp(f.activation, outParams)
            let op = QFullyConnected(inputChannels: f.inputs, outputChannels: f.outputs, weights: w, weightScales: scales,
                                     bias: bias, input: inParams, output: outParams, outputMin: clamp.min,
                                     outputMax: clamp.max, features: features)
            operators.append(op)
            return PlanStep(kernel: op.kernelName) { op.run(input: src, rows: 1, output: dst, pool: pool) }
        case .globalAveragePool:
            let op = QGlobalAveragePool(channels: inShape.channels, input: inParams, output: outParams, features: features)
            operators.append(op)
            let h = inShape.height, wd = inShape.width
            return PlanStep(kernel: op.kernelName) { op.run(input: src, height: h, width: wd, output: dst, pool: pool) }
        case .add(let activation):
            let other = UnsafePointer(buffers[layer.inputs[1]])
            let clamp = Int8Plan.clamp(activation, outParams)
            let op = QAdd(a: inParams, b: params[layer.inputs[1]], output: outParams, outputMin: clamp.min,
                          outputMax: clamp.max, features: features)
            operators.append(op)
            let count = inShape.count
            return PlanStep(kernel: op.kernelName) { op.run(a: src, b: other, count: count, output: dst, pool: pool) }
        case .maxPool(let p):
            return PlanStep(kernel: "u8_maxpool_swift") { MaxPool.run(p, input: src, shape: inShape, output: dst, pool: pool) }
        }
    }

    /// Loads an fp32 input (see `InferencePlan.setInput`).
    public func setInput(_ input: [Float]) {
        precondition(input.count == model.inputShape.count, "input size")
        let p = params[0], dst = buffers[0]
        let inverse = 1 / p.scale, zp = Float(p.zeroPoint)
        for i in input.indices {
            dst[i] = UInt8(min(max((input[i] * inverse).rounded(.toNearestOrEven) + zp, 0), 255))
        }
    }

    /// Runs one inference on the current input.
    public func run() {
        for step in steps { step.run() }
    }

    /// Runs one inference, timing each layer.
    public func runProfiled() -> [UInt64] { steps.runProfiled() }

    /// The logits of the last run.
    public func logits() -> [Float] {
        let last = model.tensorCount - 1, p = params[last]
        return buffers.array(last).map { (Float($0) - Float(p.zeroPoint)) * p.scale }
    }

    /// The raw uint8 output of the last run (determinism checks compare these bytes).
    public func outputBytes() -> [UInt8] { buffers.array(model.tensorCount - 1) }
}
