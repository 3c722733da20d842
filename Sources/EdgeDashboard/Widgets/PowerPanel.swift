import EdgeSession

/// Each power reading the source holds (RAPL or hwmon live, a power analyzer in an imported
/// log): watts now and a graph of recent seconds; "(emulated)" when the values are modelled.
/// Drawn only when there is a reading, so a machine without a meter loses no room.
public enum PowerPanel {
    /// Rows the panel needs for the state's power sources, borders included (0 when none).
    public static func height(for stats: SessionStats) -> Int {
        stats.power.isEmpty ? 0 : min(4, stats.power.count) + 2
    }

    /// Draws the panel into `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        let stats = state.stats
        let note = stats.power.contains { $0.latest.emulated } ? "(emulated)"
            : state.header.source == .imported ? "from the log" : nil
        Block(title: "Power", note: note, borderKey: "mem_box").draw(into: &buf, area: area, palette: p)
        let inner = Block.inner(area)
        guard !inner.isEmpty else { return }
        let nameW = min(22, max(6, inner.width / 3))
        for (i, source) in stats.power.prefix(inner.height).enumerated() {
            let y = inner.y + i
            var x = buf.put(Format.left(source.source, nameW, ellipsis: p.symbols.ellipsis), x: inner.x, y: y, style: p.text)
            x = buf.put(Format.right(watts(source.latest.watts), 8), x: x, y: y, style: p.gradient(.used, 1, bold: true))
            let graphW = inner.right - x - 1
            guard graphW >= 4 else { continue }
            var series = source.series.suffix(graphW - 1)
            series.append(source.latest.watts)
            let padded = [Double](repeating: .nan, count: max(0, graphW - series.count)) + series
            let top = Graph.niceCeiling(max(source.maxWatts, 1e-3))
            Graph.bars(padded, maxValue: top, in: Rect(x: x + 1, y: y, width: graphW, height: 1), into: &buf,
                       symbols: p.symbols) { p.gradient(.used, $0) }
        }
    }

    /// Watts with three significant digits, e.g. "12.3 W"; "-" for a value no meter gives.
    static func watts(_ v: Double) -> String {
        guard v.isFinite, v >= 0, v < 1e7 else { return "-" }
        return Format.compact(v) + " W"
    }
}
