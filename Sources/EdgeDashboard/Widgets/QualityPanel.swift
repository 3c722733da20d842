import EdgeSession

/// Agreement of each backend's output with the fp32 reference: logits cosine and top-1,
/// for the model in use only (another model's figures say nothing about this one).
public enum QualityPanel {
    /// Draws the panel into `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        Block(title: "Quality", note: "vs reference", borderKey: "mem_box").draw(into: &buf, area: area, palette: p)
        let inner = Block.inner(area)
        guard !inner.isEmpty else { return }
        let stats = state.stats
        let reports = stats.currentQuality
        guard !reports.isEmpty else {
            // An imported log never had edgetop's check: it was not recorded, not missing.
            let text = state.notRecorded(.quality) ? "not recorded" : "no quality report"
            buf.put(text, x: inner.x, y: inner.y, style: p.inactive, maxWidth: inner.width)
            return
        }
        for (i, q) in reports.prefix(inner.height).enumerated() {
            let name = q.backend
            let y = inner.y + i
            let good = q.cosine >= 0.99 && q.top1Agree
            var x = buf.put(Format.left(name, 6, ellipsis: p.symbols.ellipsis), x: inner.x, y: y,
                            style: name == stats.backend ? p.selected : p.text)
            x = buf.put(" cos ", x: x, y: y, style: p.graphText, maxWidth: inner.right - x)
            x = buf.put(String(format4(q.cosine)), x: x, y: y, style: good ? p.gradient(.available, 1) : p.gradient(.used, 1, bold: true),
                        maxWidth: inner.right - x)
            x = buf.put("  top-1 ", x: x, y: y, style: p.graphText, maxWidth: inner.right - x)
            buf.put(q.top1Agree ? "agree" : "DIFFERS", x: x, y: y,
                    style: q.top1Agree ? p.gradient(.available, 1) : p.alarm(p.theme.gradient(.used, 1)), maxWidth: inner.right - x)
        }
    }

    private static func format4(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e6 else { return "-" }
        let n = Int((v * 10_000).rounded())
        let sign = n < 0 ? "-" : ""
        let a = abs(n)
        let frac = String(a % 10_000)
        return "\(sign)\(a / 10_000).\(String(repeating: "0", count: 4 - frac.count))\(frac)"
    }
}
