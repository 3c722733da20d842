import EdgeSession
import EdgeTrace

/// What fills the dashboard's body: the panels, or one table over the whole body.
public enum BodyView: Sendable, Equatable {
    case panels, layers, processes
}

/// The columns the layer table sorts by, in the order `<` and `>` step through them.
public enum LayerSortKey: String, Sendable, CaseIterable {
    case index, time, share, rate

    /// Whether this column reads largest first when sorted (index reads in graph order).
    var descendingByDefault: Bool { self != .index }
}

/// The UI state of the two tables: which is shown full-screen, the layer sort and the
/// scroll offsets. Kept apart from the statistics, like every widget's own state.
public struct TableViewState: Sendable, Equatable {
    /// Panels, or a table over the whole body.
    public var view: BodyView = .panels
    /// Column the layer table is sorted by.
    public var layerSort: LayerSortKey = .time
    /// Largest first when true.
    public var descending = true
    /// First layer row shown.
    public var layerScroll = 0
    /// First process row shown.
    public var processScroll = 0

    /// A fresh state: panels, layers by time, largest first.
    public init() {}

    /// The sort as the table header spells it, e.g. "sort time desc".
    public var sortLabel: String { "sort \(layerSort.rawValue) \(descending ? "desc" : "asc")" }

    /// `rows` in the chosen order; ties keep graph order.
    public func sorted(_ rows: [LayerRow]) -> [LayerRow] {
        func key(_ r: LayerRow) -> Double {
            switch layerSort {
            case .index: return Double(r.index)
            case .time: return r.medianNs
            case .share: return r.share
            case .rate: return r.gmacs ?? -1
            }
        }
        return rows.sorted { a, b in
            let ka = key(a), kb = key(b)
            if ka != kb { return descending ? ka > kb : ka < kb }
            return a.index < b.index
        }
    }

    /// Steps the sort column by `step` (wrapping), with that column's natural direction.
    mutating func stepSort(_ step: Int) {
        let all = LayerSortKey.allCases
        let i = all.firstIndex(of: layerSort) ?? 0
        layerSort = all[((i + step) % all.count + all.count) % all.count]
        descending = layerSort.descendingByDefault
        layerScroll = 0
    }
}

extension DashboardState {
    /// The layer table to show: the running model on the running backend (emulated times
    /// first under emulation), else the one profiled most recently.
    public var layerTable: LayerTable? {
        stats.layerTables.table(model: stats.model, backend: stats.backend) ?? stats.layerTables.newest
    }

    /// Applies a table action; returns false for actions that are not about the tables.
    mutating func applyTableAction(_ action: DashboardAction) -> Bool {
        switch action {
        case .toggleLayerView: tables.view = tables.view == .layers ? .panels : .layers
        case .toggleProcessView: tables.view = tables.view == .processes ? .panels : .processes
        case .closeView: tables.view = .panels
        case .sortNext: tables.stepSort(1)
        case .sortPrevious: tables.stepSort(-1)
        case .scroll(let lines):
            if tables.view == .processes {
                let n = stats.processes?.processes.count ?? 0
                tables.processScroll = min(max(0, tables.processScroll + lines), max(0, n - 1))
            } else {
                let n = layerTable?.layers.count ?? 0
                tables.layerScroll = min(max(0, tables.layerScroll + lines), max(0, n - 1))
            }
        default: return false
        }
        return true
    }
}
