import CNcurses

/// Turns a cell's symbol into what may be written to the terminal.
///
/// Symbols from traces are sanitised upstream, but nothing from a file may reach the screen
/// as a control character, and a cell is one column wide: anything else becomes `?`.
public enum CellText {
    /// The unicode scalars to write for `symbol` (at most 5, the ncurses limit per cell).
    /// In `unicode: false` mode (non-UTF-8 locale) only printable ASCII passes.
    public static func scalars(for symbol: Character, unicode: Bool) -> [Unicode.Scalar] {
        let scalars = Array(symbol.unicodeScalars)
        guard let first = scalars.first else { return ["?"] }
        if !unicode {
            return scalars.count == 1 && first.value >= 0x20 && first.value < 0x7F ? [first] : ["?"]
        }
        if scalars.contains(where: isControl) { return ["?"] }
        if first.value < 0x7F { return scalars.count == 1 ? [first] : ["?"] }
        // One column, as the C library sees it; a combining mark alone or a wide CJK
        // glyph would shift the rest of the row.
        guard edgetop_wcwidth(first.value) == 1 else { return ["?"] }
        return Array(scalars.prefix(5))
    }

    /// C0 and C1 controls, DEL, and the bidi/line separators that move the cursor or the text.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029
            || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
    }
}
