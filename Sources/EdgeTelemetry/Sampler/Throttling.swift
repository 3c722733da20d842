import Foundation
import EdgeTrace

/// Finds the throttling signals a sample shows, as short human-readable lines.
public enum Throttling {
    /// A core busier than this share counts as "under load".
    public static let busyThreshold = 0.8
    /// A core below this share of its maximum frequency while under load is throttled.
    public static let frequencyThreshold = 0.9

    /// Signals for one sample: cores below their maximum frequency under load, and zones
    /// above their passive trip point. Loads and frequencies are matched by core number.
    public static func signals(load: [CoreLoad], frequency: [CoreFrequency], temperatures: [Temperature]) -> [String] {
        var out: [String] = []
        for (core, f) in frequency.enumerated() where core < load.count {
            guard let maxMHz = f.maxMHz, maxMHz > 0, load[core].busy >= busyThreshold else { continue }
            let share = f.curMHz / maxMHz
            if share < frequencyThreshold {
                out.append("cpu\(core) at \(Int((share * 100).rounded()))% of max under load" + (f.emulated ? " (emulated)" : ""))
            }
        }
        for temp in temperatures {
            guard let passive = temp.passiveC, temp.celsius > passive else { continue }
            out.append("\(temp.sensor) \(format(temp.celsius)) °C above passive trip \(format(passive)) °C" + (temp.emulated && !temp.sensor.contains("(emulated)") ? " (emulated)" : ""))
        }
        return out
    }

    private static func format(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}

extension Throttling {
    /// Throttling the kernel reports directly: a cpufreq policy whose `scaling_max_freq` was
    /// lowered below `cpuinfo_max_freq` (thermal or power capping), and thermal cooling
    /// devices in a non-zero state. Fans are active cooling, not throttling, and are left out.
    public static func kernelSignals(_ root: SysRoot, cores: Int, problems: inout ProblemLog) -> [String] {
        var out: [String] = []
        for core in 0..<max(cores, 0) {
            let dir = "/sys/devices/system/cpu/cpu\(core)/cpufreq"
            guard let capText = root.read(dir + "/scaling_max_freq").text else { continue }
            guard let cap = SysText.integer(capText), cap > 0 else {
                problems.report(dir + "/scaling_max_freq", "not a frequency in kHz"); continue
            }
            guard let maxText = root.read(dir + "/cpuinfo_max_freq").text, let max = SysText.integer(maxText), max > 0 else { continue }
            if cap < max { out.append("cpu\(core) capped at \(mhz(cap)) MHz of \(mhz(max)) MHz") }
        }
        let base = "/sys/class/thermal"
        for entry in root.list(base) where entry.hasPrefix("cooling_device") {
            let dir = "\(base)/\(entry)"
            let type = root.read(dir + "/type").text.flatMap(SysText.trimmed).map { SysText.cleanName($0) } ?? entry
            if type.lowercased().contains("fan") { continue }
            guard let stateText = root.read(dir + "/cur_state").text else { continue }
            guard let state = SysText.integer(stateText), state >= 0 else {
                problems.report(dir + "/cur_state", "not a cooling state"); continue
            }
            guard state > 0 else { continue }
            let max = root.read(dir + "/max_state").text.flatMap(SysText.integer)
            out.append("cooling device \(type) at state \(state)" + (max.map { " of \($0)" } ?? ""))
        }
        return out
    }

    private static func mhz(_ khz: Int64) -> String {
        khz % 1000 == 0 ? String(khz / 1000) : String(format: "%.1f", Double(khz) / 1000)
    }
}
