/// Where a session's data came from.
public enum TraceSource: String, Sendable, Equatable, CaseIterable {
    /// Recorded by edgetop on real hardware.
    case recorded
    /// Converted from another tool's log (MLPerf LoadGen, s-tui).
    case imported
    /// Produced under device emulation (`--emulate PROFILE`): temperatures and frequencies are modelled.
    case emulated
}

/// The machine a session ran on.
public struct DeviceInfo: Sendable, Equatable {
    public var cpuModel: String
    public var cores: Int
    public var os: String
    public var kernel: String
    /// Whether the device had any temperature sensor.
    public var hasThermalSensors: Bool

    /// A device description; `hasThermalSensors` false shows as "no sensor", never a made-up reading.
    public init(cpuModel: String, cores: Int, os: String, kernel: String, hasThermalSensors: Bool) {
        self.cpuModel = cpuModel; self.cores = cores; self.os = os
        self.kernel = kernel; self.hasThermalSensors = hasThermalSensors
    }
}

/// The first line of a trace: what, where and when.
public struct TraceHeader: Sendable, Equatable {
    /// Format name written in every trace.
    public static let formatName = "edgetop-trace"
    /// The version this build writes; readers accept versions up to this one.
    public static let currentVersion = 1

    public var version: Int
    public var device: DeviceInfo
    public var source: TraceSource
    /// Model at the session start.
    public var model: String?
    /// Wall-clock start of the session, ISO 8601 (UTC).
    public var startTime: String
    /// Device emulation profile name, when `source == .emulated`.
    public var emulationProfile: String?
    /// Free text: where an imported log came from, its licence.
    public var attribution: String?
    /// Figures another tool computed itself (LoadGen's own summary), kept beside the events
    /// because some logs hold only those, not the per-query latencies.
    public var reported: ReportedSummary?

    /// A header; `reported` carries another tool's own figures for imported logs.
    public init(version: Int = TraceHeader.currentVersion, device: DeviceInfo, source: TraceSource,
                model: String? = nil, startTime: String, emulationProfile: String? = nil,
                attribution: String? = nil, reported: ReportedSummary? = nil) {
        self.version = version; self.device = device; self.source = source; self.model = model
        self.startTime = startTime; self.emulationProfile = emulationProfile
        self.attribution = attribution; self.reported = reported
    }
}
