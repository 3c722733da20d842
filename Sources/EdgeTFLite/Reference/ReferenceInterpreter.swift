#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC in nanoseconds (the interpreter does not depend on the inference loop's clock).
enum MonotonicNanoseconds {
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// Runs a TFLite model with plain scalar loops, following TFLite's semantics operator by
/// operator: the `ref` backend that the fast kernels and LiteRT are checked against.
///
/// int8 tensors compute on their stored integers; conv, depthwise and FC accumulate in
/// int32 and requantize either as TFLite's reference kernels do (`.tflite`: a Q31
/// multiplier and two roundings, half away from zero) or as XNNPACK does (`.xnnpack`: the
/// accumulator times a float scale, rounded to nearest even) — LiteRT's default runs
/// XNNPACK, so which one matches it is measured, not assumed.
/// `run` is not reentrant.
public final class ReferenceInterpreter {
    /// How int32 accumulators become int8 outputs.
    public enum Requantization: String, Sendable, CaseIterable {
        /// TFLite reference kernels: QuantizeMultiplier, SaturatingRoundingDoublingHighMul, RoundingDivideByPOT.
        case tflite
        /// XNNPACK: conv/FC as Float(acc) * (inputScale * weightScale / outputScale as Float),
        /// ties to even; ADD and average pool in XNNPACK's own integer and float forms.
        case xnnpack
    }

    /// The model being run.
    public let model: TFLiteModel
    /// The requantization of conv, depthwise and FC layers.
    public let requantization: Requantization
    let graph: Subgraph
    var values: [ReferenceValue?]
    /// Weights transposed for the inner loops, per operator index.
    var prepared: [Int: [Int32]] = [:]
    var preparedFloat: [Int: [Float]] = [:]
    /// Faster implementations of int8 layers by operator index: the layer's input value in,
    /// its output out, usually as `.bytes` so the next kernel takes it without conversion
    /// (a backend's kernels; see `EdgeInference`).
    public var intLayers: [Int: (ReferenceValue) -> ReferenceValue] = [:]
    /// When set, `run` times every operator into `operatorNanoseconds`.
    public var profiling = false
    /// Each operator's wall time in the last profiled `run`, in operator order.
    public private(set) var operatorNanoseconds: [UInt64] = []
    /// Faster implementations of float layers by operator index.
    public var floatLayers: [Int: ([Float]) -> [Float]] = [:]
    /// Keeps every tensor's value after `run` for `bytes(ofTensor:)`; off, each activation is
    /// released after its last reader, so memory the allocator hands out again is still in
    /// cache and the peak holds only the live tensors.
    public var keepsIntermediates = false
    /// Tensors with data in the file. They are decoded (int8 widened) when an operator
    /// without a kernel first reads them: a kernel layer's weights, which the kernels pack
    /// from the file, never are.
    var isConstant: [Bool] = []
    /// Per operator, the activations whose last reader it is (never constants or the output).
    var releasedAfter: [[Int]] = []
    /// Faster implementations of the operators between those layers (ADD, RESIZE_BILINEAR…)
    /// by operator index: every input's value in, in operator order, the output out.
    public var operatorLayers: [Int: ([ReferenceValue]) -> ReferenceValue] = [:]

    /// Checks every operator (an unsupported one is named with its index) and the constant
    /// tensors' types.
    public init(model: TFLiteModel, requantization: Requantization = .xnnpack) throws {
        self.model = model
        self.requantization = requantization
        graph = model.main
        if let first = model.plan().first(where: { $0.unsupported != nil }) {
            throw TFLiteError(file: model.file, context: "operator \(first.index) (\(first.name))", first.unsupported ?? "")
        }
        guard graph.inputs.count == 1, graph.outputs.count == 1 else {
            throw TFLiteError(file: model.file, "\(graph.inputs.count) inputs and \(graph.outputs.count) outputs; edgetop runs models with one of each")
        }
        values = Array(repeating: nil, count: graph.tensors.count)
        isConstant = Array(repeating: false, count: graph.tensors.count)
        for (i, t) in graph.tensors.enumerated() where model.data(of: t) != nil {
            guard [.float32, .int8, .uint8, .int32].contains(t.type) else {
                throw TFLiteError(file: model.file, context: "tensor \(i) (\(t.name))", "constant of type \(t.type) not supported")
            }
            isConstant[i] = true
        }
        try validate()
        var lastUse = [Int](repeating: -1, count: graph.tensors.count)
        for (i, op) in graph.operators.enumerated() {
            for t in op.inputs + op.outputs where t >= 0 && t < lastUse.count { lastUse[t] = i }
        }
        releasedAfter = Array(repeating: [], count: graph.operators.count)
        for (t, i) in lastUse.enumerated() where i >= 0 && !isConstant[t] && !graph.outputs.contains(t) {
            releasedAfter[i].append(t)
        }
        for (i, op) in graph.operators.enumerated() {
            for o in op.outputs where graph.tensors[o].type != .float32 && graph.tensors[o].type != .int32 && graph.tensors[o].quantization == nil {
                throw TFLiteError(file: model.file, context: "operator \(i) (\(op.builtin))", "output tensor \(o) is \(graph.tensors[o].type) without quantization")
            }
        }
    }

