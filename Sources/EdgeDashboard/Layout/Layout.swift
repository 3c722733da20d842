/// The size a layout segment asks for.
public enum Constraint: Sendable, Equatable {
    /// Exactly n cells.
    case length(Int)
    /// At least n cells; takes a share of any space left over.
    case min(Int)
    /// p % of the whole space being split (rounded down).
    case percentage(Int)
}

/// Splits a rectangle into rows or columns by constraints, in the manner of ratatui.
///
/// Priority, strongest first: `min` > `length` > `percentage`. Each segment first gets what
/// it asks for (a `min` segment its minimum). When that does not fit, the weakest give way
/// first: percentages shrink (last segment first) down to zero, then lengths, then, only if
/// still needed, minimums. Space left over goes to the `min` segments in equal shares (the
/// earlier ones get the odd cells); without any `min` segment it goes to the last segment,
/// so the segments always cover the whole rectangle exactly.
public enum Layout {
    /// Direction of a split.
    public enum Direction: Sendable { case vertical, horizontal }

    /// Sizes for `constraints` that sum to `total`.
    public static func sizes(_ constraints: [Constraint], total: Int) -> [Int] {
        guard !constraints.isEmpty else { return [] }
        let total = max(0, total)
        var size = constraints.map { c -> Int in
            switch c {
            case .length(let n): return max(0, n)
            case .min(let n): return max(0, n)
            case .percentage(let p): return total * max(0, Swift.min(100, p)) / 100
            }
        }
        var excess = size.reduce(0, +) - total
        // Give way from the weakest kind, last segment first.
        for weak in [0, 1, 2] where excess > 0 { // 0 percentage, 1 length, 2 min
            for i in constraints.indices.reversed() where excess > 0 && rank(constraints[i]) == weak {
                let cut = Swift.min(size[i], excess)
                size[i] -= cut; excess -= cut
            }
        }
        if excess < 0 {
            var spare = -excess
            let mins = constraints.indices.filter { if case .min = constraints[$0] { return true } else { return false } }
            if mins.isEmpty {
                size[size.count - 1] += spare
            } else {
                let share = spare / mins.count
                var odd = spare % mins.count
                for i in mins {
                    size[i] += share + (odd > 0 ? 1 : 0)
                    if odd > 0 { odd -= 1 }
                }
                spare = 0
            }
        }
        return size
    }

    /// Splits `area` along `direction`.
    public static func split(_ area: Rect, _ direction: Direction, _ constraints: [Constraint]) -> [Rect] {
        let total = direction == .vertical ? area.height : area.width
        var offset = 0
        return sizes(constraints, total: total).map { s in
            defer { offset += s }
            switch direction {
            case .vertical: return Rect(x: area.x, y: area.y + offset, width: area.width, height: s)
            case .horizontal: return Rect(x: area.x + offset, y: area.y, width: s, height: area.height)
            }
        }
    }

    private static func rank(_ c: Constraint) -> Int {
        switch c {
        case .percentage: return 0
        case .length: return 1
        case .min: return 2
        }
    }
}
