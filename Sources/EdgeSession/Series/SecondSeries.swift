import DequeModule

/// A bounded time series with one point per whole second of session time, oldest first.
///
/// The ring never holds more than `capacity` points, so an hour (or a day) of running keeps
/// the same memory; a second with no data holds `Double.nan` so graphs can leave a gap.
public struct SecondSeries: Sendable, Equatable {
    /// The most points kept; older ones fall off the front.
    public let capacity: Int
    /// Finished seconds, oldest first.
    public private(set) var points: Deque<Double>
    /// The second index (floor of session time) of the last point in `points`; nil when empty.
    public private(set) var lastSecond: Int?

    /// An empty series keeping at most `capacity` points.
    public init(capacity: Int) {
        precondition(capacity > 0, "SecondSeries capacity must be positive")
        self.capacity = capacity
        self.points = Deque(minimumCapacity: capacity)
    }

    /// Appends the value for `second`; skipped seconds in between are filled with NaN
    /// (at most `capacity` of them, since older ones would fall off anyway).
    public mutating func append(_ value: Double, second: Int) {
        if let last = lastSecond {
            guard second > last else {
                // A second already closed: keep the newer figure for it.
                if second == last, !points.isEmpty { points[points.count - 1] = value }
                return
            }
            let gap = min(second - last - 1, capacity)
            for _ in 0..<gap { push(.nan) }
        }
        push(value)
        lastSecond = second
    }

    /// Drops every point.
    public mutating func removeAll() {
        points.removeAll(keepingCapacity: true)
        lastSecond = nil
    }

    /// The last `n` points (fewer when the series is shorter), oldest first.
    public func suffix(_ n: Int) -> [Double] {
        let k = min(max(0, n), points.count)
        var out: [Double] = []
        out.reserveCapacity(k)
        for i in (points.count - k)..<points.count { out.append(points[i]) }
        return out
    }

    /// The newest point that is not NaN.
    public var lastValue: Double? {
        for v in points.reversed() where !v.isNaN { return v }
        return nil
    }

    /// Equal when the same seconds hold the same values, a gap (NaN) matching a gap.
    public static func == (a: SecondSeries, b: SecondSeries) -> Bool {
        guard a.capacity == b.capacity, a.lastSecond == b.lastSecond, a.points.count == b.points.count else { return false }
        for i in 0..<a.points.count {
            let x = a.points[i], y = b.points[i]
            if x != y && !(x.isNaN && y.isNaN) { return false }
        }
        return true
    }

    private mutating func push(_ v: Double) {
        if points.count == capacity { points.removeFirst() }
        points.append(v)
    }
}
