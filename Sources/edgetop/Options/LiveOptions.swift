import ArgumentParser
import EdgeEmulation
import EdgeInference
import EdgeLive
import EdgeTelemetry
import Foundation

/// The options of a live session, shared by the dashboard (`edgetop`) and `edgetop record`:
/// what to run (`ModelOptions`, shared with `bench`), how fast, and with which /proc and /sys.
struct LiveOptions: ParsableArguments {
    @OptionGroup var workload: ModelOptions

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
        var setup = LiveSetup(model: try workload.modelSpec(), backend: try workload.backendValue(),
                              threads: try workload.threadCount(default: cores), targetFPS: targetFPS, profile: profile,
                              sysroot: SysRoot(sysroot), sampleInterval: sampleInterval, recordingTo: recordingTo)
        setup.profileEvery = profileEvery
        setup.processInterval = processInterval
        setup.processTop = processTop
        return setup
    }
}
