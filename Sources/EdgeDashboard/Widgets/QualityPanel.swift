import EdgeSession
import EdgeTrace

/// Agreement of each backend's output with the fp32 reference: logits cosine and top-1,
/// for the model in use only (another model's figures say nothing about this one).
public enum QualityPanel {
    /// Draws the panel into `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        let stats = state.stats
        let reports = stats.currentQuality
        Block(title: "Quality", note: note(reports), borderKey: "mem_box").draw(into: &buf, area: area, palette: p)
        let inner = Block.inner(area)
        guard !inner.isEmpty else { return }
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
            x = buf.put(q.top1Agree ? "agree" : "DIFFERS", x: x, y: y,
                        style: q.top1Agree ? p.gradient(.available, 1) : p.alarm(p.theme.gradient(.used, 1)), maxWidth: inner.right - x)
            if let a = q.accuracy {
                x = buf.put("  top-1 \(a.top1)/\(a.images), top-5 \(a.top5)/\(a.images) (real images)", x: x, y: y,
                            style: p.text, maxWidth: inner.right - x)
            }
            if let g = q.agreement {
                buf.put("  same top-1 as \(g.with) on \(g.top1)/\(g.images)", x: x, y: y, style: p.text, maxWidth: inner.right - x)
            }
        }
    }

    /// Agreement on a noise input is no accuracy, and the built-in models (the ones not read
    /// from a .tflite file) have seeded, untrained weights: the title says which it is.
    static func note(_ reports: [QualityReport]) -> String {
        if reports.isEmpty || reports.contains(where: { $0.accuracy != nil }) { return "vs reference" }
        return reports.allSatisfy { $0.model.hasSuffix(".tflite") } ? "vs reference, noise input" : "vs reference, seeded weights"
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
