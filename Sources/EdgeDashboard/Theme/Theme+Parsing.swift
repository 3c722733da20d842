import EdgeTrace
import Foundation

/// A theme file that could not be read: where and why, as a user reads it.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or the name looked up).
    public var file: String
    /// 1-based line, 0 when the problem is the whole file.
    public var line: Int
    /// What is wrong, as the user reads it.
    public var problem: String

    /// An error at `file`:`line`.
    public init(file: String, line: Int, problem: String) {
        // The problem may quote the file: clean it once here, whoever prints it.
        self.file = file; self.line = line; self.problem = EdgeTrace.sanitize(problem)
    }

    /// "file:line: problem", or "file: problem" for the whole file.
    public var description: String {
        let f = EdgeTrace.sanitize(file)
        return line > 0 ? "\(f):\(line): \(problem)" : "\(f): \(problem)"
    }
}

extension Theme {
    /// Reads a theme file in btop's format. The name is the file name without `.theme`;
    /// keys the file leaves out come from `fallback`.
    public static func load(path: String, fallback: Theme = .builtinDefault) throws -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(file: path, line: 0, problem: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: path, line: 0, problem: "not UTF-8 text")
        }
        var name = (path as NSString).lastPathComponent
        if name.hasSuffix(".theme") { name.removeLast(6) }
        let colors = try ThemeParser.parse(text, file: path)
        return Theme(name: name, colors: colors, fallback: fallback)
    }

    /// Parses theme text (btop format); `file` names it in errors.
    public static func parse(_ text: String, name: String, file: String, fallback: Theme = .builtinDefault) throws -> Theme {
        Theme(name: name, colors: try ThemeParser.parse(text, file: file), fallback: fallback)
    }
}

/// The btop theme format: `theme[key]="value"` lines, `#` comments, blank lines.
///
/// Values, as btop accepts them: `"#RRGGBB"`, `"#BW"` (a grey, two hex digits), `"R G B"`
/// (decimal 0–255), and `""` (unset: the terminal's default colour, or no gradient stop).
/// Quotes are optional. Six hex digits without `#` are accepted too, since community themes
/// ship them. Unknown keys are ignored so any btop theme loads; lines that are not
/// `theme[...]` lines are ignored as btop does, but a file with none at all is an error.
enum ThemeParser {
    static func parse(_ text: String, file: String) throws -> [String: Color] {
        var out: [String: Color] = [:]
        var sawThemeLine = false
        var lineNo = 0
        // "\r\n" is one Character in Swift, so split on any newline character, not on "\n".
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNo += 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.hasPrefix("theme[") else { continue }
            sawThemeLine = true
            func fail(_ problem: String) -> ThemeError { ThemeError(file: file, line: lineNo, problem: problem) }
            let afterOpen = line.dropFirst("theme[".count)
            guard let close = afterOpen.firstIndex(of: "]") else { throw fail("missing ']' after the key") }
            let key = String(afterOpen[..<close])
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw fail("invalid key \"\(sanitize(key))\"")
            }
            var rest = afterOpen[afterOpen.index(after: close)...].drop { $0 == " " || $0 == "\t" }
            guard rest.first == "=" else { throw fail("expected '=' after theme[\(key)]") }
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            var value: Substring
            if rest.first == "\"" {
                let body = rest.dropFirst()
                guard let end = body.firstIndex(of: "\"") else { throw fail("missing closing quote in the value of theme[\(key)]") }
                value = body[..<end]
                let tail = body[body.index(after: end)...].trimmingCharacters(in: .whitespaces)
                guard tail.isEmpty || tail.hasPrefix("#") else {
                    throw fail("unexpected text after the value of theme[\(key)]: \"\(sanitize(tail))\"")
                }
            } else {
                // Unquoted: the value runs to a trailing " #" comment or the end of the line.
                var v = String(rest)
                if let comment = v.range(of: " #") { v = String(v[..<comment.lowerBound]) }
                value = Substring(v.trimmingCharacters(in: .whitespaces))
            }
            guard Theme.keys.contains(key) else { continue }
            do {
                out[key] = try parseColor(String(value))
            } catch let problem as ColorProblem {
                throw fail("invalid colour \"\(sanitize(String(value)))\" for theme[\(key)]: \(problem.text)")
            }
        }
        guard sawThemeLine else {
            throw ThemeError(file: file, line: 0, problem: "no theme[key]=\"value\" lines: not a btop theme file")
        }
        return out
    }

    struct ColorProblem: Error { var text: String }

    /// One colour value; "" is the terminal default.
    static func parseColor(_ s: String) throws -> Color {
        let v = s.trimmingCharacters(in: .whitespaces)
        if v.isEmpty { return .default }
        let expected = "expected \"#RRGGBB\", \"#BW\" or \"R G B\" (0-255)"
        if v.hasPrefix("#") || (v.count == 6 && v.allSatisfy(\.isHexDigit)) {
            let hex = v.hasPrefix("#") ? String(v.dropFirst()) : v
            guard hex.allSatisfy(\.isHexDigit), let n = UInt32(hex, radix: 16) else { throw ColorProblem(text: expected) }
            switch hex.count {
            case 2: let g = UInt8(n); return .rgb(g, g, g)
            case 6: return .rgb(UInt8(n >> 16), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF))
            default: throw ColorProblem(text: expected)
            }
        }
        let parts = v.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 3 else { throw ColorProblem(text: expected) }
        var rgb: [UInt8] = []
        for p in parts {
            guard let n = Int(p), (0...255).contains(n) else { throw ColorProblem(text: "decimal values must be 0-255") }
            rgb.append(UInt8(n))
        }
        return .rgb(rgb[0], rgb[1], rgb[2])
    }

    /// Text from a file shown in an error: control characters replaced, length capped.
    static func sanitize(_ s: String) -> String {
        // C0 controls show as "?" so the user sees where they were; C1 controls, bidi
        // overrides and line separators go entirely.
        let clean = EdgeTrace.sanitize(String(s.map { ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) ? "?" : $0 }))
        return clean.count > 40 ? String(clean.prefix(40)) + "..." : clean
    }
}
