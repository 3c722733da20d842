/// A box over the screen listing every key, generated from `KeyMap.bindings` so no key can
/// be missing: both modes side by side where the width allows, else the keys of the mode
/// in use (and the other mode's below them when the height allows).
public enum HelpOverlay {
    /// What the figures mean where a label alone cannot say it, under the keys.
    public static let notes = [
        "missed: share of frames a camera at the target rate would drop, per config",
        "\u{2248}p: histogram percentiles within 1 %; edgetop stats gives them exactly",
    ]

    /// The lines of one mode's section: a heading then "keys  help" lines.
    static func section(_ title: String, _ mode: InputMode, keyW: Int) -> [(String, String)] {
        var out: [(String, String)] = [(title, "")]
        for b in KeyMap.bindings(for: mode) { out.append((b.label, b.help)) }
        return out
    }

    /// Draws the overlay centred in `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        let keyW = 9
        let live = section("Live", .live, keyW: keyW), replay = section("Replay", .replay, keyW: keyW)
        let lineW = keyW + 28
        let twoColumns = area.width >= 2 * lineW + 5
        let (current, other) = state.inputMode == .live ? (live, replay) : (replay, live)
        // One column: the mode in use first; the other only if it fits as well.
        // Where even the mode in use does not fit with its heading, the heading goes.
        let single = current.count + 1 + other.count + 3 <= area.height ? current + [("", " ")] + other
            : current.count + 2 <= area.height ? current : Array(current.dropFirst())
        let keysH = twoColumns ? max(live.count, replay.count) : single.count
        let noteW = notes.map(\.count).max() ?? 0
        // The notes go under the keys when the box can hold them whole.
        let w = min(area.width, max(twoColumns ? 2 * lineW + 3 : lineW, noteW + 1) + 2)
        let showNotes = keysH + notes.count + 3 <= area.height && noteW + 3 <= w
        let bodyH = keysH + (showNotes ? notes.count : 0)
        // A blank line under the title when there is room for it.
        let gap = bodyH + 3 <= area.height ? 1 : 0
        let h = min(area.height, bodyH + 2 + gap)
        let box = Rect(x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h)
        buf.fill(box, with: p.blank)
        Block(title: "Keys", note: "Esc or ? closes", borderKey: "div_line").draw(into: &buf, area: box, palette: p)
        let inner = Block.inner(box)
        func put(_ lines: [(String, String)], x: Int, y0: Int, width: Int) {
            for (i, (k, h)) in lines.enumerated() {
                let y = y0 + i
                guard y < inner.bottom else { return }
                if h.isEmpty {
                    buf.put(k, x: x, y: y, style: p.title, maxWidth: width)
                } else {
                    buf.put(Format.left(k, keyW), x: x, y: y, style: p.highlight, maxWidth: width)
                    buf.put(h, x: x + keyW, y: y, style: p.text, maxWidth: width - keyW)
                }
            }
        }
        let y0 = inner.y + gap
        if twoColumns {
            put(live, x: inner.x + 1, y0: y0, width: lineW)
            put(replay, x: inner.x + 2 + lineW, y0: y0, width: lineW)
        } else {
            put(single, x: inner.x + 1, y0: y0, width: inner.width - 1)
        }
        if showNotes {
            let ascii = !p.symbols.braille
            for (i, note) in notes.enumerated() where y0 + keysH + i < inner.bottom {
                let text = ascii ? String(note.map { $0 == "\u{2248}" ? "~" : $0 }) : note
                buf.put(text, x: inner.x + 1, y: y0 + keysH + i, style: p.graphText, maxWidth: inner.width - 1)
            }
        }
    }
}
