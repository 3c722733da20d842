/// Calendar arithmetic for the timestamps in imported logs, without Foundation's date
/// parsers (whose behaviour depends on the locale). Times without a zone are taken as
/// given: only differences between them matter for a session's timeline.
enum CivilTime {
    /// Seconds since 1970-01-01 00:00:00 of a civil date and time (proleptic Gregorian).
    static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double) -> Double {
        // Howard Hinnant's days-from-civil algorithm.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Double(days * 86400 + hour * 3600 + minute * 60) + second
    }

    /// The difference `later - earlier` in seconds, rounded to the microsecond: wall-clock
    /// seconds near 1.7e9 carry binary noise below that, which would make times unstable.
    static func interval(_ later: Double, since earlier: Double) -> Double {
        ((later - earlier) * 1e6).rounded() / 1e6
    }

    /// Parses "YYYY-MM-DD?HH:MM:SS[.fff]" where ? is 'T', ' ' or '_' (a trailing 'Z' is allowed).
    static func parseISO(_ text: String) -> Double? {
        let s = text.hasSuffix("Z") ? String(text.dropLast()) : text
        let parts = s.split(whereSeparator: { $0 == "T" || $0 == " " || $0 == "_" })
        guard parts.count == 2 else { return nil }
        let d = parts[0].split(separator: "-")
        guard d.count == 3, let y = Int(d[0]), let m = Int(d[1]), let day = Int(d[2]) else { return nil }
        return time(y, m, day, parts[1])
    }

    /// Parses "MM-DD-YYYY HH:MM:SS[.fff]", the form MLPerf's power tools write.
    static func parseUS(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 2 else { return nil }
        let d = parts[0].split(separator: "-")
        guard d.count == 3, let m = Int(d[0]), let day = Int(d[1]), let y = Int(d[2]) else { return nil }
        return time(y, m, day, parts[1])
    }

    private static func time(_ y: Int, _ m: Int, _ d: Int, _ hms: Substring) -> Double? {
        let t = hms.split(separator: ":")
        guard t.count == 3, let h = Int(t[0]), let mi = Int(t[1]), let sec = Double(t[2]),
              (1...9999).contains(y), (1...12).contains(m), (1...31).contains(d), (0...23).contains(h), (0...59).contains(mi),
              sec >= 0, sec < 61 else { return nil }
        return seconds(year: y, month: m, day: d, hour: h, minute: mi, second: sec)
    }

    /// Formats seconds since 1970 as "YYYY-MM-DDTHH:MM:SS[.fff]" (`zone` appended, e.g. "Z").
    static func format(_ seconds: Double, zone: String = "") -> String {
        guard seconds.isFinite, abs(seconds) < 1e12 else { return "unknown" }
        let whole = Int(seconds.rounded(.down))
        let millis = Int(((seconds - Double(whole)) * 1000).rounded())
        var days = whole / 86400
        var rem = whole % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        // civil-from-days
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var out = "\(y)-\(two(m))-\(two(d))T\(two(rem / 3600)):\(two(rem % 3600 / 60)):\(two(rem % 60))"
        if millis > 0 && millis < 1000 {
            out += "." + String(String(millis + 1000).dropFirst())
        }
        return out + zone
    }
}
