import EdgeTrace

/// Who the metrics describe: the `device` label every series carries, and whether the
/// session's figures are measured here or come from device emulation (`origin`).
public struct MetricsIdentity: Sendable, Equatable {
    /// The `device` label: a name chosen for the fleet (hostname by default).
    public var device: String
    /// True when the session runs under device emulation; its series say `origin="emulated"`.
    public var emulated: Bool
    /// The edgetop version, for `edgetop_build_info`.
    public var version: String

    /// An identity; `device` is sanitized so no control character reaches a scrape.
    public init(device: String, emulated: Bool, version: String = MetricsIdentity.edgetopVersion) {
        self.device = sanitize(device)
        self.emulated = emulated
        self.version = version
    }

    /// The version this build reports.
    public static let edgetopVersion = "0.1.0"

    /// `"emulated"` or `"live"`, as a label value.
    public var origin: String { emulated ? "emulated" : "live" }
}
