/// The characters widgets draw with, in a UTF-8 and an ASCII set, so no widget spells out a
/// glyph the terminal might not have.
public struct Symbols: Sendable {
    /// Box line, horizontal.
    public let horizontal: Character
    /// Box line, vertical.
    public let vertical: Character
    /// Box corner.
    public let topLeft: Character
    /// Box corner.
    public let topRight: Character
    /// Box corner.
    public let bottomLeft: Character
    /// Box corner.
    public let bottomRight: Character
    /// Bar tops from 1/8 to 8/8 of a cell; index 0 is an empty cell.
    public let eighths: [Character]
    /// Whether graphs may use braille dots (2×4 per cell).
    public let braille: Bool
    /// Dashed line for deadlines and trip points.
    public let dashed: Character
    /// Marker of a percentile inside a histogram.
    public let marker: Character
    /// User and system parts of a core bar.
    public let userFill: Character
    /// System-time part of a core bar.
    public let systemFill: Character
    /// Unit after a temperature.
    public let degree: String
    /// Speed factor sign.
    public let times: String
    /// Replay running.
    public let play: String
    /// Paused.
    public let pause: String
    /// Recording badge.
    public let recording: String
    /// End of cut text.
    public let ellipsis: Character
    /// Microsecond unit.
    public let micro: String
    /// Between header segments.
    public let separator: String
    /// Arrow left.
    public let left: String
    /// Arrow right.
    public let right: String
    /// Yes.
    public let check: String
    /// No.
    public let cross: String
    /// Trip point mark.
    public let up: String

    /// The set for `capabilities`.
    public static func `for`(_ capabilities: RenderCapabilities) -> Symbols {
        capabilities.unicode ? .unicode : .ascii
    }

    /// UTF-8 box drawing, block eighths and braille.
    public static let unicode = Symbols(
        horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯",
        eighths: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], braille: true, dashed: "┄", marker: "┊",
        userFill: "█", systemFill: "▓", degree: "°C", times: "×", play: "▶", pause: "⏸", recording: "●",
        ellipsis: "…", micro: "µs", separator: " │ ", left: "←", right: "→", check: "✓", cross: "✗", up: "▲")

    /// Seven-bit ASCII only.
    public static let ascii = Symbols(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        eighths: [" ", ".", ".", "_", "_", "o", "o", "#", "#"], braille: false, dashed: "-", marker: ":",
        userFill: "|", systemFill: "#", degree: "C", times: "x", play: ">", pause: "||", recording: "*",
        ellipsis: "~", micro: "us", separator: " | ", left: "<-", right: "->", check: "yes", cross: "NO", up: "^")
}
