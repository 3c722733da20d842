import EdgeSession
import EdgeTrace

/// The processes taking the most CPU over the newest sample's interval, with resident
/// memory; edgetop's own threads are marked `*` so a user sees who took the cores when FPS
/// fell. Kernel threads are shown in brackets, as `ps` does.
public enum ProcessPanel {
    /// Draws the panel into `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        let sample = state.stats.processes
        let note = sample.map { "top by CPU over \(fixed($0.interval, 1)) s, * edgetop" }
        Block(title: "Processes", note: note, borderKey: "proc_box").draw(into: &buf, area: area, palette: p)
        let inner = Block.inner(area)
        guard !inner.isEmpty else { return }
        guard let sample else {
            buf.put("no process sample yet", x: inner.x, y: inner.y, style: p.inactive, maxWidth: inner.width)
            return
        }
        buf.put(Format.right("PID", 7) + " " + Format.right("CPU%", 6) + " " + Format.right("RSS", 6) + "  name",
                x: inner.x, y: inner.y, style: p.title, maxWidth: inner.width)
        let visible = inner.height - 1
        guard visible > 0 else { return }
        let rows = sample.processes
        let first = min(state.tables.processScroll, max(0, rows.count - visible))
        for (i, e) in rows.dropFirst(first).prefix(visible).enumerated() {
            let y = inner.y + 1 + i
            let own = e.kind == .ownThread
            var x = buf.put(Format.right("\(e.pid)", 7) + " ", x: inner.x, y: y, style: own ? p.highlight : p.text,
                            maxWidth: inner.width)
            x = buf.put(Format.right(fixed(100 * e.cpu, 1), 6) + " ", x: x, y: y,
                        style: p.gradient(.cpu, min(1, e.cpu)), maxWidth: inner.right - x)
            x = buf.put(Format.right(bytes(e.rssBytes), 6) + " ", x: x, y: y, style: p.text, maxWidth: inner.right - x)
            let name = sanitize(e.name)
            switch e.kind {
            case .ownThread: buf.put("*" + name, x: x, y: y, style: p.highlight, maxWidth: inner.right - x)
            case .kernelThread: buf.put(" [" + name + "]", x: x, y: y, style: p.inactive, maxWidth: inner.right - x)
            case .process: buf.put(" " + name, x: x, y: y, style: p.text, maxWidth: inner.right - x)
            }
        }
        if rows.isEmpty {
            buf.put("nothing used the CPU", x: inner.x, y: inner.y + 1, style: p.inactive, maxWidth: inner.width)
        }
    }

    /// Memory as top shows it: K, M or G with one decimal below 10.
    static func bytes(_ b: UInt64) -> String {
        let units: [(Double, String)] = [(1_073_741_824, "G"), (1_048_576, "M"), (1024, "K")]
        for (size, unit) in units where Double(b) >= size {
            let v = Double(b) / size
            return (v < 10 ? fixed(v, 1) : fixed(v, 0)) + unit
        }
        return "\(b)"
    }
}
