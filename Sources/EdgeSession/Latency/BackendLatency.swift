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
    /// Latencies of the running second, summarised into the series when the second ends
    /// (1 % resolution is plenty for a graph point and keeps the per-second reset cheap).
    private var second = LatencyHistogram(digits: .two)
    /// p50 per second (ns), NaN for seconds without an inference of this backend.
    public private(set) var p50Series: SecondSeries
    /// p99 per second (ns), NaN for seconds without an inference of this backend.
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
        second.record(ns)
        last = ns
        if let d = deadlineNs, ns > d { missed += 1 }
    }

    /// Moves the recent window forward to session time `t` (called as each second ends, so
    /// the window empties while this backend is idle).
    public mutating func rotate(to t: Double) {
        let s = Int((t / Self.windowSlot).rounded(.down))
        guard let old = slot else { slot = s; return }
        guard s > old else { return }
        if s == old + 1 {
            swap(&previous, &current)
        } else {
            previous.reset()
        }
        current.reset()
        slot = s
    }

    /// The recent window (last one to two slots) as one histogram.
    public var recent: LatencyHistogram {
        var h = previous
        h.add(current)
        return h
    }

    /// Closes `sec`: appends its p50/p99 to the series and clears the running second.
    public mutating func closeSecond(_ sec: Int) {
        if second.count > 0 {
            p50Series.append(Double(second.value(atPercentile: 50)), second: sec)
            p99Series.append(Double(second.value(atPercentile: 99)), second: sec)
            second.reset()
        } else {
            p50Series.append(.nan, second: sec)
            p99Series.append(.nan, second: sec)
        }
    }

    /// Forgets every figure (the `r` key), keeping the backend's name.
    public mutating func reset() {
        session.reset(); current.reset(); previous.reset(); second.reset()
        p50Series.removeAll(); p99Series.removeAll()
        missed = 0; last = 0; slot = nil
    }
}
