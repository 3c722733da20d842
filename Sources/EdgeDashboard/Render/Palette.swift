/// The styles of one frame: the theme's colours on its background, with bold and reverse
/// carrying emphasis when the terminal shows no colour.
public struct Palette: Sendable {
    /// The theme the styles come from.
    public let theme: Theme
    /// Symbols for the terminal's character set.
    public let symbols: Symbols
    /// Whether colour shows; without it, emphasis must not rely on colour.
    public let color: Bool
    /// Background of every cell.
    public let bg: Color

    /// Styles for `theme` under `capabilities`.
    public init(theme: Theme, capabilities: RenderCapabilities) {
        self.theme = theme
        self.symbols = Symbols.for(capabilities)
        self.color = capabilities.color && !theme.isMonochrome
        self.bg = capabilities.color ? theme.color("main_bg") : .default
    }

    /// A style with foreground `fg` on the theme's background.
    public func style(_ fg: Color, bold: Bool = false, dim: Bool = false, reverse: Bool = false) -> Style {
        Style(fg: color ? fg : .default, bg: bg, bold: bold, dim: dim, reverse: reverse)
    }

    /// The colour of btop key `key` as a style.
    public func key(_ key: String, bold: Bool = false) -> Style { style(theme.color(key), bold: bold) }

    /// Gradient `family` at `fraction` as a style.
    public func gradient(_ family: String, _ fraction: Double, bold: Bool = false) -> Style {
        style(theme.gradient(family, fraction), bold: bold)
    }

    /// The blank cell every frame starts from.
    public var blank: Cell { Cell(" ", style: text) }
    public var text: Style { key("main_fg") }
    public var title: Style { key("title", bold: true) }
    public var highlight: Style { key("hi_fg", bold: true) }
    /// Absent or stale data; dimmed too, so it reads as inactive without colour.
    public var inactive: Style { style(theme.color("inactive_fg"), dim: true) }
    public var graphText: Style { key("graph_text") }
    public var divider: Style { key("div_line") }
    /// A chosen item: the selection colours, reversed when colour is off.
    public var selected: Style {
        color ? Style(fg: theme.color("selected_fg"), bg: theme.color("selected_bg"), bold: true)
              : Style(bg: bg, bold: true, reverse: true)
    }
    /// An alarm (throttling, missed deadline): bold and reversed in any theme, so it shows
    /// on a monochrome terminal.
    public func alarm(_ fg: Color) -> Style { Style(fg: color ? fg : .default, bg: bg, bold: true, reverse: true) }
}
