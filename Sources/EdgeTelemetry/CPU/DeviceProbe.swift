import Foundation
import EdgeTrace

/// Reads what the trace header needs about the machine: CPU model, core count, OS, kernel.
public enum DeviceProbe {
    /// Probes `root`; anything unreadable becomes "unknown" and is reported to `problems`.
    /// `hasThermalSensors` is filled from a temperature read of the same root.
    public static func probe(_ root: SysRoot, problems: inout ProblemLog) -> DeviceInfo {
        let cpuinfoText = root.read("/proc/cpuinfo").text ?? ""
        if cpuinfoText.isEmpty { problems.report("/proc/cpuinfo", "missing or empty") }
        let cpu = CPUInfo.parse(cpuinfoText)
        let cores = max(cpu.processors, presentCores(root) ?? 0)
        let temps = ThermalReader.read(root, problems: &problems)
        return DeviceInfo(cpuModel: cpuModel(cpu, root: root), cores: cores,
                          os: osName(root), kernel: kernel(root, problems: &problems),
                          hasThermalSensors: !temps.isEmpty)
    }

    /// The CPU as a user would name it: the x86 model name, or the ARM board/SoC with its
    /// cores ("Raspberry Pi 4 Model B Rev 1.4 (4× Cortex-A72)").
    static func cpuModel(_ cpu: CPUInfo, root: SysRoot) -> String {
        if let name = cpu.modelName, cpu.coreParts.isEmpty { return name }
        let board = ["/proc/device-tree/model", "/sys/firmware/devicetree/base/model"]
            .lazy.compactMap { root.read($0).text.flatMap(SysText.trimmed) }.first
            .map { SysText.cleanName($0, maxLength: 96) }
        let name = board ?? cpu.boardModel ?? cpu.hardware ?? cpu.modelName
        switch (name, cpu.coreSummary) {
        case let (n?, s?): return "\(n) (\(s))"
        case let (n?, nil): return n
        case let (nil, s?): return s
        default: return "unknown"
        }
    }

    /// Cores the kernel knows of, online or not, from /sys/devices/system/cpu/present ("0-7").
    static func presentCores(_ root: SysRoot) -> Int? {
        guard let text = root.read("/sys/devices/system/cpu/present").text.flatMap(SysText.trimmed) else { return nil }
        var count = 0
        for range in text.split(separator: ",") {
            let ends = range.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if ends.count == 1, ends[0] != nil { count += 1 }
            else if ends.count == 2, let a = ends[0], let b = ends[1], b >= a, b - a < 65536 { count += b - a + 1 }
            else { return nil }
        }
        return count
    }

    /// PRETTY_NAME from /etc/os-release, else the Android release from build.prop.
    static func osName(_ root: SysRoot) -> String {
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            guard let text = root.read(path).text else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
                var v = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: .whitespaces)
                if v.count >= 2, let f = v.first, f == "\"" || f == "'", v.last == f { v = String(v.dropFirst().dropLast()) }
                if !v.isEmpty { return SysText.cleanName(v, maxLength: 96) }
            }
        }
        if let text = root.read("/system/build.prop").text {
            for line in text.split(separator: "\n") where line.hasPrefix("ro.build.version.release=") {
                let v = line.dropFirst("ro.build.version.release=".count).trimmingCharacters(in: .whitespaces)
                if !v.isEmpty { return "Android " + SysText.cleanName(v, maxLength: 32) }
            }
        }
        return "unknown"
    }

    /// The kernel release, e.g. "6.8.0-45-generic".
    static func kernel(_ root: SysRoot, problems: inout ProblemLog) -> String {
        switch root.read("/proc/sys/kernel/osrelease") {
        case .text(let t):
            if let v = SysText.trimmed(t) { return SysText.cleanName(v, maxLength: 96) }
            problems.report("/proc/sys/kernel/osrelease", "empty")
        case .unreadable(let why): problems.report("/proc/sys/kernel/osrelease", why)
        case .missing: break
        }
        return "unknown"
    }
}
