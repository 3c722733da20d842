import EdgeTrace

/// Reads per-core frequency from cpufreq.
public enum FrequencyReader {
    /// One entry per core 0..<cores that has cpufreq, in core order; stops at the first core
    /// without it so the array stays aligned with core numbers. Empty on machines without
    /// cpufreq (most VMs). Values are kHz in sysfs, MHz here.
    public static func read(_ root: SysRoot, cores: Int, problems: inout ProblemLog) -> [CoreFrequency] {
        var out: [CoreFrequency] = []
        for core in 0..<max(cores, 0) {
            let dir = "/sys/devices/system/cpu/cpu\(core)/cpufreq"
            let curPath = dir + "/scaling_cur_freq"
            let cur: Int64?
            switch root.read(curPath) {
            case .missing:
                // A VM has no cpufreq at all; an offline core keeps its policy directory, so a
                // hole means the tree ends here.
                return out
            case .unreadable(let why):
                problems.report(curPath, why); return out
            case .text(let t):
                cur = SysText.integer(t)
                if cur == nil || cur! <= 0 { problems.report(curPath, "not a frequency in kHz: \"\(SysText.cleanName(String((SysText.trimmed(t) ?? t).prefix(20))))\"") }
            }
            guard let curKHz = cur, curKHz > 0 else { return out }
            // A reading no trace could hold is a broken file, not a clock: left out, reported.
            guard TraceFormat.frequencyRange.contains(Double(curKHz) / 1000) else {
                problems.report(curPath, "implausible frequency \(curKHz) kHz"); return out
            }
            var maxMHz: Double?
            if let t = root.read(dir + "/cpuinfo_max_freq").text {
                if let v = SysText.integer(t), v > 0, TraceFormat.frequencyRange.contains(Double(v) / 1000) { maxMHz = Double(v) / 1000 }
                else { problems.report(dir + "/cpuinfo_max_freq", "not a frequency in kHz") }
            }
            let governor = root.read(dir + "/scaling_governor").text.flatMap(SysText.trimmed).map { SysText.cleanName($0, maxLength: 32) }
            out.append(CoreFrequency(curMHz: Double(curKHz) / 1000, maxMHz: maxMHz, governor: governor))
        }
        return out
    }
}
