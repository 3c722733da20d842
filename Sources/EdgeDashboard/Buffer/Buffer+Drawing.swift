extension Buffer {
    /// Fills the whole buffer with `cell` (each frame starts from the theme's background).
    public mutating func fill(_ cell: Cell) {
        fill(Rect(x: 0, y: 0, width: width, height: height), with: cell)
    }

    /// Sets the style of every cell in `area`, keeping the symbols.
    public mutating func setStyle(_ area: Rect, _ style: Style) {
        let a = area.intersection(Rect(x: 0, y: 0, width: width, height: height))
        guard !a.isEmpty else { return }
        for y in a.y..<a.bottom { for x in a.x..<a.right { self[x, y].style = style } }
    }

    /// Writes `text` from column x on row y, at most `maxWidth` cells, and returns the column
    /// after the last cell written. Control characters and characters that may not take
    /// exactly one column are replaced by `?`, so nothing from a trace reaches the terminal
    /// as a control sequence or shifts the screen.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height, maxWidth > 0 else { return x }
        var col = x
        let limit = min(width, maxWidth == .max ? width : x + maxWidth)
        for ch in text {
            if col >= limit { break }
            if col >= 0 { self[col, y] = Cell(Buffer.displayable(ch), style: style) }
            col += 1
        }
        return col
    }

    /// `ch` if it is safe to show in one cell, else `?`.
    static func displayable(_ ch: Character) -> Character {
        if ch.isASCII {
            guard let v = ch.asciiValue, v >= 0x20, v != 0x7F else { return "?" }
            return ch
        }
        guard ch.unicodeScalars.count == 1, let s = ch.unicodeScalars.first else { return "?" }
        let v = s.value
        // C1 controls, bidi/format controls, and wide East Asian or emoji ranges that take two columns.
        if v < 0xA0 || (0x200B...0x200F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || v >= 0x1F000 || (0xFFF9...0xFFFF).contains(v) {
            return "?"
        }
        switch s.properties.generalCategory {
        case .control, .format, .nonspacingMark, .enclosingMark, .spacingMark, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator:
            return "?"
        default:
            return ch
        }
    }
}
