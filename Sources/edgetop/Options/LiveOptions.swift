import ArgumentParser
import EdgeEmulation
import EdgeImages
import EdgeInference
import EdgeLive
import EdgeTelemetry
import EdgeTrace
import Foundation

/// The options of a live session, shared by the dashboard (`edgetop`) and `edgetop record`:
/// what to run (`ModelOptions`, shared with `bench`), how fast, and with which /proc and /sys.
struct LiveOptions: ParsableArguments {
    @OptionGroup var workload: ModelOptions

    @Option(help: ArgumentHelp("Feed these labelled images (labels.csv or one subfolder per label) to the .tflite models instead of seeded input, and report their top-1/top-5 accuracy.", valueName: "dir"))
    var images: String?

    @Option(name: .customLong("target-fps"), help: ArgumentHelp("Pace inferences like a camera at this rate; 0 runs back to back. The dashboard's 'missed' is then the share of frames such a camera would drop (deadline misses over frames due).", valueName: "fps"))
    var targetFPS: Double = 0

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
        let specs = try workload.modelSpecs()
        _ = try workload.threadCount(default: 1)
        if workload.backend != nil, case let b = try workload.backendValue(), !specs[0].backends.contains(b) {
            throw ValidationError("--backend \(b): \(specs[0].name) runs on \(specs[0].backends.map(\.rawValue).joined(separator: ", "))")
        }
        if specs.contains(where: \.isFile) && (workload.width != nil || workload.resolution != nil || workload.emulate != nil) {
            throw ValidationError("--width, --resolution and --emulate apply to the built-in models, not to a .tflite file")
        }
        if images != nil && !specs.allSatisfy(\.isFile) {
            throw ValidationError("--images needs .tflite models (the built-ins' weights are seeded, so their accuracy would mean nothing)")
        }
        if !targetFPS.isFinite || targetFPS < 0 || targetFPS > 10_000 { throw ValidationError("--target-fps must be between 0 and 10000") }
        if !sampleInterval.isFinite || sampleInterval < 0.05 || sampleInterval > 60 {
            throw ValidationError("--sample-interval must be between 0.05 and 60 seconds")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: sysroot, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("--sysroot \(sysroot): no such directory")
        }
    }

    /// The live session these options describe, ready to `start()`.
    func makeSession(recordingTo: String? = nil) throws -> LiveSession {
        LiveSession(setup: try setup(recordingTo: recordingTo))
    }

    /// Everything a `LiveSession` needs, resolved and checked. A profile file that cannot
    /// be used is reported as "edgetop: error: FILE:LINE: problem" with exit status 2.
    func setup(recordingTo: String? = nil) throws -> LiveSetup {
        let profile = try workload.profile()
        let cores = profile?.cores ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        let specs = try workload.modelSpecs()
        var setup = LiveSetup(model: specs[0], backend: workload.backend == nil ? specs[0].backends[0] : try workload.backendValue(),
                              threads: try workload.threadCount(default: cores), targetFPS: targetFPS, profile: profile,
                              sysroot: SysRoot(sysroot), sampleInterval: sampleInterval, recordingTo: recordingTo)
        setup.profileEvery = profileEvery
        setup.processInterval = processInterval
        setup.processTop = processTop
        if specs.count > 1 || specs[0].isFile { setup.models = specs }
        if let images {
            do {
                setup.labelledInputs = try labelledInputs(images, models: specs)
            } catch let error as ImageError {
                TraceCLI.error("error: \(error)")
                throw ExitCode(1)
            }
        }
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
