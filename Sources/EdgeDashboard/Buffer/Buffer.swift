/// A terminal colour as a theme or widget asks for it; the terminal layer maps it to what
/// the terminal can show (true colour, 256 colours, 8 colours or none).
public enum Color: Sendable, Hashable {
    case `default`
    /// One of the 256 xterm palette entries.
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

/// How a cell is drawn.
public struct Style: Sendable, Hashable {
    public var fg: Color
    public var bg: Color
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(fg: Color = .default, bg: Color = .default, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.dim = dim
        self.reverse = reverse; self.underline = underline
    }

    public static let plain = Style()
}

/// One screen cell: a single-column grapheme and its style.
public struct Cell: Sendable, Hashable {
    public var symbol: Character
    public var style: Style

    public init(_ symbol: Character = " ", style: Style = .plain) {
        self.symbol = symbol; self.style = style
    }

    public static let blank = Cell()
}

/// A rectangle of cells that widgets draw into. Only the terminal layer does I/O; it
/// flushes the cells that differ from the previous frame (`changes(from:)`).
public struct Buffer: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width); self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// The cell at column x, row y; reads outside the buffer give a blank, writes are dropped.
    public subscript(x: Int, y: Int) -> Cell {
        get { (x >= 0 && y >= 0 && x < width && y < height) ? cells[y * width + x] : .blank }
        set { if x >= 0 && y >= 0 && x < width && y < height { cells[y * width + x] = newValue } }
    }

    /// Fills `area` (clipped to the buffer) with `cell`, a row slice at a time: every frame
    /// starts by clearing the screen and each panel its area, so this is the hottest loop.
    public mutating func fill(_ area: Rect, with cell: Cell) {
        let x0 = max(0, area.x), x1 = min(width, area.x + area.width)
        let y0 = max(0, area.y), y1 = min(height, area.y + area.height)
        guard x0 < x1, y0 < y1 else { return }
        cells.withUnsafeMutableBufferPointer { p in
            for y in y0..<y1 {
                let row = y * width
                for i in (row + x0)..<(row + x1) { p[i] = cell }
            }
        }
    }

    /// Every row as plain text (symbols only), for snapshot tests.
    public func lines() -> [String] {
        (0..<height).map { y in String(cells[(y * width)..<((y + 1) * width)].map(\.symbol)) }
    }

    /// Cells that differ from `previous`, row-major; everything when the sizes differ.
    public func changes(from previous: Buffer?) -> [(x: Int, y: Int, cell: Cell)] {
        var out: [(x: Int, y: Int, cell: Cell)] = []
        let full = previous == nil || previous!.width != width || previous!.height != height
        for y in 0..<height {
            for x in 0..<width {
                let c = cells[y * width + x]
                if full || previous!.cells[y * width + x] != c { out.append((x, y, c)) }
            }
        }
        return out
    }
}
