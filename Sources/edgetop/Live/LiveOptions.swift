import ArgumentParser
import EdgeEmulation
import EdgeImages
import EdgeInference
import EdgeLive
import EdgeTelemetry
import Foundation

/// The options of a live session, shared by the dashboard (`edgetop`) and `edgetop record`:
/// what to run, how fast, on which (possibly emulated) device, with which /proc and /sys.
struct LiveOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Model family (mobilenet-v1, mobilenet-v2, resnet-18), catalog name (e.g. mobilenet-v1-0.25-128) or a .tflite file; repeat it to give the models `m` cycles through (default mobilenet-v1).", valueName: "name"))
    var model: [String] = []

    @Option(help: ArgumentHelp("Feed these labelled images (labels.csv or one subfolder per label) to the .tflite models instead of seeded input, and report their top-1/top-5 accuracy.", valueName: "dir"))
    var images: String?

    @Option(help: ArgumentHelp("MobileNet v1 width multiplier: 0.25, 0.5, 0.75 or 1.0 (default 1.0).", valueName: "w"))
    var width: Double?

    @Option(help: ArgumentHelp("Input resolution: 128, 160, 192 or 224 (default 224).", valueName: "px"))
    var resolution: Int?

    @Option(help: ArgumentHelp("Backend: int8, fp32 or ref (default int8; a .tflite file's own precision).", valueName: "name"))
    var backend: String?

    @Option(help: ArgumentHelp("Worker threads (default: the machine's cores, or the emulated device's).", valueName: "n"))
    var threads: Int?

    @Option(name: .customLong("target-fps"), help: ArgumentHelp("Pace inferences like a camera at this rate; 0 runs back to back. The dashboard's 'missed' is then the share of frames such a camera would drop (deadline misses over frames due).", valueName: "fps"))
    var targetFPS: Double = 0

    @Option(help: ArgumentHelp("Emulate a device at its own speed: a profile name from profiles/ or a .profile file; latencies, FPS, power and temperature become the device's (see docs/emulation.md).", valueName: "profile"))
    var emulate: String?

    @Option(help: ArgumentHelp("Read /proc and /sys under this directory instead of /.", valueName: "dir"))
    var sysroot = "/"

    @Option(name: .customLong("sample-interval"), help: ArgumentHelp("Seconds between system samples.", valueName: "s"))
    var sampleInterval: Double = 0.5

    @Option(name: .customLong("profile-every"), help: ArgumentHelp("Time every layer of one inference in N for the layer table (0: never).", valueName: "n"))
    var profileEvery: Int = 50

    @Option(name: .customLong("process-interval"), help: ArgumentHelp("Seconds between samples of the busiest processes (0: never).", valueName: "s"))
    var processInterval: Double = 2

    @Option(name: .customLong("process-top"), help: ArgumentHelp("Processes kept per sample (the busiest).", valueName: "n"))
    var processTop: Int = 8

    func validate() throws {
        if !(0...1_000_000).contains(profileEvery) { throw ValidationError("--profile-every must be between 0 and 1000000, got \(profileEvery)") }
        if !processInterval.isFinite || (processInterval != 0 && !(0.1...3600).contains(processInterval)) {
            throw ValidationError("--process-interval must be 0 or between 0.1 and 3600 seconds")
        }
        if !(1...64).contains(processTop) { throw ValidationError("--process-top must be between 1 and 64, got \(processTop)") }
        let specs = try modelSpecs()
        if let b = try backendValue(), !specs[0].backends.contains(b) {
            throw ValidationError("--backend \(b): \(specs[0].name) runs on \(specs[0].backends.map(\.rawValue).joined(separator: ", "))")
        }
        if specs.contains(where: \.isFile) && (width != nil || resolution != nil || emulate != nil) {
            throw ValidationError("--width, --resolution and --emulate apply to the built-in models, not to a .tflite file")
        }
        if images != nil && !specs.allSatisfy(\.isFile) {
            throw ValidationError("--images needs .tflite models (the built-ins' weights are seeded, so their accuracy would mean nothing)")
        }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
        if !targetFPS.isFinite || targetFPS < 0 || targetFPS > 10_000 { throw ValidationError("--target-fps must be between 0 and 10000") }
        if !sampleInterval.isFinite || sampleInterval < 0.05 || sampleInterval > 60 {
            throw ValidationError("--sample-interval must be between 0.05 and 60 seconds")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: sysroot, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("--sysroot \(sysroot): no such directory")
        }
    }

    /// The models to run, from each --model (a .tflite file is read and checked here),
    /// --width and --resolution; the first one runs first.
    func modelSpecs() throws -> [ModelSpec] {
        try (model.isEmpty ? ["mobilenet-v1"] : model).map { name in
            if name.lowercased().hasSuffix(".tflite") {
                do { return try ModelSpec.loadFile(name) } catch { throw ValidationError("--model: \(error)") }
            }
            // An option the model cannot honour is an error, not ignored.
            switch ModelSpec.resolve(model: name, width: width, resolution: resolution) {
            case .success(let spec): return spec
            case .failure(let error): throw ValidationError("--model: \(error)")
            }
        }
    }

    /// The backend named by --backend, nil when not given.
    func backendValue() throws -> Backend? {
        guard let backend else { return nil }
        guard let b = Backend(rawValue: backend) else {
            throw ValidationError("--backend must be one of \(Backend.allCases.map(\.rawValue).joined(separator: ", ")), got '\(backend)'")
        }
        return b
    }

    /// The emulation profile, loaded; a bad file is reported with its file and line.
    func profile() throws -> DeviceProfile? {
        guard let emulate else { return nil }
        return try ProfileLocator.load(emulate)
    }

    /// The live session these options describe, ready to `start()`. A profile file that
    /// cannot be used is reported as "edgetop: error: FILE:LINE: problem" with exit status 2.
    func makeSession(recordingTo: String? = nil) throws -> LiveSession {
        LiveSession(setup: try setupReportingErrors(recordingTo: recordingTo))
    }

    /// `setup(recordingTo:)` with a bad profile reported on stderr and turned into exit status 2.
    func setupReportingErrors(recordingTo: String? = nil) throws -> LiveSetup {
        do {
            return try setup(recordingTo: recordingTo)
        } catch let error as ProfileError {
            FileHandle.standardError.write(Data("edgetop: error: \(error)\n".utf8))
            throw ExitCode(2)
        } catch let error as ImageError {
            FileHandle.standardError.write(Data("edgetop: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Everything a `LiveSession` needs, resolved and checked.
    func setup(recordingTo: String? = nil) throws -> LiveSetup {
        let profile = try profile()
        let cores = profile?.cores ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        let specs = try modelSpecs()
        var setup = LiveSetup(model: specs[0], backend: try backendValue() ?? specs[0].backends[0], threads: threads ?? cores,
                              targetFPS: targetFPS, profile: profile, sysroot: SysRoot(sysroot),
                              sampleInterval: sampleInterval, recordingTo: recordingTo)
        setup.profileEvery = profileEvery
        setup.processInterval = processInterval
        setup.processTop = processTop
        if specs.count > 1 || specs[0].isFile { setup.models = specs }
        if let images { setup.labelledInputs = try labelledInputs(images, models: specs) }
        return setup
    }

    /// The images of `directory` as the loop's labelled inputs: decoded once, resized to
    /// each model's input when its plan is built. Every model must carry the same labels,
    /// since one label list scores them all.
    func labelledInputs(_ directory: String, models: [ModelSpec]) throws -> LabelledInputs {
        guard let labels = models[0].labels else {
            throw ImageError(file: models[0].name, "the model carries no labels to score images against")
        }
        for m in models.dropFirst() where m.labels != labels {
            throw ImageError(file: m.name, "its labels differ from \(models[0].name)'s; one --images set scores models with the same labels")
        }
        for m in models where PlanFactory.model(m).inputShape.channels != 3 {
            throw ImageError(file: m.name, "input \(PlanFactory.model(m).inputShape) is not an RGB image")
        }
        let set = try LabelledImages(directory: directory)
        let index = Dictionary(labels.enumerated().map { ($0.element.lowercased(), $0.offset) }, uniquingKeysWith: { a, _ in a })
        var ids: [Int] = []
        var pictures: [RGBImage] = []
        for item in set.items {
            guard let id = index[item.label.lowercased()] else {
                throw ImageError(file: item.path, "label \"\(item.label)\" is not one of the model's \(labels.count) labels")
            }
            ids.append(id)
            pictures.append(try RGBImage.read(path: item.path))
        }
        let decoded = pictures
        return LabelledInputs(labels: ids) { m in
            decoded.map { $0.resized(width: m.inputShape.width, height: m.inputShape.height).pixels.map(Float.init) }
        }
    }
}
