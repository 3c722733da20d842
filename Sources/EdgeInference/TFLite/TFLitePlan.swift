import EdgeCore
import EdgeKernels
import EdgeTFLite
import EdgeTrace
import Synchronization

/// The TensorFlow Lite files named on the command line, read and checked once so that a
/// plan built later on the loop's thread never meets an unreadable or unsupported file.
public enum TFLiteFiles {
    private static let loaded = Locked<[String: TFLiteModel]>([:])

    /// Reads and checks `path` (every operator supported, the kernels able to take its
    /// layers); throws the reader's `FILE: problem` error otherwise.
    public static func load(_ path: String) throws -> TFLiteModel {
        if let m = loaded.withLock({ $0[path] }) { return m }
        let m = try TFLiteModel.read(path: path)
        let interpreter = try ReferenceInterpreter(model: m)
        if m.precision != .mixed { try TFLiteKernels.attach(to: interpreter, pool: ThreadPool(threads: 1)) }
        let t = interpreter.inputTensor
        guard t.shape.count == 4, t.shape[0] == 1, t.shape[1] > 0, t.shape[2] > 0, t.shape[3] > 0 else {
            throw TFLiteError(file: m.file, "input \(t.shape) is not one NHWC image (1xHxWxC), which the inference loop feeds")
        }
        loaded.withLock { $0[path] = m }
        return m
    }

    /// The model of a file spec, as `load` left it.
    static func model(of spec: ModelSpec) -> TFLiteModel {
        guard case .file(let path, _) = spec else { preconditionFailure("\(spec) is not a file model") }
        guard let m = loaded.withLock({ $0[path] }) else {
            preconditionFailure("\(path) was not loaded through ModelSpec.loadFile before use")
        }
        return m
    }

    /// edgetop's view of a file model: its name and input shape, no layers (the operators
    /// are the file's, run by the interpreter, not edgetop's graph).
    static func graph(of spec: ModelSpec) -> Model {
        let m = model(of: spec), t = m.main.tensors[m.main.inputs[0]]
        return Model(name: spec.name, inputShape: TensorShape(height: t.shape[1], width: t.shape[2], channels: t.shape[3]), layers: [])
    }
}

extension ModelSpec {
    /// A file model for `path`: the file is read and checked now; its native backend is
    /// `int8` or `fp32` after its precision (`ref` alone for a model that mixes them).
    public static func loadFile(_ path: String) throws -> ModelSpec {
        let m = try TFLiteFiles.load(path)
        switch m.precision {
        case .int8: return .file(path: path, native: .int8)
        case .fp32: return .file(path: path, native: .fp32)
        case .mixed: return .file(path: path, native: .ref)
        }
    }

    /// The backends the model runs on: all three for the built-ins, a file's native
    /// backend and `ref` for a file.
    public var backends: [Backend] {
        guard case .file(_, let native) = self else { return [.int8, .fp32, .ref] }
        return native == .ref ? [.ref] : [native, .ref]
    }

    /// The int8 and fp32 variants of one model among `models`: file pairs with one int8 and
    /// one fp32 file whose input shape, output shape and labels are the same.
    public static func pairs(_ models: [ModelSpec]) -> [(int8: ModelSpec, fp32: ModelSpec)] {
        func signature(_ m: ModelSpec) -> ([Int], [Int], [String]?) {
            let f = TFLiteFiles.model(of: m), g = f.main
            return (g.tensors[g.inputs[0]].shape, g.tensors[g.outputs[0]].shape, f.labels)
        }
        var found: [(int8: ModelSpec, fp32: ModelSpec)] = []
        for a in models where a.isFile && a.backends.first == .int8 {
            let sa = signature(a)
            if let b = models.first(where: { b in
                guard b.isFile, b.backends.first == .fp32 else { return false }
                let sb = signature(b)
                return sb.0 == sa.0 && sb.1 == sa.1 && sb.2 == sa.2
            }) { found.append((a, b)) }
        }
        return found
    }

    /// Whether the model is a TensorFlow Lite file.
    public var isFile: Bool {
        if case .file = self { return true }
        return false
    }

    /// The labels carried by a file model (nil for built-ins and files without them).
    public var labels: [String]? { isFile ? TFLiteFiles.model(of: self).labels : nil }

    /// A file's name as traces and the screen show it: the last path component, sanitised.
    static func fileName(_ path: String) -> String {
        let last = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        return sanitize(last)
    }
}

