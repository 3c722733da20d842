/// The characters widgets draw with, in a UTF-8 and an ASCII set, so no widget spells out a
/// glyph the terminal might not have.
public struct Symbols: Sendable {
    public let horizontal: Character
    public let vertical: Character
    public let topLeft: Character
    public let topRight: Character
    public let bottomLeft: Character
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
    public let systemFill: Character
    public let degree: String
    public let times: String
    public let play: String
    public let pause: String
    public let recording: String
    public let ellipsis: Character
    public let micro: String
    public let separator: String
    public let left: String
    public let right: String
    public let check: String
    public let cross: String
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
