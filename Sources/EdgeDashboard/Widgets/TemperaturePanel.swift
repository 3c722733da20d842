import EdgeSession

/// Each temperature sensor: value, a graph of recent seconds, trip points and a throttling
/// mark; "no sensor" when the device has none, "not recorded" when an imported log did not
/// record any; "(emulated)" when the values are modelled.
public enum TemperaturePanel {
    /// Draws the panel into `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        let stats = state.stats
        Block(title: "Temperature", note: stats.temperaturesEmulated ? "(emulated)" : nil, borderKey: "mem_box")
            .draw(into: &buf, area: area, palette: p)
        let inner = Block.inner(area)
        guard !inner.isEmpty else { return }
        guard !stats.sensors.isEmpty else {
            let text = state.header.source == .imported ? "not recorded" : "no sensor"
            buf.put(text, x: inner.x + max(0, (inner.width - text.count) / 2), y: inner.y + (inner.height - 1) / 2,
                    style: p.inactive, maxWidth: inner.width)
            return
        }
        let s = p.symbols
        // The last row tells why the device throttles, when it says.
        let signalRow = !stats.throttling.isEmpty && inner.height >= 2
        let rows = inner.height - (signalRow ? 1 : 0)
        let shown = stats.sensors.count > rows ? max(0, rows - 1) : stats.sensors.count
        let nameW = min(14, max(6, inner.width / 4))
        for (i, sensor) in stats.sensors.prefix(shown).enumerated() {
            let y = inner.y + i
            let t = sensor.latest
            let hot = sensor.aboveTrip
            let tripTop = t.criticalC ?? t.passiveC.map { $0 + 15 } ?? max(100, sensor.maxC)
            // Colour by closeness to the top trip: cool far below it, the gradient's end at it.
            let frac = (t.celsius - (tripTop - 50)) / 50
            var x = buf.put(Format.left(sensor.name, nameW, ellipsis: s.ellipsis), x: inner.x, y: y, style: p.text)
            x = buf.put(Format.right(String(format1(t.celsius)), 6) + s.degree, x: x, y: y, style: p.gradient(.temp, frac, bold: true))
            // Right side: trip points and the throttling mark.
            var tail = ""
            if let pc = t.passiveC, let v = wholeDegrees(pc) { tail = " \(s.up)\(v)" }
            if let cc = t.criticalC, let v = wholeDegrees(cc) { tail += tail.isEmpty ? " crit \(v)" : "/\(v)" }
            let mark = hot ? (inner.width >= 48 ? " THROTTLE" : " THR") : ""
            let graphW = inner.right - x - 1 - tail.count - mark.count
            if graphW >= 4 {
                var series = sensor.series.suffix(graphW - 1)
                series.append(t.celsius)
                // The scale runs from well below the trip point to the top trip, so the same
                // temperature always draws at the same height and nearing the trip shows.
                let floorC = (t.passiveC ?? tripTop) - 40
                let lo = min(floorC, (series.filter(\.isFinite).min() ?? floorC) - 1)
                let scaled = series.map { $0.isFinite ? $0 - lo : .nan }
                let graph = Rect(x: x + 1, y: y, width: graphW, height: 1)
                let padded = [Double](repeating: .nan, count: max(0, graphW - scaled.count)) + scaled
                Graph.bars(padded, maxValue: max(1, tripTop - lo), in: graph, into: &buf, symbols: s) { _ in
                    p.gradient(.temp, frac)
                }
                x = graph.right
            }
            x = buf.put(tail, x: x, y: y, style: p.graphText, maxWidth: inner.right - x)
            if hot { buf.put(mark, x: inner.right - mark.count, y: y, style: p.alarm(p.theme.gradient(.temp, 1))) }
        }
        if shown < stats.sensors.count {
            buf.put("+\(stats.sensors.count - shown) more", x: inner.x, y: inner.y + shown, style: p.inactive, maxWidth: inner.width)
        }
        if signalRow {
            let text = "throttling: " + stats.throttling.joined(separator: "; ")
            buf.put(text, x: inner.x, y: inner.bottom - 1, style: p.alarm(p.theme.gradient(.temp, 1)), maxWidth: inner.width)
        }
    }

    /// A trip point in whole degrees; nil for a value no sensor could report.
    private static func wholeDegrees(_ v: Double) -> Int? {
        v.isFinite && abs(v) < 1e6 ? Int(v.rounded()) : nil
    }

    private static func format1(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e6 else { return "-" }
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
