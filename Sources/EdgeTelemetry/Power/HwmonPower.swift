import EdgeTrace

/// Reads the power meters hwmon drivers expose (amdgpu, some ARM boards' INA monitors,
/// server BMC bridges): `power*_average` or `power*_input` in microwatts.
public enum HwmonPower {
    /// Every power reading under /sys/class/hwmon, named "chip label" (e.g. "amdgpu PPT"),
    /// in directory order. A file that is not a number is reported and left out.
    public static func read(_ root: SysRoot, problems: inout ProblemLog) -> [PowerReading] {
        let base = "/sys/class/hwmon"
        var out: [PowerReading] = []
        for entry in root.list(base) where entry.hasPrefix("hwmon") {
            var dir = "\(base)/\(entry)"
            if !root.exists(dir + "/name"), root.exists(dir + "/device/name") { dir += "/device" }
            let chip = root.read(dir + "/name").text.flatMap(SysText.trimmed).map { SysText.cleanName($0) } ?? entry
            let files = root.list(dir)
            // The average is what a driver means as "the power"; the instantaneous input only where there is no average.
            let numbers = Set(files.compactMap { file -> Int? in
                guard file.hasPrefix("power") else { return nil }
                if file.hasSuffix("_average") { return Int(file.dropFirst(5).dropLast(8)) }
                if file.hasSuffix("_input") { return Int(file.dropFirst(5).dropLast(6)) }
                return nil
            }).sorted()
            for n in numbers {
                let path = files.contains("power\(n)_average") ? "\(dir)/power\(n)_average" : "\(dir)/power\(n)_input"
                guard let text = root.read(path).text else { continue }
                guard let micro = SysText.integer(text), micro >= 0 else {
                    problems.report(path, "not a power in µW"); continue
                }
                guard TraceFormat.wattsRange.contains(Double(micro) / 1e6) else {
                    problems.report(path, "implausible power \(micro) µW"); continue
                }
                let label = root.read("\(dir)/power\(n)_label").text.flatMap(SysText.trimmed).map { SysText.cleanName($0) } ?? "power\(n)"
                out.append(PowerReading(source: "\(chip) \(label)", watts: Double(micro) / 1e6))
            }
        }
        return out
    }
}
