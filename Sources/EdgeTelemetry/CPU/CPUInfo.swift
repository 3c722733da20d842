import Foundation
/// What /proc/cpuinfo says about the processor, on x86 and on ARM.
public struct CPUInfo: Sendable, Equatable {
    /// Logical processors listed ("processor" lines).
    public var processors: Int
    /// x86 "model name" of the first processor.
    public var modelName: String?
    /// ARM "Hardware" line (32-bit and vendor kernels print the SoC there).
    public var hardware: String?
    /// ARM "Model" line (Raspberry Pi kernels print the board there).
    public var boardModel: String?
    /// ARM core names from "CPU part", in processor order, e.g. ["Cortex-A55", …].
    public var coreParts: [String]

    public init(processors: Int = 0, modelName: String? = nil, hardware: String? = nil,
                boardModel: String? = nil, coreParts: [String] = []) {
        self.processors = processors; self.modelName = modelName; self.hardware = hardware
        self.boardModel = boardModel; self.coreParts = coreParts
    }

    /// Parses the text of /proc/cpuinfo; unknown keys are ignored.
    public static func parse(_ text: String) -> CPUInfo {
        var info = CPUInfo()
        var implementer: String?
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = SysText.cleanName(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces), maxLength: 96)
            switch key {
            case "processor": info.processors += 1
            case "model name": if info.modelName == nil, !value.isEmpty { info.modelName = value }
            case "Hardware": if !value.isEmpty { info.hardware = value }
            case "Model": if !value.isEmpty { info.boardModel = value }
            case "CPU implementer": implementer = value.lowercased()
            case "CPU part":
                info.coreParts.append(armCoreName(implementer: implementer ?? "0x41", part: value.lowercased()))
            default: break
            }
        }
        return info
    }

    /// "4× Cortex-A55 + 3× Cortex-A78 + 1× Cortex-X1": clusters in the order they appear.
    public var coreSummary: String? {
        guard !coreParts.isEmpty else { return nil }
        var groups: [(String, Int)] = []
        for part in coreParts {
            if let i = groups.firstIndex(where: { $0.0 == part }) { groups[i].1 += 1 } else { groups.append((part, 1)) }
        }
        return groups.map { "\($0.1)× \($0.0)" }.joined(separator: " + ")
    }

    /// Arm Ltd. core names by "CPU part" (implementer 0x41), from the Technical Reference
    /// Manuals' MIDR tables; others are shown as "implementer:part".
    static func armCoreName(implementer: String, part: String) -> String {
        let arm: [String: String] = [
            "0xc07": "Cortex-A7", "0xc09": "Cortex-A9", "0xc0f": "Cortex-A15",
            "0xd03": "Cortex-A53", "0xd04": "Cortex-A35", "0xd05": "Cortex-A55",
            "0xd07": "Cortex-A57", "0xd08": "Cortex-A72", "0xd09": "Cortex-A73",
            "0xd0a": "Cortex-A75", "0xd0b": "Cortex-A76", "0xd0d": "Cortex-A77",
            "0xd41": "Cortex-A78", "0xd44": "Cortex-X1", "0xd46": "Cortex-A510",
            "0xd47": "Cortex-A710", "0xd48": "Cortex-X2", "0xd4d": "Cortex-A715",
            "0xd4e": "Cortex-X3", "0xd80": "Cortex-A520", "0xd81": "Cortex-A720",
            "0xd82": "Cortex-X4", "0xd0c": "Neoverse-N1", "0xd40": "Neoverse-V1",
        ]
        if implementer == "0x41", let name = arm[part] { return name }
        return "\(implementer):\(part)"
    }
}
