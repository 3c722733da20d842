import EdgeSession

/// A bar per core, htop-like: user time then system time, the busy percentage, and the
/// frequency where known. Cores flow into as many columns as the width allows so 2 to 16+
/// cores stay readable; beyond what fits, the last line counts the cores left out.
public enum CoresPanel {
    /// How cores are arranged in a panel's inner area.
    public struct Arrangement: Sendable, Equatable {
        /// Columns of cores.
        public var columns: Int
        /// Rows of cores.
        public var rows: Int
        /// Width of one core cell, without the gap between columns.
        public var cellWidth: Int
        /// Whether each cell shows the frequency.
        public var showFrequency: Bool
        /// Cores drawn (the rest are counted on the last line).
        public var shown: Int
    }

    /// Narrowest cell with a frequency: "15 [██████   ] 100% 2.40G".
    static func minWidth(digits: Int, frequency: Bool) -> Int { digits + 2 + 6 + 5 + (frequency ? 6 : 0) }

    /// Rows inner panels need for `cores` cores at `width` (for the layout to size the panel).
    public static func rowsNeeded(cores: Int, width: Int, frequency: Bool) -> Int {
        arrange(cores: cores, width: width, height: Int.max / 2, frequency: frequency).rows
    }

    /// The arrangement of `cores` in `width` × `height` cells: the fewest columns that fit
    /// the height, frequency dropped before columns get too narrow.
    public static func arrange(cores: Int, width: Int, height: Int, frequency: Bool) -> Arrangement {
        guard cores > 0, width > 0, height > 0 else {
            return Arrangement(columns: 1, rows: 0, cellWidth: max(0, width), showFrequency: false, shown: 0)
        }
        let digits = String(cores - 1).count
        for freq in (frequency ? [true, false] : [false]) {
            let minW = minWidth(digits: digits, frequency: freq)
            let maxCols = max(1, (width + 1) / (minW + 1))
            for cols in 1...maxCols {
                let rows = (cores + cols - 1) / cols
                if rows <= height {
                    let cw = (width - (cols - 1)) / cols
                    return Arrangement(columns: cols, rows: rows, cellWidth: cw, showFrequency: freq, shown: cores)
                }
            }
        }
        // Too many: fill every cell and leave the last line for "+N more".
        let minW = minWidth(digits: digits, frequency: false)
        let cols = max(1, (width + 1) / (minW + 1))
        let cw = (width - (cols - 1)) / cols
        let rows = max(0, height - 1)
        return Arrangement(columns: cols, rows: rows, cellWidth: cw, showFrequency: false, shown: min(cores, cols * rows))
    }