    /// The input tensor.
    public var inputTensor: Tensor { graph.tensors[graph.inputs[0]] }
    /// The output tensor.
    public var outputTensor: Tensor { graph.tensors[graph.outputs[0]] }

    /// Runs one inference on the input tensor's bytes; returns the output tensor's bytes.
    public func run(input: [UInt8]) throws -> [UInt8] {
        let t = inputTensor
        guard input.count == t.elementCount * (t.type.byteSize ?? 1) else {
            throw TFLiteError(file: model.file, "input of \(input.count) bytes; tensor \(graph.inputs[0]) \(t.shape) of \(t.type) needs \(t.elementCount * (t.type.byteSize ?? 1))")
        }
        values[graph.inputs[0]] = decode(input[...], as: t.type)
        if profiling {
            if operatorNanoseconds.count != graph.operators.count { operatorNanoseconds = Array(repeating: 0, count: graph.operators.count) }
            for (i, op) in graph.operators.enumerated() {
                let start = MonotonicNanoseconds.now()
                values[op.outputs[0]] = execute(op, index: i)
                release(after: i)
                operatorNanoseconds[i] = MonotonicNanoseconds.now() - start
            }
        } else {
            for (i, op) in graph.operators.enumerated() {
                values[op.outputs[0]] = execute(op, index: i)
                release(after: i)
            }
        }
        // A model may name a constant as its output; constants are decoded when first read.
        let o = graph.outputs[0]
        if values[o] == nil, isConstant[o] { values[o] = decodeConstant(o) }
        guard let result = values[o] else {
            throw TFLiteError(file: model.file, "output tensor \(o) holds no value after the run")
        }
        return encode(result, as: outputTensor.type)
    }

    /// The value of tensor `i` after the last `run` (for layer-by-layer comparisons; an
    /// activation's only with `keepsIntermediates`).
    public func bytes(ofTensor i: Int) -> [UInt8]? {
        values[i].map { encode($0, as: graph.tensors[i].type) }
    }

    func release(after operatorIndex: Int) {
        guard !keepsIntermediates else { return }
        for t in releasedAfter[operatorIndex] { values[t] = nil }
    }

    func execute(_ op: Operator, index: Int) -> ReferenceValue {
        if let f = intLayers[index] { return f(values[op.inputs[0]]!) }
        if let f = floatLayers[index] { return .float(f(values[op.inputs[0]]!.floats)) }
        for t in op.inputs where t >= 0 && values[t] == nil && isConstant[t] { values[t] = decodeConstant(t) }
        if let f = operatorLayers[index] { return f(op.inputs.map { values[$0]! }) }
        switch op.builtin {
        case .conv2D: return convolution(op, index: index, depthwise: false)
        case .depthwiseConv2D: return convolution(op, index: index, depthwise: true)
        case .fullyConnected: return fullyConnected(op, index: index)
        case .add: return add(op)
        case .averagePool2D, .maxPool2D: return pool(op)
        case .mean: return mean(op)
        case .reshape: return values[op.inputs[0]]!
        case .softmax: return softmax(op)
        case .quantize, .dequantize: return quantize(op)
        case .concatenation: return concatenation(op)
        case .pad: return pad(op)
        case .resizeBilinear: return resizeBilinear(op)
        default: fatalError("reference interpreter: \(op.builtin) passed the support check")
        }
    }

    // MARK: Tensor helpers

