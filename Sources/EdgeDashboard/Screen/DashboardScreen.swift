import EdgeSession

/// Renders a whole dashboard frame: the layout of the panels and the overlays. A pure
/// function of the state and the buffer size; only the terminal layer does I/O.
///
/// Layout: header (1 row), body, status line (1 row). The body splits into a left column
/// (FPS over latency) and a right column (cores, temperature, quality), each half the
/// width. Temperature takes a row per sensor (plus one for a throttling signal), quality a
/// row per reporting backend (up to three), and cores the rest: the rows their arrangement
/// needs (at least up to half the body), and a load history graph in what remains. Power,
/// when the source has any reading, takes a row per source under the temperatures.
public enum DashboardScreen {
    /// The smallest terminal the dashboard draws into; below it a message says so.
    public static let minimumWidth = 64
    /// Rows below which the "too small" message is shown.
    public static let minimumHeight = 20

    /// A frame of `width` × `height` for `state`.
    public static func render(_ state: DashboardState, width: Int, height: Int) -> Buffer {
        var buf = Buffer(width: width, height: height)
        render(state, into: &buf)
        return buf
    }

    /// Draws a frame for `state` over the whole of `buf` (every cell is written).
    public static func render(_ state: DashboardState, into buf: inout Buffer) {
        let p = Palette(theme: state.theme, capabilities: state.capabilities)
        buf.fill(p.blank)
        let screen = Rect(x: 0, y: 0, width: buf.width, height: buf.height)
        guard screen.width >= minimumWidth, screen.height >= minimumHeight else {
            drawTooSmall(into: &buf, area: screen, palette: p)
            return
        }
        let rows = Layout.split(screen, .vertical, [.length(1), .min(0), .length(1)])
        HeaderBar.draw(into: &buf, area: rows[0], state: state, palette: p)
        StatusLine.draw(into: &buf, area: rows[2], state: state, palette: p)
        var body = rows[1]
        // A table on `l` or `o` takes the whole body; on a large terminal both tables sit
        // under the panels.
        switch state.tables.view {
        case .layers: LayerPanel.draw(into: &buf, area: body, state: state, palette: p)
        case .processes: ProcessPanel.draw(into: &buf, area: body, state: state, palette: p)
        case .panels:
            if showsTables(width: screen.width, height: screen.height) {
                let split = Layout.split(body, .vertical, [.min(0), .percentage(tablesShare)])
                body = split[0]
                let bottom = Layout.split(split[1], .horizontal, [.percentage(62), .min(0)])
                LayerPanel.draw(into: &buf, area: bottom[0], state: state, palette: p)
                ProcessPanel.draw(into: &buf, area: bottom[1], state: state, palette: p)
            }
            drawPanels(state, into: &buf, body: body, palette: p)
        }
        if state.configurationsShown { ConfigurationsOverlay.draw(into: &buf, area: rows[1], state: state, palette: p) }
        // The help covers the body, keeping header and status line, unless it needs every row.
        if state.helpShown { HelpOverlay.draw(into: &buf, area: rows[1].height >= 19 ? rows[1] : screen, state: state, palette: p) }
    }

    /// Terminals at least this large show the layer and process tables under the panels.
    public static let tablesMinimumWidth = 100, tablesMinimumHeight = 44
    /// Share of the body the tables take when shown.
    static let tablesShare = 38

    /// Whether a `width` × `height` terminal shows the tables beside the panels.
    public static func showsTables(width: Int, height: Int) -> Bool {
        width >= tablesMinimumWidth && height >= tablesMinimumHeight
    }

    /// The FPS, latency, cores, temperature and quality panels over `body`.
    static func drawPanels(_ state: DashboardState, into buf: inout Buffer, body: Rect, palette p: Palette) {
        let cols = Layout.split(body, .horizontal, [.percentage(50), .min(0)])
        let left = Layout.split(cols[0], .vertical, [.percentage(40), .min(8)])
        FPSPanel.draw(into: &buf, area: left[0], state: state, palette: p)
        LatencyPanel.draw(into: &buf, area: left[1], state: state, palette: p)

        let stats = state.stats
        let coreRows = max(1, CoresPanel.rowsNeeded(cores: stats.cores.count, width: cols[1].width - 2,
                                                     frequency: stats.cores.contains { $0.frequency != nil }))
        let coresH = min(coreRows + 2, body.height / 2)
        let qualityH = min(3, max(1, stats.currentQuality.count)) + 2
        let tempRows = max(1, stats.sensors.count + (stats.throttling.isEmpty ? 0 : 1))
        let powerH = PowerPanel.height(for: stats)
        let tempsH = min(tempRows + 2, max(3, body.height - coresH - qualityH - powerH))
        // Cores take what is left over, for a load history under the bars.
        let right = Layout.split(cols[1], .vertical, [.min(coresH), .length(tempsH), .length(powerH), .length(qualityH)])
        CoresPanel.draw(into: &buf, area: right[0], state: state, palette: p)
        TemperaturePanel.draw(into: &buf, area: right[1], state: state, palette: p)
        if powerH > 0 { PowerPanel.draw(into: &buf, area: right[2], state: state, palette: p) }
        QualityPanel.draw(into: &buf, area: right[3], state: state, palette: p)
    }

    /// The message shown below the minimum size.
    public static func tooSmallMessage(symbols: Symbols) -> String {
        "terminal too small (need \(minimumWidth)\(symbols.times)\(minimumHeight))"
    }

    static func drawTooSmall(into buf: inout Buffer, area: Rect, palette p: Palette) {
        let lines = [tooSmallMessage(symbols: p.symbols), "now \(area.width)\(p.symbols.times)\(area.height)"]
        let y0 = max(0, (area.height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            // Too narrow for the message: it starts at the left edge and wraps onto the next rows.
            var text = Substring(l), y = y0 + i * (l.count > area.width ? 2 : 1)
            while !text.isEmpty && y < area.height {
                let chunk = text.prefix(max(1, area.width))
                buf.put(String(chunk), x: max(0, (area.width - chunk.count) / 2), y: y, style: i == 0 ? p.highlight : p.text)
                text = text.dropFirst(chunk.count); y += 1
            }
        }
    }
}
