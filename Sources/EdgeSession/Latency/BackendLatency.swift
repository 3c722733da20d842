/// Latency statistics of one backend: the whole session, a recent window, and a per-second
/// series of p50 and p99.
///
/// The recent window is a pair of histograms rotated every `windowSlot` seconds of session
/// time: `current` fills the running slot, `previous` holds the slot before it, and the
/// window is their sum, so it always covers between one and two slots (5 to 10 s by
/// default). This keeps recording O(1) with no per-sample storage.
public struct BackendLatency: Sendable, Equatable {
    /// Seconds per slot of the recent window (the window spans one to two slots).
    /// Whole seconds, so slots turn over exactly when a session second ends.
    public static let windowSlot: Double = 5

    /// The backend's name.
    public let backend: String
    /// Every latency since the session start (or the last reset).
    public private(set) var session = LatencyHistogram()
    private var current = LatencyHistogram()
    private var previous = LatencyHistogram()
    private var slot: Int?
    /// Session time the running slot's figures start at, and the window's start.
    private var currentStart: Double = 0
    private var windowStart: Double = 0
    /// Latencies of the running second, summarised into the series when the second ends.
    private var second = SecondSample()
    /// p50 per second (ns), NaN for seconds without an inference of this backend.
    public private(set) var p50Series: SecondSeries
    /// p99 per second (ns), NaN for seconds without an inference of this backend or with
    /// fewer than `SecondSample.p99Minimum` (a p99 of fewer values would be the maximum).
    public private(set) var p99Series: SecondSeries
    /// Frames whose latency exceeded the deadline of the target FPS.
    public private(set) var missed: UInt64 = 0
    /// Latency of the newest inference.
    public private(set) var last: UInt64 = 0

    /// Empty statistics for `backend` with series of `seriesCapacity` seconds.
    public init(backend: String, seriesCapacity: Int) {
        self.backend = backend
        p50Series = SecondSeries(capacity: seriesCapacity)
        p99Series = SecondSeries(capacity: seriesCapacity)
    }

    /// Records one latency at session time `t`; `deadlineNs` (when pacing) counts a miss.
    public mutating func record(_ ns: UInt64, at t: Double, deadlineNs: UInt64?) {
        rotate(to: t)
        session.record(ns)
        current.record(ns)
        second.add(ns)
        last = ns
        if let d = deadlineNs, ns > d { missed += 1 }
    }

    /// Moves the recent window forward to session time `t` (called as each second ends, so
    /// the window empties while this backend is idle).
    public mutating func rotate(to t: Double) {
        let s = Int((t / Self.windowSlot).rounded(.down))
        guard let old = slot else { slot = s; currentStart = t; windowStart = t; return }
        guard s > old else { return }
        if s == old + 1 {
            swap(&previous, &current)
            windowStart = currentStart
        } else {
            previous.reset()
            windowStart = Double(s) * Self.windowSlot
        }
        current.reset()
        currentStart = Double(s) * Self.windowSlot
        slot = s
    }

    /// The recent window (last one to two slots) as one histogram.
    public var recent: LatencyHistogram {
        var h = previous
        h.add(current)
        return h
    }

    /// Seconds the recent window covers at session time `now` (one to two slots, less just
    /// after the start or a reset), so the dashboard can say how recent "recent" is.
    public func recentSpan(at now: Double) -> Double {
        slot == nil ? 0 : max(0, now - windowStart)
    }

    /// Closes `sec`: appends its p50/p99 to the series and clears the running second.
    public mutating func closeSecond(_ sec: Int) {
        if let (p50, p99) = second.percentiles() {
            p50Series.append(Double(p50), second: sec)
            p99Series.append(p99.map(Double.init) ?? .nan, second: sec)
            second.removeAll()
        } else {
            p50Series.append(.nan, second: sec)
            p99Series.append(.nan, second: sec)
        }
    }

    /// Forgets every figure (the `r` key), keeping the backend's name.
    public mutating func reset() {
        session.reset(); current.reset(); previous.reset(); second.removeAll()
        p50Series.removeAll(); p99Series.removeAll()
        missed = 0; last = 0; slot = nil
    }
}

/// The latencies of one second, kept exactly up to `capacity` and thinned deterministically
/// beyond (every other value dropped, then only every 2nd, 4th... kept), so a second at any
/// frame rate costs bounded memory and O(1) amortized per frame.
struct SecondSample: Sendable, Equatable {
    static let capacity = 2048
    /// Latencies a second needs for its p99 to be more than its maximum.
    static let p99Minimum = 100
    fileprivate var values: [UInt64] = []
    private var stride = 1
    private var seen = 0

    mutating func add(_ ns: UInt64) {
        defer { seen += 1 }
        guard seen % stride == 0 else { return }
        if values.count == Self.capacity {
            values = values.enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil }
            stride *= 2
            guard seen % stride == 0 else { return }
        }
        values.append(ns)
    }

    /// Nearest-rank p50 and p99 (nil under `p99Minimum` latencies); nil when the second saw no frame.
    func percentiles() -> (UInt64, UInt64?)? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func rank(_ p: Double) -> UInt64 {
            let r = Int((p / 100 * Double(sorted.count)).rounded(.up))
            return sorted[max(0, min(sorted.count - 1, r - 1))]
        }
        return (rank(50), seen >= Self.p99Minimum ? rank(99) : nil)
    }

    mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        stride = 1
        seen = 0
    }
}

extension SecondSample {
    /// Values held now (bounded by `capacity`); for the bound's test.
    var keptCount: Int { values.count }
}
