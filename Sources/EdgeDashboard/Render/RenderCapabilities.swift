/// What the terminal can show, decided once by the terminal layer and passed to rendering.
/// Widgets pick symbols from it; colours are mapped to the terminal's depth downstream.
public struct RenderCapabilities: Sendable, Equatable {
    /// UTF-8 output: box lines, block eighths ▁▂▃▄▅▆▇█ and braille graphs. False for
    /// `--ascii` and non-UTF-8 locales.
    public var unicode: Bool
    /// Whether colours show at all. False for `NO_COLOR` and monochrome terminals: then
    /// emphasis (throttling, selection) is carried by bold and reverse, never colour alone.
    public var color: Bool

    /// Capabilities as given.
    public init(unicode: Bool = true, color: Bool = true) {
        self.unicode = unicode; self.color = color
    }

    /// A UTF-8 colour terminal.
    public static let full = RenderCapabilities(unicode: true, color: true)
    /// 7-bit ASCII on a monochrome terminal.
    public static let minimal = RenderCapabilities(unicode: false, color: false)

    /// Whether `locale` (the value of LC_ALL, LC_CTYPE or LANG, first set wins) is UTF-8.
    public static func localeIsUTF8(environment: [String: String]) -> Bool {
        for key in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let v = environment[key], !v.isEmpty {
                let l = v.lowercased()
                return l.contains("utf-8") || l.contains("utf8")
            }
        }
        return false
    }
}
