/// How many colours the terminal can show, decided once at start-up.
public enum ColorDepth: Sendable, Equatable {
    /// Monochrome, `NO_COLOR`, or a terminal without colour: attributes only.
    case none
    /// The 8 ANSI colours (16 with bright variants).
    case basic8
    /// The xterm 256-colour palette.
    case palette256
    /// 24-bit colour: either a direct-colour terminfo (`COLORS` ≥ 2²⁴), or a palette the
    /// program may redefine (`can_change_color`) when `COLORTERM` promises true colour.
    case trueColor(direct: Bool)

    /// Decides the depth from the environment and what terminfo reports.
    ///
    /// `NO_COLOR` (any non-empty value, per no-color.org) wins over everything; a true-colour
    /// `COLORTERM` only helps where ncurses can actually emit 24-bit colours, otherwise the
    /// nearest 256-colour entry is used.
    public static func detect(environment: [String: String], hasColors: Bool, colors: Int,
                              canChangeColor: Bool) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        guard hasColors, colors >= 8 else { return .none }
        if colors >= 1 << 24 { return .trueColor(direct: true) }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        let promisesTrueColor = colorterm == "truecolor" || colorterm == "24bit"
        if promisesTrueColor && canChangeColor && colors >= 256 { return .trueColor(direct: false) }
        if colors >= 256 { return .palette256 }
        return .basic8
    }
}
