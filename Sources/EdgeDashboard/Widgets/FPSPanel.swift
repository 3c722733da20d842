import EdgeSession

/// Frames per second: now and average, a graph of the last minute, and with a target FPS
/// the deadline line and the missed-frame count.
///
/// "avg" and "missed" are the current configuration's: the average over the time it ran
/// (so it holds still while paused), and the share of the frames a camera at the target
/// rate produced meanwhile that no inference took.
public enum FPSPanel {
    /// Seconds the graph spans.
    public static let span = 60

    /// Draws the panel into `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        let stats = state.stats
        let target = (stats.targetFPS ?? state.targetFPS).flatMap { $0.isFinite && $0 >= 1e-3 && $0 <= 1e6 ? $0 : nil }
        // Under emulation the rate is the emulated device's, not this machine's.
        let note = [stats.paused ? "paused" : nil, state.header.source == .emulated ? "(emulated)" : nil].compactMap { $0 }
        Block(title: "FPS", note: note.isEmpty ? nil : note.joined(separator: " "), borderKey: "net_box")
            .draw(into: &buf, area: area, palette: p)
        let inner = Block.inner(area)
        guard inner.height >= 1, inner.width >= 4 else { return }
        // Figures: now and average; target and missed frames on the same line when they fit.
        var x = inner.x
        x = buf.put("now ", x: x, y: inner.y, style: p.graphText, maxWidth: inner.right - x)
        x = buf.put(Format.fps(stats.fps.current), x: x, y: inner.y, style: p.gradient(.download, 1, bold: true), maxWidth: inner.right - x)
        x = buf.put("  avg ", x: x, y: inner.y, style: p.graphText, maxWidth: inner.right - x)
        x = buf.put(stats.current?.averageFPS.map(Format.fps) ?? "-", x: x, y: inner.y, style: p.text, maxWidth: inner.right - x)
        var graphTop = inner.y + 1
        if let target {
            let missed = stats.current?.missedFrames ?? 0
            let pct = (stats.current?.missedShare ?? 0) * 100
            let missedText = missed == 0 ? "0" : "\(missed) (\(Format.compact(pct))%)"
            let targetText = Format.compact(target)
            let need = 2 + 7 + targetText.count + 9 + missedText.count
            var ty = inner.y, lead = "  "
            if x + need > inner.right { ty = inner.y + 1; x = inner.x; lead = ""; graphTop += 1 }
            guard ty < inner.bottom else { return }
            x = buf.put(lead + "target ", x: x, y: ty, style: p.graphText, maxWidth: inner.right - x)
            x = buf.put(targetText, x: x, y: ty, style: p.gradient(.upload, 0), maxWidth: inner.right - x)
            x = buf.put("  missed ", x: x, y: ty, style: p.graphText, maxWidth: inner.right - x)
            buf.put(missedText, x: x, y: ty, style: missed > 0 ? p.alarm(p.theme.gradient(.upload, 1)) : p.text,
                    maxWidth: inner.right - x)
        }
        guard inner.bottom - graphTop >= 2 else { return }
        // Graph: the closed seconds plus the running instantaneous figure as the newest point.
        var series = stats.fpsSeries.suffix(span - 1)
        series.append(stats.fps.current)
        let graph = Rect(x: inner.x, y: graphTop, width: inner.width, height: inner.bottom - graphTop)
        var top = series.filter(\.isFinite).max() ?? 0
        if let target { top = max(top, target) }
        let scale = Graph.niceCeiling(max(top * 1.1, 1))
        let pts = Graph.resample(series, span: span, count: graph.width * Graph.pointsPerCell(p.symbols))
        Graph.area(pts, maxValue: scale, in: graph, into: &buf, symbols: p.symbols) { p.gradient(.download, $0) }
        if let target, target <= scale {
            // The deadline: a dashed line at the target where the graph leaves room.
            let row = graph.bottom - 1 - Int((target / scale * Double(graph.height)).rounded(.down))
            let y = max(graph.y, min(graph.bottom - 1, row))
            let ds = p.gradient(.upload, 0)
            for cx in graph.x..<graph.right where buf[cx, y].symbol == " " { buf[cx, y] = Cell(p.symbols.dashed, style: ds) }
        }
        // Axis labels on the top row (the scale leaves 10 % headroom there): scale top and span.
        buf.put(Format.compact(scale), x: graph.x, y: graph.y, style: p.graphText)
        let spanText = "last \(span)s"
        buf.put(spanText, x: graph.right - spanText.count, y: graph.y, style: p.graphText)
    }
}