    /// Draws the panel into `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        let stats = state.stats
        let cores = stats.cores
        let sum = cores.reduce(0) { $0 + ($1.load.busy.isFinite ? max(0, min(1, $1.load.busy)) : 0) }
        let avg = cores.isEmpty ? 0 : sum / Double(cores.count)
        var note = cores.isEmpty ? "" : "avg \(Int((avg * 100).rounded()))%"
        if stats.frequenciesEmulated { note += " (emulated)" }
        Block(title: "Cores", note: note.isEmpty ? nil : note, borderKey: "cpu_box").draw(into: &buf, area: area, palette: p)
        let inner = Block.inner(area)
        guard !inner.isEmpty else { return }
        guard !cores.isEmpty else {
            // A trace holds every sample it will ever have: none there is "not recorded".
            let text = state.notRecorded(.load) ? "load not recorded" : "no load sample yet"
            buf.put(text, x: inner.x, y: inner.y, style: p.inactive, maxWidth: inner.width)
            return
        }
        let hasFreq = cores.contains { $0.frequency != nil }
        let a = arrange(cores: cores.count, width: inner.width, height: inner.height, frequency: hasFreq)
        let digits = String(cores.count - 1).count
        for i in 0..<a.shown {
            let col = a.rows > 0 ? i / a.rows : 0, row = a.rows > 0 ? i % a.rows : 0
            let x = inner.x + col * (a.cellWidth + 1), y = inner.y + row
            drawCore(cores[i], digits: digits, x: x, y: y, width: a.cellWidth, frequency: a.showFrequency, into: &buf, palette: p)
        }
        if a.shown < cores.count {
            buf.put("+\(cores.count - a.shown) cores not shown", x: inner.x, y: inner.bottom - 1, style: p.inactive, maxWidth: inner.width)
        }
        // Rows to spare: the mean load of all cores over the last minute.
        let spare = inner.height - a.rows
        if a.shown == cores.count && spare >= 4 {
            drawHistory(cores, area: Rect(x: inner.x, y: inner.y + a.rows + 1, width: inner.width, height: spare - 1), into: &buf, palette: p)
        }
    }

    /// Seconds the load history spans.
    public static let historySpan = 60

    static func drawHistory(_ cores: [CoreState], area: Rect, into buf: inout Buffer, palette p: Palette) {
        let n = cores.map { $0.loadSeries.points.count }.min() ?? 0
        var mean = [Double](repeating: 0, count: min(n, historySpan - 1))
        for c in cores {
            let tail = c.loadSeries.suffix(mean.count)
            for i in 0..<mean.count { mean[i] += tail[i].isFinite ? max(0, min(1, tail[i])) : 0 }
        }
        mean = mean.map { $0 / Double(cores.count) * 100 }
        mean.append(cores.reduce(0) { $0 + ($1.load.busy.isFinite ? max(0, min(1, $1.load.busy)) : 0) } / Double(cores.count) * 100)
        let pts = Graph.resample(mean, span: historySpan, count: area.width * Graph.pointsPerCell(p.symbols))
        Graph.area(pts, maxValue: 100, in: area, into: &buf, symbols: p.symbols) { p.gradient(.cpu, $0) }
        buf.put("100%", x: area.x, y: area.y, style: p.graphText)
        let caption = "mean load, \(historySpan)s"
        // Labels go on the top row, where a load under 100 % leaves room, never over the newest data.
        buf.put(caption, x: area.right - caption.count, y: area.y, style: p.graphText)
    }

    static func drawCore(_ c: CoreState, digits: Int, x: Int, y: Int, width: Int, frequency: Bool,
                         into buf: inout Buffer, palette p: Palette) {
        let s = p.symbols
        var cx = buf.put(Format.right(String(c.index), digits), x: x, y: y, style: p.graphText)
        let freqText = frequency ? " " + Format.right(c.frequency.map { Format.frequency($0.curMHz) } ?? "-", 5) : ""
        let barW = width - digits - 1 - 2 - freqText.count
        guard barW >= 3 else { return }
        cx = buf.put(" [", x: cx, y: y, style: p.divider)
        // Shares from a file may be anything: keep them finite and within 0...1.
        func share(_ v: Double) -> Double { v.isFinite ? max(0, min(1, v)) : 0 }
        let busy = share(c.load.busy)
        let sysShare = min(busy, share(c.load.system + c.load.irq + c.load.softirq))
        let userShare = busy - sysShare
        // The percentage sits inside the bar's right end, as in htop.
        let pct = "\(Int((busy * 100).rounded()))%"
        let fillable = barW
        let userCells = Int((userShare * Double(fillable)).rounded())
        let sysCells = min(fillable - userCells, Int((sysShare * Double(fillable)).rounded()))
        for k in 0..<fillable {
            let px = cx + k
            if k < userCells {
                buf[px, y] = Cell(s.userFill, style: p.gradient(.cpu, Double(k) / Double(max(1, fillable - 1))))
            } else if k < userCells + sysCells {
                buf[px, y] = Cell(s.systemFill, style: p.gradient(.used, 0))
            } else {
                buf[px, y] = Cell(" ", style: p.meter)
            }
        }
        buf.put(pct, x: cx + fillable - pct.count, y: y, style: p.text)
        cx += fillable
        cx = buf.put("]", x: cx, y: y, style: p.divider)
        if frequency {
            let cur = c.frequency?.curMHz ?? 0, mx = c.frequency?.maxMHz ?? 0
            // A core held well below its maximum reads as throttled.
            let low = mx > 0 && cur < mx * 0.8
            buf.put(freqText, x: cx, y: y, style: low ? p.gradient(.temp, 1) : p.graphText)
        }
    }
}
