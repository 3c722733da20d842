import ArgumentParser
import EdgeEmulation
import EdgeInference
import EdgeLive
import EdgeTelemetry
import Foundation

/// The options of a live session, shared by the dashboard (`edgetop`) and `edgetop record`:
/// what to run, how fast, on which (possibly emulated) device, with which /proc and /sys.
struct LiveOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Model family (mobilenet-v1, mobilenet-v2, resnet-18) or catalog name (e.g. mobilenet-v1-0.25-128).", valueName: "name"))
    var model = "mobilenet-v1"

    @Option(help: ArgumentHelp("MobileNet v1 width multiplier: 0.25, 0.5, 0.75 or 1.0 (default 1.0).", valueName: "w"))
    var width: Double?

    @Option(help: ArgumentHelp("Input resolution: 128, 160, 192 or 224 (default 224).", valueName: "px"))
    var resolution: Int?

    @Option(help: ArgumentHelp("Backend: int8, fp32 or ref.", valueName: "name"))
    var backend = "int8"

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
        _ = try modelSpec()
        _ = try backendValue()
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

    /// The model to run, from --model, --width and --resolution.
    func modelSpec() throws -> ModelSpec {
        // An option the model cannot honour is an error, not ignored.
        switch ModelSpec.resolve(model: model, width: width, resolution: resolution) {
        case .success(let spec): return spec
        case .failure(let error): throw ValidationError("--model: \(error)")
        }
    }

    /// The backend named by --backend.
    func backendValue() throws -> Backend {
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
        }
    }

    /// Everything a `LiveSession` needs, resolved and checked.
    func setup(recordingTo: String? = nil) throws -> LiveSetup {
        let profile = try profile()
        let cores = profile?.cores ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        var setup = LiveSetup(model: try modelSpec(), backend: try backendValue(), threads: threads ?? cores,
                         targetFPS: targetFPS, profile: profile, sysroot: SysRoot(sysroot),
                         sampleInterval: sampleInterval, recordingTo: recordingTo)
        setup.profileEvery = profileEvery
        setup.processInterval = processInterval
        setup.processTop = processTop
        return setup
    }
}
