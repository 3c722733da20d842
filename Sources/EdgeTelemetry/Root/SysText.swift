import Foundation

/// Helpers for the one-value text files of /proc and /sys.
enum SysText {
    /// The file's content without surrounding whitespace and trailing NULs (device-tree
    /// strings end in NUL), or nil when nothing is left.
    static func trimmed(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines.union(["\0"]))
        return t.isEmpty ? nil : t
    }

    /// A name safe to show on a terminal: control characters become "?", length is capped.
    static func cleanName(_ s: String, maxLength: Int = 64) -> String {
        var out = ""
        for scalar in s.unicodeScalars.prefix(maxLength) {
            if scalar.properties.generalCategory == .control || scalar == "\u{7F}" {
                out.append("?")
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An integer from a one-number file; nil for empty or garbage.
    static func integer(_ s: String) -> Int64? {
        guard let t = trimmed(s) else { return nil }
        return Int64(t)
    }
}
