import Foundation
import EdgeTrace

/// Reads every temperature the kernel exposes: thermal zones first, then hwmon chips that
/// are not already a thermal zone. A machine without sensors gives an empty list, never a
/// placeholder value.
public enum ThermalReader {
    /// Readings outside this range (°C) are a broken sensor or a sentinel, not a temperature.
    static let plausible: ClosedRange<Double> = -60...250

    /// All temperatures under `root`, zones then hwmon, each in natural directory order.
    public static func read(_ root: SysRoot, problems: inout ProblemLog) -> [Temperature] {
        let zones = thermalZones(root, problems: &problems)
        // thermal_hwmon registers each zone again as a hwmon chip named after the zone type
        // with '-' turned into '_' (Raspberry Pi "cpu_thermal", laptops "acpitz").
        let zoneNames = Set(zones.map { $0.sensor.replacingOccurrences(of: "-", with: "_") })
        return zones + hwmon(root, skipping: zoneNames, problems: &problems)
    }

    /// /sys/class/thermal/thermal_zone*: type, temp (m°C) and trip points.
    public static func thermalZones(_ root: SysRoot, problems: inout ProblemLog) -> [Temperature] {
        let base = "/sys/class/thermal"
        var out: [Temperature] = []
        for entry in root.list(base) where entry.hasPrefix("thermal_zone") {
            let dir = "\(base)/\(entry)"
            let name = root.read(dir + "/type").text.flatMap(SysText.trimmed).map { SysText.cleanName($0) } ?? entry
            guard let c = celsius(root, dir + "/temp", problems: &problems) else { continue }
            var passive: Double?, critical: Double?
            for trip in 0..<64 {
                let typePath = "\(dir)/trip_point_\(trip)_type"
                guard let type = root.read(typePath).text.flatMap(SysText.trimmed) else { break }
                let tempPath = "\(dir)/trip_point_\(trip)_temp"
                guard let text = root.read(tempPath).text, let milli = SysText.integer(text) else {
                    problems.report(tempPath, "not a temperature in m°C"); continue
                }
                // x86_pkg_temp and some ACPI zones leave trips at 0 to mean "not set".
                guard milli > 0 else { continue }
                let v = Double(milli) / 1000
                switch type {
                case "passive": passive = min(passive ?? v, v)
                case "critical": critical = min(critical ?? v, v)
                default: break   // "active" (fans) and "hot" do not throttle the CPU
                }
            }
            out.append(Temperature(sensor: name, celsius: c, passiveC: passive, criticalC: critical))
        }
        return out
    }

    /// /sys/class/hwmon/hwmon*: temp*_input with temp*_label and temp*_crit.
    public static func hwmon(_ root: SysRoot, skipping: Set<String> = [], problems: inout ProblemLog) -> [Temperature] {
        let base = "/sys/class/hwmon"
        var out: [Temperature] = []
        for entry in root.list(base) where entry.hasPrefix("hwmon") {
            var dir = "\(base)/\(entry)"
            // Older drivers keep their attributes in the device directory.
            if !root.exists(dir + "/name"), root.exists(dir + "/device/name") { dir += "/device" }
            let chip = root.read(dir + "/name").text.flatMap(SysText.trimmed).map { SysText.cleanName($0) } ?? entry
            if skipping.contains(chip) { continue }
            let inputs = root.list(dir).compactMap { file -> Int? in
                guard file.hasPrefix("temp"), file.hasSuffix("_input") else { return nil }
                return Int(file.dropFirst(4).dropLast(6))
            }.sorted()
            for n in inputs {
                guard let c = celsius(root, "\(dir)/temp\(n)_input", problems: &problems) else { continue }
                let label = root.read("\(dir)/temp\(n)_label").text.flatMap(SysText.trimmed).map { SysText.cleanName($0) } ?? "temp\(n)"
                var crit: Double?
                if let t = root.read("\(dir)/temp\(n)_crit").text {
                    if let m = SysText.integer(t), m > 0 { crit = Double(m) / 1000 }
                    else { problems.report("\(dir)/temp\(n)_crit", "not a temperature in m°C") }
                }
                out.append(Temperature(sensor: "\(chip) \(label)", celsius: c, criticalC: crit))
            }
        }
        return out
    }

    /// A temperature file in m°C as °C, or nil (reported) when it is unreadable or garbage.
    static func celsius(_ root: SysRoot, _ path: String, problems: inout ProblemLog) -> Double? {
        switch root.read(path) {
        case .missing:
            problems.report(path, "missing"); return nil
        case .unreadable(let why):
            problems.report(path, why); return nil
        case .text(let t):
            guard let milli = SysText.integer(t) else {
                problems.report(path, t.isEmpty ? "empty" : "not a temperature in m°C: \"\(SysText.cleanName(String((SysText.trimmed(t) ?? t).prefix(20))))\"")
                return nil
            }
            let c = Double(milli) / 1000
            guard plausible.contains(c) else {
                problems.report(path, "implausible reading \(milli) m°C"); return nil
            }
            return c
        }
    }
}