/// Runs a TensorFlow Lite file in the inference loop: the reference interpreter with its
/// conv, depthwise and FC layers on the kernels (`int8`/`fp32`), or alone (`ref`).
///
/// `setInput` takes pixel values 0…255 in HWC order, the form an image has before the
/// model's own conversion: uint8 inputs take them as they are, int8 ones less 128, float
/// ones scaled to [-1, 1] (the MobileNet/EfficientNet-Lite convention), as `bench` does.
public final class TFLitePlan: InferencePlan {
    /// The file's name and input shape (no layers).
    public let model: Model
    /// The backend it runs on (`ref` where the file's precision has no kernels).
    public let backend: Backend
    /// Threads of the kernels' pool.
    public let threads: Int
    /// The file it runs.
    public let file: TFLiteModel
    private let interpreter: ReferenceInterpreter
    private var input: [UInt8]
    private var output: [UInt8] = []

    /// A plan for the file spec `spec` (loaded through `ModelSpec.loadFile`) on `backend`.
    public init(spec: ModelSpec, backend: Backend, threads: Int) {
        file = TFLiteFiles.model(of: spec)
        model = TFLiteFiles.graph(of: spec)
        self.threads = max(1, threads)
        // A backend the file does not run on falls back to ref rather than failing mid-session.
        self.backend = spec.backends.contains(backend) ? backend : .ref
        do {
            interpreter = try ReferenceInterpreter(model: file)
            if self.backend != .ref { try TFLiteKernels.attach(to: interpreter, pool: ThreadPool(threads: self.threads)) }
        } catch {
            preconditionFailure("\(file.file) passed TFLiteFiles.load but failed now: \(error)")
        }
        input = TFLitePlan.seededInput(for: interpreter.inputTensor)
    }

    /// Empty: the file's operators are not layers of edgetop's graph.
    public var layerKernels: [String] { [] }

    /// Loads pixels 0…255 (HWC) converted to the input's type; a wrong count is ignored.
    public func setInput(_ pixels: [Float]) {
        guard pixels.count == interpreter.inputTensor.elementCount else { return }
        input = PixelBytes(tensor: interpreter.inputTensor).bytes(pixels)
    }

    /// Runs the file once on the current input.
    public func run() {
        // The input was sized to the tensor, so the interpreter has nothing to refuse.
        if let out = try? interpreter.run(input: input) { output = out }
    }

    /// No per-layer times: the file's operators are not layers of edgetop's graph.
    public func runProfiled() -> [UInt64] { run(); return [] }

    /// The last output, dequantized.
    public func logits() -> [Float] { TFLitePlan.dequantize(output, tensor: interpreter.outputTensor) }

    /// Agreement with `ref` on the seeded input: the file run by the reference interpreter
    /// alone; afterwards the plan holds the seeded input again.
    public func quality() -> Quality {
        input = TFLitePlan.seededInput(for: interpreter.inputTensor)
        if backend == .ref { return Quality(cosine: 1, top1Agree: true) }
        run()
        guard let reference = try? ReferenceInterpreter(model: file), let out = try? reference.run(input: input),
              out.count == output.count else { return Quality(cosine: 0, top1Agree: false) }
        return Quality(logits: logits(), reference: TFLitePlan.dequantize(out, tensor: reference.outputTensor))
    }

    /// Real values of an output: scale * (q - zero point) for quantized tensors.
    static func dequantize(_ bytes: [UInt8], tensor t: Tensor) -> [Float] {
        let scale = t.quantization?.scales.first ?? 1, zero = Float(t.quantization?.zeroPoints.first ?? 0)
        switch t.type {
        case .uint8: return bytes.map { scale * (Float($0) - zero) }
        case .int8: return bytes.map { scale * (Float(Int8(bitPattern: $0)) - zero) }
        default:
            return stride(from: 0, to: bytes.count - 3, by: 4).map { (p: Int) -> Float in
                Float(bitPattern: UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24)
            }
        }
    }

    /// Seeded pixels 0…255 as the input's bytes (latency does not depend on the values).
    static func seededInput(for t: Tensor) -> [UInt8] {
        var state: UInt64 = 0x5EED
        let pixels = (0..<t.elementCount).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 56)
        }
        return PixelBytes(tensor: t).bytes(pixels)
    }
}

/// The pixel-to-byte conversion of `TFLitePlan.setInput`, shared with the seeded input.
private struct PixelBytes {
    let tensor: Tensor
    func bytes(_ pixels: [Float]) -> [UInt8] {
        switch tensor.type {
        case .uint8: return pixels.map { UInt8(clamping: Int($0.rounded())) }
        case .int8: return pixels.map { UInt8(bitPattern: Int8(clamping: Int($0.rounded()) - 128)) }
        default:
            var out: [UInt8] = []
            out.reserveCapacity(pixels.count * 4)
            for p in pixels {
                let u = ((p - 127.5) / 127.5).bitPattern
                out += [UInt8(u & 0xFF), UInt8(u >> 8 & 0xFF), UInt8(u >> 16 & 0xFF), UInt8(u >> 24)]
            }
            return out
        }
    }
}
