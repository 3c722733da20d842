import ArgumentParser
import EdgeEmulation
import EdgeInference
import EdgeTrace
import Foundation

/// What to run and on which (possibly emulated) device: one option group for the dashboard,
/// `record` and `bench`, so the same mistake gets the same message and exit status 2 from each.
///
/// Numbers are read as text and checked here, so a value that is not a number gets the same
/// clear message as one out of range (the parser's own errors would exit with 64).
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: ArgumentHelp("Model family (mobilenet-v1, mobilenet-v2, resnet-18), catalog name (e.g. mobilenet-v1-0.25-128) or a .tflite file; the live commands take it more than once, for the models `m` cycles through.", valueName: "name"))
    var models: [String] = []

    /// The first --model (the one `bench` runs, the one a live session starts with).
    var model: String { models.first ?? "mobilenet-v1" }

    @Option(parsing: .unconditional, help: ArgumentHelp("Width multiplier (MobileNet v1: 0.25, 0.5, 0.75, 1.0; default 1.0).", valueName: "w"))
    var width: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Input resolution (128, 160, 192, 224; default 224).", valueName: "px"))
    var resolution: String?

    @Option(help: ArgumentHelp("Backend: int8, fp32 or ref (default int8; live, a .tflite file's own precision).", valueName: "name"))
    var backend: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Threads, the calling thread included (1-256; default: 1 for bench, else the machine's or the emulated device's cores).", valueName: "n"))
    var threads: String?

    @Option(help: ArgumentHelp("Emulate a device at its own speed: a profile name from profiles/ or a .profile file; latencies, FPS, power and temperature become the device's (see docs/emulation.md).", valueName: "profile"))
    var emulate: String?

    /// Whether --model names a .tflite file: `bench` times one, the live commands refuse it
    /// when they resolve the model, so it is not judged here.
    var namesTFLiteFile: Bool { model.lowercased().hasSuffix(".tflite") }

    func validate() throws {
        if models.contains(where: { $0.lowercased().hasSuffix(".tflite") }) { return }
        _ = try modelSpecs()
        _ = try backendValue()
        _ = try threadCount(default: 1)
    }

    /// The model named by --model (a catalog name, or a family with --width and --resolution);
    /// an option the model cannot honour is an error, not ignored.
    func modelSpec() throws -> ModelSpec {
        var w: Double?, r: Int?
        if let width {
            guard let v = Double(width), v.isFinite else { throw ValidationError("--width must be a number (got '\(sanitize(width))')") }
            w = v
        }
        if let resolution {
            guard let v = Int(resolution) else {
                throw ValidationError("--resolution must be a whole number (got '\(sanitize(resolution))')")
            }
            r = v
        }
        switch ModelSpec.resolve(model: model, width: w, resolution: r) {
        case .success(let spec): return spec
        case .failure(let error): throw ValidationError(sanitize(error.description))
        }
    }

    /// Every --model, in order: built-in names resolved as `modelSpec` does, .tflite files
    /// read and checked now (a bad one is a usage error naming the file).
    func modelSpecs() throws -> [ModelSpec] {
        try (models.isEmpty ? [model] : models).map { name in
            if name.lowercased().hasSuffix(".tflite") {
                do { return try ModelSpec.loadFile(name) } catch { throw ValidationError(sanitize("\(error)")) }
            }
            var one = self
            one.models = [name]
            return try one.modelSpec()
        }
    }

    /// The backend named by --backend (int8 when not given).
    func backendValue() throws -> Backend {
        let backend = self.backend ?? "int8"
        guard let b = Backend(rawValue: backend) else {
            throw ValidationError("unknown backend '\(sanitize(backend))' (known: \(Backend.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return b
    }

    /// --threads, or `fallback` when it is not given.
    func threadCount(default fallback: Int) throws -> Int {
        guard let threads else { return fallback }
        return try ModelOptions.integer("threads", threads, 1...256, "at least 1 and at most 256")
    }

    /// A whole-number option checked against `range`; `rule` says the range in words.
    static func integer(_ name: String, _ text: String, _ range: ClosedRange<Int>, _ rule: String) throws -> Int {
        guard let v = Int(text) else { throw ValidationError("--\(name) must be a whole number (got '\(sanitize(text))')") }
        guard range.contains(v) else { throw ValidationError("--\(name) must be \(rule) (got \(v))") }
        return v
    }

    /// The emulation profile, loaded. A file that cannot be used is reported as
    /// "edgetop: error: FILE:LINE: problem" and ends the command with exit status 2.
    func profile() throws -> DeviceProfile? {
        guard let emulate else { return nil }
        do {
            return try ProfileLocator.load(emulate)
        } catch {
            TraceCLI.error("error: \(error)")
            throw ExitCode(2)
        }
    }
}
