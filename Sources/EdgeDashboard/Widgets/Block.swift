/// A bordered panel with a title; panels draw their content inside `inner`.
public struct Block {
    /// Title drawn into the top border.
    public var title: String
    /// Extra text drawn after the title (a label such as "(emulated)").
    public var note: String?
    /// btop key of the border colour.
    public var borderKey: String

    /// A block titled `title` with the border colour of `borderKey`.
    public init(title: String, note: String? = nil, borderKey: String) {
        self.title = title; self.note = note; self.borderKey = borderKey
    }

    /// The area inside the border.
    public static func inner(_ area: Rect) -> Rect { area.inset(1) }

    /// Clears `area`, then draws the border and title.
    public func draw(into buf: inout Buffer, area: Rect, palette p: Palette) {
        // A panel owns its whole area: what a previous frame or a neighbour left is cleared.
        buf.fill(area, with: p.blank)
        guard area.width >= 2, area.height >= 2 else { return }
        let s = p.symbols, bs = p.key(borderKey)
        let top = area.y, bot = area.bottom - 1, l = area.x, r = area.right - 1
        for x in (l + 1)..<r {
            buf[x, top] = Cell(s.horizontal, style: bs); buf[x, bot] = Cell(s.horizontal, style: bs)
        }
        for y in (top + 1)..<bot {
            buf[l, y] = Cell(s.vertical, style: bs); buf[r, y] = Cell(s.vertical, style: bs)
        }
        buf[l, top] = Cell(s.topLeft, style: bs); buf[r, top] = Cell(s.topRight, style: bs)
        buf[l, bot] = Cell(s.bottomLeft, style: bs); buf[r, bot] = Cell(s.bottomRight, style: bs)
        let room = area.width - 4
        guard room > 0 else { return }
        var x = buf.put(" " + title + " ", x: l + 1, y: top, style: p.title, maxWidth: room + 2)
        if let note, x < r - 1 {
            x = buf.put(note + " ", x: x, y: top, style: p.graphText, maxWidth: r - 1 - x)
        }
    }
}