    func tensor(_ op: Operator, _ i: Int) -> Tensor { graph.tensors[op.inputs[i]] }
    func output(_ op: Operator) -> Tensor { graph.tensors[op.outputs[0]] }
    func scale(_ t: Tensor) -> Float { t.quantization?.scales[0] ?? 1 }
    func zeroPoint(_ t: Tensor) -> Int32 { Int32(t.quantization?.zeroPoints[0] ?? 0) }

    /// The stored-integer range of a quantized type.
    func typeRange(_ t: Tensor) -> (Int32, Int32) {
        switch t.type {
        case .uint8: return (0, 255)
        case .int8: return (-128, 127)
        case .int16: return (-32768, 32767)
        default: return (.min, .max)
        }
    }

    /// TFLite's CalculateActivationRangeQuantized: the fused activation's real bounds,
    /// quantized with round-half-away, intersected with the type's range.
    func activationRange(_ a: FusedActivation, _ t: Tensor) -> (Int32, Int32) {
        let (lo, hi) = typeRange(t)
        let s = scale(t), z = zeroPoint(t)
        func q(_ x: Float) -> Int32 { z + saturatingInt32((x / s).rounded(.toNearestOrAwayFromZero)) }
        switch a {
        case .relu: return (max(lo, q(0)), hi)
        case .relu6: return (max(lo, q(0)), min(hi, q(6)))
        case .reluN1To1: return (max(lo, q(-1)), min(hi, q(1)))
        default: return (lo, hi)
        }
    }

    /// The float clamp of a fused activation.
    func activationRange(_ a: FusedActivation) -> (Float, Float) {
        switch a {
        case .relu: return (0, .infinity)
        case .relu6: return (0, 6)
        case .reluN1To1: return (-1, 1)
        default: return (-.infinity, .infinity)
        }
    }

    /// SAME padding before the first row or column (TFLite puts the odd pixel after).
    func padBefore(_ padding: Padding, input: Int, output: Int, kernel: Int, stride: Int, dilation: Int) -> Int {
        guard padding == .same else { return 0 }
        let effective = (kernel - 1) * dilation + 1
        return max((output - 1) * stride + effective - input, 0) / 2
    }

    // MARK: Bytes

    // TFLite files are little-endian, as are the hosts edgetop builds for (x86-64, arm64),
    // so tensor bytes are copied as they are.
    static func floats(_ b: ArraySlice<UInt8>) -> [Float] { copy(b, as: Float.self) }

    static func int32s(_ b: ArraySlice<UInt8>) -> [Int32] { copy(b, as: Int32.self) }

    static func copy<T>(_ b: ArraySlice<UInt8>, as: T.Type) -> [T] {
        let n = b.count / MemoryLayout<T>.size
        if n == 0 { return [] }
        return [T](unsafeUninitializedCapacity: n) { dst, count in
            b.withUnsafeBytes { src in
                UnsafeMutableRawPointer(dst.baseAddress!).copyMemory(from: src.baseAddress!, byteCount: n * MemoryLayout<T>.size)
            }
            count = n
        }
    }

    /// A constant tensor's value (its type was checked at init).
    func decodeConstant(_ i: Int) -> ReferenceValue {
        let t = graph.tensors[i], data = model.data(of: t) ?? []
        switch t.type {
        case .float32: return .float(Self.floats(data))
        case .int8: return .int(data.map { Int32(Int8(bitPattern: $0)) })
        case .uint8: return .int(data.map { Int32($0) })
        default: return .int(Self.int32s(data))
        }
    }

    func decode(_ b: ArraySlice<UInt8>, as type: TensorType) -> ReferenceValue {
        switch type {
        case .float32: return .float(Self.floats(b))
        // int8 and uint8 inputs stay bytes (widened only if a reference loop reads them), as
        // the kernels take them.
        case .int8: return .bytes(b.map { $0 &+ 128 }, offset: 128)
        case .uint8: return .bytes(Array(b), offset: 0)
        case .int32: return .int(Self.int32s(b))
        default: return .int(b.map { Int32($0) })
        }
    }

    func encode(_ v: ReferenceValue, as type: TensorType) -> [UInt8] {
        switch v {
        case .float(let f):
            return f.withUnsafeBytes { Array($0) }
        case .int(let i):
            if type == .int32 { return i.withUnsafeBytes { Array($0) } }
            return i.map { UInt8(truncatingIfNeeded: $0) }
        case .bytes(let b, let offset):
            return offset == 0 ? b : b.map { $0 &- UInt8(truncatingIfNeeded: offset) }
        }
    }
}
