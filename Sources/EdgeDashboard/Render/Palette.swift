/// The styles of one frame: the theme's colours on its background, with bold and reverse
/// carrying emphasis when the terminal shows no colour. Every style a widget asks for per
/// cell is resolved once here, so drawing a cell never looks a colour up by name.
public struct Palette: Sendable {
    /// The theme the styles come from.
    public let theme: Theme
    /// Symbols for the terminal's character set.
    public let symbols: Symbols
    /// Whether colour shows; without it, emphasis must not rely on colour.
    public let color: Bool
    /// Background of every cell.
    public let bg: Color

    /// Ordinary text.
    public let text: Style
    /// Panel titles.
    public let title: Style
    /// Keys and markers.
    public let highlight: Style
    /// Absent or stale data; dimmed too, so it reads as inactive without colour.
    public let inactive: Style
    /// Axis labels and captions.
    public let graphText: Style
    /// Separators and bar brackets.
    public let divider: Style
    /// Empty part of a meter.
    public let meter: Style
    /// A chosen item: the selection colours, reversed when colour is off.
    public let selected: Style
    /// The blank cell every frame starts from.
    public let blank: Cell

    /// Steps per gradient: finer than any panel is tall or a bar is long.
    static let steps = 32
    private let ramps: [[Style]]
    private let boldRamps: [[Style]]

    /// Styles for `theme` under `capabilities`.
    public init(theme: Theme, capabilities: RenderCapabilities) {
        self.theme = theme
        self.symbols = Symbols.for(capabilities)
        let color = capabilities.color && !theme.isMonochrome
        let bg = capabilities.color ? theme.color("main_bg") : .default
        self.color = color
        self.bg = bg
        func st(_ key: String, bold: Bool = false, dim: Bool = false) -> Style {
            Style(fg: color ? theme.color(key) : .default, bg: bg, bold: bold, dim: dim)
        }
        text = st("main_fg")
        title = st("title", bold: true)
        highlight = st("hi_fg", bold: true)
        inactive = st("inactive_fg", dim: true)
        graphText = st("graph_text")
        divider = st("div_line")
        meter = st("meter_bg")
        selected = color ? Style(fg: theme.color("selected_fg"), bg: theme.color("selected_bg"), bold: true)
                         : Style(bg: bg, bold: true, reverse: true)
        blank = Cell(" ", style: text)
        ramps = GradientKey.allCases.map { g in
            (0...Self.steps).map { Style(fg: color ? theme.gradient(g, Double($0) / Double(Self.steps)) : .default, bg: bg) }
        }
        boldRamps = ramps.map { $0.map { var s = $0; s.bold = true; return s } }
    }

    /// A style with foreground `fg` on the theme's background.
    public func style(_ fg: Color, bold: Bool = false, dim: Bool = false, reverse: Bool = false) -> Style {
        Style(fg: color ? fg : .default, bg: bg, bold: bold, dim: dim, reverse: reverse)
    }

    /// The colour of btop key `key` as a style.
    public func key(_ key: String, bold: Bool = false) -> Style { style(theme.color(key), bold: bold) }

    /// Gradient `family` at `fraction` (0...1) as a style.
    public func gradient(_ family: GradientKey, _ fraction: Double, bold: Bool = false) -> Style {
        let f = fraction.isFinite ? max(0, min(1, fraction)) : 0
        let i = Int((f * Double(Self.steps)).rounded())
        return bold ? boldRamps[family.rawValue][i] : ramps[family.rawValue][i]
    }

    /// An alarm (throttling, missed deadline): bold and reversed in any theme, so it shows
    /// on a monochrome terminal.
    public func alarm(_ fg: Color) -> Style { Style(fg: color ? fg : .default, bg: bg, bold: true, reverse: true) }
}
