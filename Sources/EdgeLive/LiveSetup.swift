import EdgeEmulation
import EdgeInference
import EdgeTelemetry

/// A resolved live-session configuration.
public struct LiveSetup: Sendable {
    /// The model the loop runs.
    public var model: ModelSpec
    /// The backend the loop runs it on.
    public var backend: Backend
    /// Worker threads, the loop's own included.
    public var threads: Int
    /// Camera-like pacing in frames per second; 0 runs back to back.
    public var targetFPS: Double
    /// Device emulation, when asked for.
    public var profile: DeviceProfile?
    /// Where /proc and /sys are read.
    public var sysroot: SysRoot
    /// Seconds between system samples.
    public var sampleInterval: Double
    /// The trace being written, shown in the header line.
    public var recordingTo: String?
    /// Profile one inference in this many for the layer table (0: never).
    public var profileEvery = 50
    /// Seconds between samples of the busiest processes (0: never).
    public var processInterval = 2.0
    /// Processes kept per sample.
    public var processTop = 8
    /// Labelled images to feed instead of the seeded input, scored as they run (`--images`).
    public var labelledInputs: LabelledInputs?
    /// The models `m` cycles through (`--model` given more than once, or files); empty:
    /// the built-in cycle.
    public var models: [ModelSpec] = []

    /// A configuration as the command line resolved it.
    public init(model: ModelSpec, backend: Backend, threads: Int, targetFPS: Double, profile: DeviceProfile?,
                sysroot: SysRoot, sampleInterval: Double, recordingTo: String?) {
        self.model = model; self.backend = backend; self.threads = threads; self.targetFPS = targetFPS
        self.profile = profile; self.sysroot = sysroot; self.sampleInterval = sampleInterval; self.recordingTo = recordingTo
    }
}
