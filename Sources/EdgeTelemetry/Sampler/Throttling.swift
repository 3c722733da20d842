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
