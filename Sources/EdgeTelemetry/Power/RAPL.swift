import EdgeTrace

/// One RAPL energy counter from /sys/class/powercap (Intel, and AMD Zen since Linux 5.8).
public struct EnergyCounter: Sendable, Equatable {
    /// The domain's name with its parents, e.g. "package-0", "package-0 core".
    public var domain: String
    /// Cumulative energy in microjoules.
    public var microjoules: UInt64
    /// Where the counter wraps to 0, in microjoules (max_energy_range_uj).
    public var rangeMicrojoules: UInt64?
}

/// Reads RAPL energy counters and turns two readings into watts.
public enum RAPL {
    static let base = "/sys/class/powercap"

    /// Every `intel-rapl:*` zone with a readable counter. Since 2020 kernels let only root
    /// read `energy_uj`; a permission error therefore means "no reading", not a problem.
    public static func read(_ root: SysRoot, problems: inout ProblemLog) -> [EnergyCounter] {
        var out: [EnergyCounter] = []
        let zones = root.list(base).filter { $0.hasPrefix("intel-rapl:") }
        var names: [String: String] = [:]
        for zone in zones {
            names[zone] = root.read("\(base)/\(zone)/name").text.flatMap(SysText.trimmed).map { SysText.cleanName($0, maxLength: 32) } ?? zone
        }
        for zone in zones {
            let path = "\(base)/\(zone)/energy_uj"
            switch root.read(path) {
            case .missing: continue
            case .unreadable(let why):
                if !why.lowercased().contains("permission") { problems.report(path, why) }
                continue
            case .text(let t):
                guard let v = SysText.trimmed(t).flatMap({ UInt64($0) }) else {
                    problems.report(path, "not an energy in µJ"); continue
                }
                // "intel-rapl:0:1" is a subzone of "intel-rapl:0": name it "package-0 uncore".
                let parts = zone.split(separator: ":")
                var domain = names[zone]!
                if parts.count == 3, let parent = names[parts.prefix(2).joined(separator: ":")] { domain = "\(parent) \(domain)" }
                let range = root.read("\(base)/\(zone)/max_energy_range_uj").text.flatMap(SysText.trimmed).flatMap { UInt64($0) }
                out.append(EnergyCounter(domain: domain, microjoules: v, rangeMicrojoules: range))
            }
        }
        return out
    }

    /// Mean power per domain between two readings `seconds` apart; a counter that wrapped is
    /// unwrapped with its range, one that went backwards without a range is left out.
    public static func power(from old: [EnergyCounter], to new: [EnergyCounter], seconds: Double) -> [PowerReading] {
        guard seconds > 0, seconds.isFinite else { return [] }
        return new.compactMap { b in
            guard let a = old.first(where: { $0.domain == b.domain }) else { return nil }
            let delta: UInt64
            if b.microjoules >= a.microjoules { delta = b.microjoules - a.microjoules }
            else if let range = b.rangeMicrojoules, range >= a.microjoules { delta = range - a.microjoules + b.microjoules }
            else { return nil }
            let watts = Double(delta) / 1e6 / seconds
            // A counter that jumped by more than a trace can hold is misread, not power.
            guard TraceFormat.wattsRange.contains(watts) else { return nil }
            return PowerReading(source: b.domain, watts: (watts * 1000).rounded() / 1000)
        }
    }
}
