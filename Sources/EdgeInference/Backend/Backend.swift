/// Which operators run a model.
public enum Backend: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The plain fp32 reference operators: the oracle, slow on purpose.
    case ref
    /// NNPACK-style fp32 operators (Winograd, packed GEMM, direct depthwise).
    case fp32
    /// QNNPACK-style int8 operators (uint8 activations, int8 per-channel weights).
    case int8

    public var description: String { rawValue }
}

/// Agreement of a backend's logits with the reference backend's on the same seeded input
/// (MLPerf's accuracy metric, next to its latency one).
public struct Quality: Sendable, Equatable {
    /// Cosine similarity of the two logit vectors, -1...1.
    public var cosine: Double
    /// Whether both pick the same top-1 class.
    public var top1Agree: Bool

    /// A quality figure.
    public init(cosine: Double, top1Agree: Bool) { self.cosine = cosine; self.top1Agree = top1Agree }

    /// Compares `logits` with `reference`.
    public init(logits: [Float], reference: [Float]) {
        precondition(logits.count == reference.count, "logit counts differ")
        var dot = 0.0, a2 = 0.0, b2 = 0.0
        for i in logits.indices {
            let a = Double(logits[i]), b = Double(reference[i])
            dot += a * b; a2 += a * a; b2 += b * b
        }
        let denominator = (a2 * b2).squareRoot()
        cosine = denominator > 0 ? dot / denominator : (a2 == b2 ? 1 : 0)
        top1Agree = Quality.argmax(logits) == Quality.argmax(reference)
    }

    /// Index of the largest value (the first on ties); -1 when empty.
    public static func argmax(_ values: [Float]) -> Int {
        var best = -1
        var bestValue = -Float.infinity
        for (i, v) in values.enumerated() where best < 0 || v > bestValue {
            best = i; bestValue = v
        }
        return best
    }
}

/// One layer's share of a profiled inference.
public struct LayerTiming: Sendable {
    public var name: String
    /// Operator kind, e.g. `conv1x1s1`, `dw3x3s2`.
    public var kind: String
    /// The microkernel or operator that ran it.
    public var kernel: String
    public var macs: Int
    public var nanoseconds: UInt64
    /// Output shape, e.g. "56x56x128".
    public var shape: String = ""
}

/// A model compiled for one backend and thread count: operators built, weights packed,
/// every activation buffer allocated once, so `run()` allocates nothing.
public protocol InferencePlan: AnyObject {
    /// The model it runs.
    var model: Model { get }
    /// The backend whose operators it uses.
    var backend: Backend { get }
    /// Threads of its pool, the caller included.
    var threads: Int { get }
    /// The operator or microkernel name of each layer, in layer order.
    var layerKernels: [String] { get }
    /// Loads an fp32 NHWC input (quantized on the way in where the backend needs it).
    func setInput(_ input: [Float])
    /// Runs one inference on the current input.
    func run()
    /// Runs one inference and returns each layer's wall time, in layer order.
    func runProfiled() -> [UInt64]
    /// The output of the last run as fp32 logits (dequantized where needed).
    func logits() -> [Float]
}

extension InferencePlan {
    /// The distinct kernel names, in order of first use.
    public var kernelNames: [String] {
        var seen = Set<String>()
        return layerKernels.filter { seen.insert($0).inserted }
    }

    /// A profiled run, labelled per layer.
    public func profile() -> [LayerTiming] { label(runProfiled()) }

    /// Per-layer `times` (as `runProfiled` returns them) with each layer's name, kind,
    /// shape, MACs and the true name of the kernel that ran it.
    public func label(_ times: [UInt64]) -> [LayerTiming] {
        // A layer run inside the next one's step hands its MACs to that step, so the rates
        // shown are of the work each timed step did.
        let fusedAway = { (j: Int) in j >= 0 && self.layerKernels[j] == FP32Plan.fusedAwayKernel }
        return model.layers.indices.map { i in
            let layer = model.layers[i]
            let macs = fusedAway(i) ? 0 : layer.macs + (fusedAway(i - 1) ? model.layers[i - 1].macs : 0)
            return LayerTiming(name: layer.name, kind: layer.kind, kernel: layerKernels[i],
                               macs: macs, nanoseconds: i < times.count ? times[i] : 0,
                               shape: layer.outputShape.description)
        }
    }
}

/// Seeded model inputs: values uniform in [-1, 1), the range of a normalised image.
public enum SeededInput {
    /// The input used for latency runs and quality figures.
    public static let qualitySeed: UInt64 = 0xC0FFEE
    /// The inputs int8 calibration observes (distinct from the quality input).
    public static let calibrationSeeds: [UInt64] = [0xCA11_0001, 0xCA11_0002, 0xCA11_0003]

    /// `count` seeded values in [-1, 1).
    public static func values(count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in random.uniform(-1, 1) }
    }

    /// The seeded input for a model.
    public static func input(for model: Model, seed: UInt64 = qualitySeed) -> [Float] {
        values(count: model.inputShape.count, seed: seed)
    }
}
