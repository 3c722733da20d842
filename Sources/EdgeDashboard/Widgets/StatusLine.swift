/// The bottom line: the main keys of the mode, and at the right the latest message or a
/// recent mark; a replay that has played its last event says "end of trace".
public enum StatusLine {
    /// Keys listed, by label and short help, for each mode.
    public static func entries(_ mode: InputMode) -> [(String, String)] {
        switch mode {
        case .live:
            return [("q", "quit"), ("?", "help"), ("b", "backend"), ("m", "model"), ("+/-", "threads"),
                    ("p", "pause"), ("t", "theme"), ("r", "reset")]
        case .replay:
            return [("q", "quit"), ("?", "help"), ("Space", "pause"), ("Left/Right", "seek"), ("[ ]", "speed"),
                    ("b", "view"), ("t", "theme"), ("r", "reset")]
        }
    }

    /// Draws the status line into the one-row `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        guard !area.isEmpty else { return }
        buf.fill(area, with: p.blank)
        var msgW = 0
        // The note of the moment: a message, else a mark made in the last 10 s of the session.
        var note = state.message
        if note == nil, state.atEndOfTrace { note = "end of trace" }
        if note == nil, let mark = state.stats.marks.last, state.stats.now - mark.t <= 10 { note = "mark: " + mark.label }
        if let m = note, !m.isEmpty {
            msgW = min(m.count + 1, area.width / 3)
            buf.put(Format.left(m, msgW - 1), x: area.right - msgW + 1, y: area.y, style: p.graphText)
        }
        var x = area.x
        let limit = area.right - msgW
        for (key, help) in entries(state.inputMode) {
            guard x + key.count + help.count + 2 <= limit else { break }
            x = buf.put(" " + key, x: x, y: area.y, style: p.highlight)
            x = buf.put(" " + help, x: x, y: area.y, style: p.text)
        }
    }
}
