import EdgeSession

/// The top line: device, model, backend, threads, mode (LIVE, or REPLAY with position,
/// length, speed and pause), and the recording indicator. Segments that do not fit are
/// shortened (the CPU model first) or dropped from the right.
public enum HeaderBar {
    /// Draws the header into the one-row `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        guard !area.isEmpty else { return }
        buf.fill(area, with: p.blank)
        let s = p.symbols, stats = state.stats
        let dev = state.header.device
        var mode: String
        var recording: String?
        switch state.mode {
        case .live(let rec):
            mode = "LIVE" + (stats.paused ? " " + s.pause : "")
            recording = rec
        case .replay(let pos, let len, let speed, let paused):
            mode = "REPLAY \(Format.clock(pos))/\(Format.clock(len)) \(Format.speed(speed))\(s.times) \(paused ? s.pause : s.play)"
        }
        if state.header.source == .emulated { mode += " EMU" }
        if state.header.source == .imported { mode += " IMPORTED" }
        // (text, style, can shrink)
        var segs: [(String, Style, Bool)] = [
            (" edgetop ", p.title, false),
            (mode, p.alarm(p.theme.color("proc_misc")), false),
            ("\(dev.cpuModel) (\(dev.cores) cores)", p.text, true),
            (stats.model ?? state.header.model ?? "-", p.text, true),
            (stats.backend ?? "-", p.selected, false),
            (stats.threads.map { "\($0) thr" } ?? "", p.text, false),
        ]
        if let recording { segs.append(("\(s.recording) REC \(recording)", p.alarm(p.theme.gradient(.used, 1)), true)) }
        segs = segs.filter { !$0.0.isEmpty }
        let sep = s.separator
        func total() -> Int { segs.reduce(0) { $0 + $1.0.count } + (segs.count - 1) * sep.count }
        // Shrink what may shrink (to 8 cells), then drop from the right end.
        var over = total() - area.width
        for i in segs.indices where over > 0 && segs[i].2 {
            let cut = min(over, max(0, segs[i].0.count - 8))
            if cut > 0 {
                segs[i].0 = String(segs[i].0.prefix(segs[i].0.count - cut - 1)) + String(s.ellipsis)
                over -= cut
            }
        }
        while total() > area.width && segs.count > 2 { segs.removeLast() }
        var x = area.x
        for (i, seg) in segs.enumerated() {
            if i > 0 { x = buf.put(sep, x: x, y: area.y, style: p.divider, maxWidth: area.right - x) }
            x = buf.put(seg.0, x: x, y: area.y, style: seg.1, maxWidth: area.right - x)
        }
    }
}
