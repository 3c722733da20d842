import Foundation
import EdgeSession

/// Latency of one backend (or two overlaid): a table of p50/p90/p99/p99.9/max/mean/count for
/// the recent window and the whole session, and the session histogram in log-scaled
/// buckets drawn as bars with the percentiles marked.
///
/// Percentiles come from the HDR histogram (two significant digits), so they are marked "≈":
/// `edgetop stats` gives the exact figures. A percentile the sample cannot support is not
/// shown as a figure: p99 needs `minimumCount(99)` latencies, p99.9 `minimumCount(99.9)`.
public enum LatencyPanel {
    /// Latencies a percentile needs before it means anything: at least one value beyond it
    /// (100 for p99, 1000 for p99.9); the median and p90 need 10.
    public static func minimumCount(_ percentile: Double) -> UInt64 {
        UInt64((100 / (100 - percentile)).rounded())
    }

    /// The cell for `percentile` of `count` latencies when the sample is too small: the
    /// count it needs, e.g. "n<100"; nil when the figure can be shown.
    public static func tooFew(_ percentile: Double, count: UInt64) -> String? {
        let need = minimumCount(percentile)
        guard count < need else { return nil }
        return need >= 1000 ? "n<\(need / 1000)k" : "n<\(need)"
    }

    /// Draws the panel into `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        let hists = state.shownLatencies
        let names = hists.map(\.backend)
        let recentLabel = "last " + Format.seconds(hists.first?.recentSpan(at: state.stats.now) ?? 0)
        let title = (names.isEmpty ? "Latency" : "Latency " + names.joined(separator: " vs "))
            + (state.header.source == .emulated ? " (emulated)" : "")
        let second = names.count == 2 ? names[1] : recentLabel
        let note = "\(p.symbols.eighths[8]) \(names.count == 2 ? names[0] : "all")  \(p.symbols.eighths[2]) \(second)"
        Block(title: title, note: names.isEmpty ? nil : note, borderKey: "proc_box").draw(into: &buf, area: area, palette: p)
        let inner = Block.inner(area)
        guard !inner.isEmpty else { return }
        guard let first = hists.first, first.session.count > 0 else {
            let text = state.notRecorded(.inference) ? "per-inference latency not recorded" : "no inference yet"
            buf.put(text, x: inner.x, y: inner.y, style: p.inactive, maxWidth: inner.width)
            return
        }
        // The table.
        var rows: [(String, LatencySummary, Style)] = []
        var firstSession = LatencySummary.empty
        for (i, h) in hists.enumerated() {
            let label = hists.count > 1 ? String(h.backend.prefix(4)) : ""
            let session = h.session.summary
            if i == 0 { firstSession = session }
            let span = Format.seconds(h.recentSpan(at: state.stats.now))
            rows.append((label.isEmpty ? "last \(span)" : "\(label) \(span)", h.recent.summary, p.gradient(.free, 1)))
            rows.append((label.isEmpty ? "session" : "\(label) all", session,
                         i == 0 ? p.gradient(.process, 1) : p.gradient(.cached, 1)))
        }
        let maxNs = rows.map(\.1.max).max() ?? 0
        let unit = Format.latencyUnit(forMax: maxNs, symbols: p.symbols)
        let labelW = 9, colW = 6
        // The count is the last column, as wide as an integer needs: n is never rounded.
        let countW = max(colW, (rows.map { String($0.1.count).count }.max() ?? 0) + 1)
        func percentile(_ pc: Double, _ v: @escaping (LatencySummary) -> UInt64) -> (LatencySummary) -> String {
            { tooFew(pc, count: $0.count) ?? Format.number(Double(v($0)), in: unit) }
        }
        let columns: [(String, (LatencySummary) -> String)] = [
            ("p50", percentile(50, \.p50)),
            ("p90", percentile(90, \.p90)),
            ("p99", percentile(99, \.p99)),
            ("p99.9", percentile(99.9, \.p999)),
            ("max", { Format.number(Double($0.max), in: unit) }),
            ("mean", { Format.number($0.mean, in: unit) }),
            ("n", { String($0.count) }),
        ]
        let fit = max(0, min(columns.count, (inner.width - labelW) / colW))
        let shownColumns = columns.prefix(fit).filter { $0.0 != "n" || labelW + (fit - 1) * colW + countW <= inner.width }
        func width(_ name: String) -> Int { name == "n" ? countW : colW }
        var y = inner.y
        // "≈": the percentiles are the histogram's, within 1 %; mean, max and n are exact.
        let approx = p.symbols.braille ? "≈" : "~"
        buf.put(Format.left("\(unit.name) \(approx)p", labelW), x: inner.x, y: y, style: p.graphText)
        for (c, col) in shownColumns.enumerated() {
            buf.put(Format.right(col.0, width(col.0)), x: inner.x + labelW + c * colW, y: y, style: p.graphText)
        }
        for (label, s, style) in rows {
            y += 1
            guard y < inner.bottom else { return }
            buf.put(Format.left(label, labelW), x: inner.x, y: y, style: style)
            for (c, col) in shownColumns.enumerated() {
                // An empty window (the backend idle for the last seconds) shows dashes, not zeros.
                let text = s.count > 0 || col.0 == "n" ? col.1(s) : "-"
                let style = s.count > 0 && !text.hasPrefix("n<") ? p.text : p.inactive
                buf.put(Format.right(text, width(col.0)), x: inner.x + labelW + c * colW, y: y, style: style)
            }
        }
        // The histogram below the table: bars, a marker row, an axis row.
        var chart = Rect(x: inner.x, y: y + 1, width: inner.width, height: inner.bottom - (y + 1))
        guard chart.height >= 4, chart.width >= 12 else { return }
        // A tall panel also shows the first backend's p50 and p99 over the last minute.
        if chart.height >= 16 {
            let timeH = chart.height / 3
            let time = Rect(x: chart.x, y: chart.bottom - timeH, width: chart.width, height: timeH)
            chart.height -= timeH + 1
            drawOverTime(into: &buf, area: time, backend: hists[0], palette: p)
        }
        // Bars: the (first) session histogram; marks: the second backend's, or else the recent window's.
        let shown = hists.count > 1 ? [hists[0].session, hists[1].session] : [hists[0].session, hists[0].recent]
        drawHistogram(into: &buf, area: chart, series: shown, marked: firstSession, palette: p)
    }

    /// Seconds the latency-over-time graph spans.
    public static let timeSpan = 60

    /// p50 per second as bars and p99 per second as a mark at its height, over `timeSpan` s.
    static func drawOverTime(into buf: inout Buffer, area: Rect, backend: BackendLatency, palette p: Palette) {
        let p50 = Graph.resample(backend.p50Series.suffix(timeSpan), span: timeSpan, count: area.width)
        let p99 = Graph.resample(backend.p99Series.suffix(timeSpan), span: timeSpan, count: area.width)
        let graph = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        let top = Graph.niceCeiling(((p99 + p50).filter(\.isFinite).max() ?? 0) * 1.05)
        let unit = Format.latencyUnit(forMax: UInt64(min(top, 3.6e12)), symbols: p.symbols)
        // A second with fewer than 100 latencies has no p99 worth the name: say why none is drawn.
        let anyP99 = p99.contains { $0.isFinite }, anyP50 = p50.contains { $0.isFinite }
        let caption = anyP99 || !anyP50
            ? "p50 \(p.symbols.eighths[8]) p99 \(p.symbols.eighths[2]) per second, last \(timeSpan)s"
            : "p50 \(p.symbols.eighths[8]) per second (p99 from 100/s), last \(timeSpan)s"
        buf.put(Format.number(top, in: unit) + unit.name, x: area.x, y: area.y, style: p.graphText)
        buf.put(caption, x: max(area.x, area.right - caption.count), y: area.y, style: p.graphText, maxWidth: area.width)
        guard !graph.isEmpty, top > 0 else { return }
        Graph.bars(p50, maxValue: top, in: graph, into: &buf, symbols: p.symbols) { p.gradient(.process, $0) }
        let mark = p.gradient(.cached, 1, bold: true), rows = graph.height
        for (cx, v) in p99.enumerated() where v.isFinite && v > 0 {
            let h = max(1, Int((min(1, v / top) * Double(rows * 8)).rounded()))
            let y = graph.bottom - 1 - min(rows - 1, (h - 1) / 8)
            markOver(&buf, x: graph.x + cx, y: y, style: mark, palette: p)
        }
    }

    /// A second series' mark: a low block above the bars; inside a bar, the bar's cell in the
    /// mark's colour, or, with no colour to tell it apart, a shaded cell.
    static func markOver(_ buf: inout Buffer, x: Int, y: Int, style: Style, palette p: Palette) {
        if buf[x, y].symbol == " " {
            buf[x, y] = Cell(p.symbols.eighths[2], style: style)
        } else if p.color {
            buf[x, y].style = style
        } else {
            buf[x, y] = Cell(p.symbols.braille ? "▒" : "+", style: style)
        }
    }

    /// Log-spaced bucket edges from `lo` to `hi` (ns), `count` buckets.
    public static func logEdges(lo: Double, hi: Double, count: Int) -> [Double] {
        let a = max(1, lo), b = max(a * 1.02, hi)
        let r = (b / a)
        return (0...count).map { i in a * pow(r, Double(i) / Double(count)) }
    }

    /// Draws `series[0]` as bars and `series[1]` (if any) as a mark at the top of each of its
    /// bars, each scaled to its own peak so two distributions of different sizes compare by shape.
    static func drawHistogram(into buf: inout Buffer, area: Rect, series: [LatencyHistogram], marked s: LatencySummary,
                              palette p: Palette) {
        let bars = Rect(x: area.x, y: area.y, width: area.width, height: area.height - 2)
        let present = series.filter { $0.count > 0 }
        let lo = Double(present.map { $0.hdr.min }.min() ?? 1)
        let hi = Double(present.map { $0.hdr.maxRecorded }.max() ?? 1)
        // A little room either side so the extremes are not cut at the edges.
        let edges = logEdges(lo: lo / 1.05, hi: hi * 1.05, count: bars.width)
        let counts = series.map { $0.bucketCounts(edges: edges).map(Double.init) }
        Graph.bars(counts[0], maxValue: counts[0].max() ?? 1, in: bars, into: &buf, symbols: p.symbols) { p.gradient(.process, $0) }
        if counts.count > 1, let top = counts[1].max(), top > 0 {
            let style = p.gradient(.cached, 1, bold: true)
            let rows = bars.height
            for cx in 0..<min(bars.width, counts[1].count) where counts[1][cx] > 0 {
                let h = max(1, Int((counts[1][cx] / top * Double(rows * 8)).rounded()))
                let r = min(rows - 1, (h - 1) / 8)
                let y = bars.bottom - 1 - r
                markOver(&buf, x: bars.x + cx, y: y, style: style, palette: p)
            }
        }
        // Percentile markers of the first backend.
        func column(_ v: UInt64) -> Int {
            let d = Double(v)
            var i = 0
            while i < edges.count - 2 && d >= edges[i + 1] { i += 1 }
            return i
        }
        // Only the percentiles the sample supports get a marker.
        let markers: [(String, UInt64)] = [("p50", s.p50, 50.0), ("p90", s.p90, 90), ("p99", s.p99, 99), ("p99.9", s.p999, 99.9),
                                           ("max", s.max, 0)].filter { tooFew($0.2, count: s.count) == nil }.map { ($0.0, $0.1) }
        let markRow = area.bottom - 2
        var nextFree = area.x
        for (label, v) in markers {
            let cx = bars.x + column(v)
            for y in bars.y..<bars.bottom where buf[cx, y].symbol == " " {
                buf[cx, y] = Cell(p.symbols.marker, style: p.highlight)
            }
            let start = max(cx, nextFree)
            guard start + label.count <= area.right else { continue }
            nextFree = buf.put(label, x: start, y: markRow, style: p.highlight) + 1
        }
        // Axis: the range in the panel's units.
        let axis = area.bottom - 1
        let loText = Format.latency(UInt64(edges.first!), symbols: p.symbols)
        let hiText = Format.latency(UInt64(edges.last!), symbols: p.symbols)
        buf.put(loText, x: area.x, y: axis, style: p.graphText)
        buf.put("log", x: area.x + (area.width - 3) / 2, y: axis, style: p.graphText)
        buf.put(hiText, x: area.right - hiText.count, y: axis, style: p.graphText)
    }
}
