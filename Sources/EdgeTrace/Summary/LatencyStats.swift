/// Exact latency statistics over every sample (no histogram): percentiles follow MLPerf
/// LoadGen's rule, the element at index floor(n × p) of the sorted latencies (0-based, no
/// interpolation), so figures for an imported LoadGen run equal LoadGen's own summary.
/// The dashboard and `bench` use other rules (docs/percentiles.md).
public struct LatencyStats: Sendable, Equatable {
    /// The percentiles reported everywhere, as fractions.
    public static let reportedPercentiles: [Double] = [0.5, 0.9, 0.95, 0.97, 0.99, 0.999]

    public var count: Int
    /// Integer mean (sum / count, truncated), as LoadGen computes it.
    public var meanNs: UInt64
    public var minNs: UInt64
    public var maxNs: UInt64
    /// Latency at each of `reportedPercentiles`, in the same order.
    public var percentilesNs: [UInt64]

    /// Statistics of `latencies` (any order); nil when empty.
    public init?(latencies: [UInt64]) {
        guard !latencies.isEmpty else { return nil }
        self.init(sorted: latencies.sorted())
    }

    /// Statistics of latencies already sorted ascending; nil when empty.
    public init?(sorted: [UInt64]) {
        guard let first = sorted.first, let last = sorted.last else { return nil }
        count = sorted.count
        var sum: UInt64 = 0
        var overflow = false
        for v in sorted {
            let (s, o) = sum.addingReportingOverflow(v)
            sum = s; overflow = overflow || o
        }
        if overflow {
            meanNs = UInt64(sorted.reduce(0.0) { $0 + Double($1) } / Double(sorted.count))
        } else {
            meanNs = sum / UInt64(sorted.count)
        }
        minNs = first; maxNs = last
        percentilesNs = LatencyStats.reportedPercentiles.map { LatencyStats.percentile(sorted: sorted, $0) }
    }

    /// LoadGen's percentile: `sorted[floor(n × p)]`, clamped to the last element.
    public static func percentile(sorted: [UInt64], _ p: Double) -> UInt64 {
        let i = Int((Double(sorted.count) * p).rounded(.down))
        return sorted[min(max(i, 0), sorted.count - 1)]
    }

    /// Fewest latencies that support percentile `p` as a figure: at least one value beyond
    /// it on its rarer side, 1 / min(p, 1 − p), so p99 and p1 need 100 and p99.9 needs 1000.
    public static func minimumCount(for p: Double) -> Int {
        let q = min(p, 1 - p)
        guard q > 0 else { return Int.max }
        return max(1, Int((1 / q - 1e-9).rounded(.up)))
    }

    /// Whether this sample is large enough to state percentile `p` as a figure.
    public func supports(_ p: Double) -> Bool { count >= LatencyStats.minimumCount(for: p) }

    /// The latency at fraction `p` if it is one of `reportedPercentiles`.
    public func value(at p: Double) -> UInt64? {
        LatencyStats.reportedPercentiles.firstIndex(of: p).map { percentilesNs[$0] }
    }
}
