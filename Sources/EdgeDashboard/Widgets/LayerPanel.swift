import EdgeSession
import EdgeTrace

/// The model's operators as htop lists processes: index, kind, shape, MACs, recent median
/// time, share of the whole, GMAC/s, share of the CPU's measured peak and the microkernel
/// that runs it, sorted by the chosen column (named in the title) and scrolled.
public enum LayerPanel {
    /// One column: its heading, width (0: takes what is left), and whether it is
    /// right-aligned; columns are dropped from the least useful when the panel is narrow.
    struct Column {
        var title: String
        var width: Int
        var right: Bool
        var sort: LayerSortKey?
        var cell: (LayerRow) -> String
    }

    /// Columns in display order, with the width below which each is dropped (wide first).
    static func columns(width: Int) -> [Column] {
        func num(_ v: Double?, _ d: Int) -> String { v.map { fixed($0, d) } ?? "-" }
        var cols: [(Column, minWidth: Int)] = [
            (Column(title: "#", width: 3, right: true, sort: .index, cell: { "\($0.index)" }), 0),
            (Column(title: "layer", width: 14, right: false, sort: nil, cell: { $0.name }), 110),
            (Column(title: "kind", width: 10, right: false, sort: nil, cell: { $0.kind }), 0),
            (Column(title: "shape", width: 11, right: false, sort: nil, cell: { $0.shape }), 70),
            (Column(title: "MMACs", width: 7, right: true, sort: nil, cell: { fixed(Double($0.macs) / 1e6, 1) }), 80),
            (Column(title: "ms", width: 7, right: true, sort: .time, cell: { fixed($0.medianNs / 1e6, 3) }), 0),
            (Column(title: "share", width: 6, right: true, sort: .share, cell: { fixed(100 * $0.share, 1) + "%" }), 0),
            (Column(title: "GMAC/s", width: 7, right: true, sort: .rate, cell: { num($0.gmacs, 1) }), 0),
            (Column(title: "peak", width: 6, right: true, sort: nil, cell: { $0.peakShare.map { fixed(100 * $0, 0) + "%" } ?? "-" }), 60),
            (Column(title: "kernel", width: 0, right: false, sort: nil, cell: { $0.kernel }), 0),
        ]
        cols.removeAll { width < $0.minWidth }
        return cols.map(\.0)
    }

    /// The note in the title: model, backend, where the times come from, how many
    /// profiles the medians cover, and the sort.
    static func note(_ table: LayerTable?, _ state: DashboardState) -> String {
        guard let t = table else { return state.tables.sortLabel }
        let origin = t.key.emulated ? "emulated" : "measured"
        return "\(t.key.model) \(t.key.backend) \(origin), median of \(t.sampleCount), \(state.tables.sortLabel)"
    }

    /// Draws the panel into `area`.
    public static func draw(into buf: inout Buffer, area: Rect, state: DashboardState, palette p: Palette) {
        let table = state.layerTable
        Block(title: "Layers", note: note(table, state), borderKey: "proc_box").draw(into: &buf, area: area, palette: p)
        let inner = Block.inner(area)
        guard !inner.isEmpty else { return }
        guard let table, !table.layers.isEmpty else {
            buf.put("no layer profile yet (one inference in N is profiled)", x: inner.x, y: inner.y, style: p.inactive,
                    maxWidth: inner.width)
            return
        }
        let cols = columns(width: inner.width)
        let fixedW = cols.reduce(0) { $0 + $1.width } + cols.count - 1
        let restW = max(0, inner.width - fixedW)
        func width(_ c: Column) -> Int { c.width == 0 ? restW : c.width }
        // Heading: the sorted column is highlighted.
        var x = inner.x
        for c in cols {
            let style = c.sort == state.tables.layerSort ? p.selected : p.title
            let text = c.right ? Format.right(c.title, width(c)) : Format.left(c.title, width(c), ellipsis: p.symbols.ellipsis)
            buf.put(text, x: x, y: inner.y, style: style, maxWidth: inner.right - x)
            x += width(c) + 1
        }
        let rows = state.tables.sorted(table.rows)
        let visible = inner.height - 1
        guard visible > 0 else { return }
        let first = min(state.tables.layerScroll, max(0, rows.count - visible))
        for (i, r) in rows.dropFirst(first).prefix(visible).enumerated() {
            let y = inner.y + 1 + i
            var x = inner.x
            // The heavy rows stand out: colour by share of the whole.
            let heat = p.gradient(.cpu, min(1, r.share * 4))
            for c in cols {
                let w = width(c)
                let v = c.cell(r)
                let text = c.right ? Format.right(v, w) : Format.left(v, w, ellipsis: p.symbols.ellipsis)
                buf.put(text, x: x, y: y, style: c.sort == .time || c.sort == .share ? heat : p.text, maxWidth: inner.right - x)
                x += w + 1
                if x >= inner.right { break }
            }
        }
        // Scrolled: say where, on the bottom border.
        if rows.count > visible {
            let pos = " \(first + 1)-\(min(rows.count, first + visible))/\(rows.count) "
            buf.put(pos, x: max(area.x + 1, area.right - 1 - pos.count), y: area.bottom - 1, style: p.graphText)
        }
    }
}
