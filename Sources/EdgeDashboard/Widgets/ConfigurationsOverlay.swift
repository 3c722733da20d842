import EdgeSession

/// A box over the screen listing every configuration seen (`c`): model, backend and
/// threads, the latency median and p99 (only where the sample supports it), the average FPS
/// over the time it ran and, with a target rate, the share of frames missed. The one in
/// force is marked; the newest configurations are kept when the box is too short.
public enum ConfigurationsOverlay {
    /// The table's lines: a heading, then one line per configuration, oldest first.
    static func lines(_ state: DashboardState, symbols s: Symbols) -> [(String, Bool)] {
        let stats = state.stats
        let unit = self.unit(state, s)
        let approx = s.braille ? "≈" : "~"
        func col(_ t: String, _ w: Int) -> String { Format.right(t, w) }
        var out: [(String, Bool)] = [
            ("  " + Format.left("configuration", 34) + col("n", 8) + col("\(approx)p50", 7) + col("\(approx)p99", 7)
                + col("avg fps", 9) + col("missed", 8), false),
        ]
        let current = stats.current?.key
        for c in stats.configurations {
            let sum = c.latency.session.summary
            let p99 = LatencyPanel.tooFew(99, count: sum.count) ?? Format.number(Double(sum.p99), in: unit)
            let p50 = LatencyPanel.tooFew(50, count: sum.count) ?? Format.number(Double(sum.p50), in: unit)
            let missed = c.missedShare.map { Format.compact($0 * 100) + "%" } ?? "-"
            let mark = c.key == current ? String(s.right.prefix(1)) + " " : "  "
            out.append((mark + Format.left(c.key.label, 34, ellipsis: s.ellipsis) + col(String(c.frames), 8) + col(p50, 7)
                        + col(p99, 7) + col(c.averageFPS.map(Format.fps) ?? "-", 9) + col(missed, 8), c.key == current))
        }
        if stats.configurations.isEmpty { out.append(("  no inference yet", false)) }
        return out
    }

    /// One unit for every latency of the table, chosen from the largest.
    static func unit(_ state: DashboardState, _ s: Symbols) -> Format.LatencyUnit {
        let maxNs = state.stats.configurations.map { $0.latency.session.hdr.maxRecorded }.max() ?? 0
        return Format.latencyUnit(forMax: maxNs, symbols: s)
    }

    static func unitName(_ state: DashboardState, _ s: Symbols) -> String { unit(state, s).name }

    /// Draws the overlay centred in `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        var rows = lines(state, symbols: p.symbols)
        let w = min(area.width, (rows.map(\.0.count).max() ?? 0) + 4)
        let h = min(area.height, rows.count + 2)
        // Too many to fit: the heading and the newest configurations.
        if rows.count > h - 2, h >= 3 { rows = [rows[0]] + rows.suffix(h - 3) }
        let box = Rect(x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h)
        buf.fill(box, with: p.blank)
        Block(title: "Configurations", note: "latency in \(unitName(state, p.symbols)); c closes", borderKey: "div_line").draw(into: &buf, area: box, palette: p)
        let inner = Block.inner(box)
        for (i, (text, current)) in rows.prefix(inner.height).enumerated() {
            buf.put(text, x: inner.x + 1, y: inner.y + i, style: i == 0 ? p.graphText : current ? p.selected : p.text,
                    maxWidth: inner.width - 1)
        }
    }
}
