import Foundation

/// Number formatting for narrow panels: every figure fits in a fixed number of cells.
public enum Format {
    /// A unit for a column of latencies, chosen from the largest value shown.
    public struct LatencyUnit: Sendable, Equatable {
        /// Unit as shown ("ms").
        public let name: String
        /// Nanoseconds in one unit.
        public let nanoseconds: Double
    }

    /// The unit for a column whose largest value is `maxNs`: µs below 1 ms, ms below 10 s, else s.
    public static func latencyUnit(forMax maxNs: UInt64, symbols: Symbols) -> LatencyUnit {
        if maxNs < 1_000_000 { return LatencyUnit(name: symbols.micro, nanoseconds: 1e3) }
        if maxNs < 10_000_000_000 { return LatencyUnit(name: "ms", nanoseconds: 1e6) }
        return LatencyUnit(name: "s", nanoseconds: 1e9)
    }

    /// `ns` in `unit` with three significant digits, at most 5 characters ("4.12", "12.3", "1023").
    public static func number(_ ns: Double, in unit: LatencyUnit) -> String {
        compact(ns / unit.nanoseconds)
    }

    /// A positive number in at most 5 characters with about three significant digits.
    public static func compact(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        let a = abs(v)
        if a == 0 { return "0" }
        if a < 10 { return String(format: "%.2f", v) }
        if a < 100 { return String(format: "%.1f", v) }
        if a < 100_000 { return String(format: "%.0f", v) }
        if a < 1e7 { return String(format: "%.0fk", v / 1e3) }
        return String(format: "%.0fM", v / 1e6)
    }

    /// A latency with its unit, e.g. "4.12ms", "850µs", "1.20s".
    public static func latency(_ ns: UInt64, symbols: Symbols) -> String {
        let v = Double(ns)
        if v < 1e6 { return compact(v / 1e3) + symbols.micro }
        if v < 1e9 { return compact(v / 1e6) + "ms" }
        return compact(v / 1e9) + "s"
    }

    /// Frames per second, one decimal below 1000.
    public static func fps(_ v: Double) -> String {
        guard v.isFinite else { return "-" }
        return v < 1000 ? String(format: "%.1f", v) : String(format: "%.0f", v)
    }

    /// A frequency in MHz as "2.40G" or "800M".
    public static func frequency(_ mhz: Double) -> String {
        guard mhz.isFinite, mhz > 0 else { return "-" }
        return mhz >= 1000 ? String(format: "%.2fG", mhz / 1000) : String(format: "%.0fM", mhz)
    }

    /// Seconds as "m:ss.s" (or "h:mm:ss" past an hour).
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "-:--" }
        let s = Int(seconds)
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) }
        return String(format: "%d:%02d", s / 60, s % 60)
    }

    /// A span as whole seconds, e.g. "7s": rounded up, so a window of 0.4 s reads "1s", not "0s".
    public static func seconds(_ v: Double) -> String {
        guard v.isFinite, v >= 0, v < 1e9 else { return "-" }
        return "\(Int(v.rounded(.up)))s"
    }

    /// A replay speed factor: "0.25", "1", "16".
    public static func speed(_ v: Double) -> String {
        v == v.rounded() ? String(format: "%.0f", v) : String(format: "%g", v)
    }

    /// Pads or cuts `s` to exactly `n` characters, right-aligned.
    public static func right(_ s: String, _ n: Int) -> String {
        s.count >= n ? String(s.suffix(n)) : String(repeating: " ", count: n - s.count) + s
    }

    /// Pads or cuts `s` to exactly `n` characters, left-aligned; cut text ends with `ellipsis`.
    public static func left(_ s: String, _ n: Int, ellipsis: Character = "~") -> String {
        guard n > 0 else { return "" }
        if s.count <= n { return s + String(repeating: " ", count: n - s.count) }
        return String(s.prefix(n - 1)) + String(ellipsis)
    }
}
