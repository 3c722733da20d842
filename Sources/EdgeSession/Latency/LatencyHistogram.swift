import Histogram

/// An HDR latency histogram in nanoseconds with the range edgetop needs: 1 µs to one hour
/// at three significant digits (0.1 %). Larger values are clamped to the top so a stalled
/// inference still counts instead of vanishing.
public struct LatencyHistogram: Sendable, Equatable {
    /// Smallest latency told apart from zero: nothing edgetop measures is faster than 1 µs.
    public static let lowestNs: UInt64 = 1_000
    /// Largest latency tracked: one hour.
    public static let highestNs: UInt64 = 3_600_000_000_000

    /// The underlying HDR histogram (exposed for drawing buckets).
    public private(set) var hdr: Histogram<UInt64>
    /// Bumped on every change so drawing code can cache what it derives.
    public private(set) var version: UInt64 = 0

    /// An empty histogram; `digits` of 3 keeps 0.1 % resolution, 2 keeps 1 % in an eighth of
    /// the memory (and an eighth of the cost to reset).
    public init(digits: SignificantDigits = .three) {
        hdr = Histogram<UInt64>(lowestDiscernibleValue: Self.lowestNs, highestTrackableValue: Self.highestNs,
                                numberOfSignificantValueDigits: digits)
    }

    /// The value at `percentile` (0...100); 0 when empty.
    public func value(atPercentile percentile: Double) -> UInt64 {
        hdr.totalCount > 0 ? hdr.valueAtPercentile(percentile) : 0
    }

    /// Number of recorded latencies.
    public var count: UInt64 { hdr.totalCount }

    /// Records one latency.
    public mutating func record(_ ns: UInt64) {
        hdr.record(Swift.min(ns, Self.highestNs))
        version &+= 1
    }

    /// Adds every value of `other`.
    public mutating func add(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        hdr.add(other.hdr)
        version &+= 1
    }

    /// Forgets every value.
    public mutating func reset() {
        if hdr.totalCount > 0 { hdr.reset() }
        version &+= 1
    }

    /// Count, mean and marked percentiles; `.empty` when nothing was recorded.
    public var summary: LatencySummary {
        guard hdr.totalCount > 0 else { return .empty }
        return LatencySummary(count: hdr.totalCount, mean: hdr.mean, min: hdr.min,
                              p50: hdr.valueAtPercentile(50), p90: hdr.valueAtPercentile(90),
                              p99: hdr.valueAtPercentile(99), p999: hdr.valueAtPercentile(99.9),
                              max: hdr.maxRecorded)
    }

    /// Counts in `edges.count - 1` buckets, bucket i holding values in [edges[i], edges[i+1]);
    /// values below the first edge go to the first bucket and above the last to the last.
    /// One pass over the recorded values, so drawing a histogram is linear, not quadratic.
    public func bucketCounts(edges: [Double]) -> [UInt64] {
        let n = edges.count - 1
        guard n > 0 else { return [] }
        var out = [UInt64](repeating: 0, count: n)
        guard hdr.totalCount > 0 else { return out }
        var b = 0
        for iv in hdr.recordedValues() {
            let v = Double(hdr.medianEquivalentForValue(iv.value))
            // Recorded values come in increasing order, so the bucket index only moves forward.
            while b < n - 1 && v >= edges[b + 1] { b += 1 }
            out[b] &+= UInt64(iv.count)
        }
        return out
    }
}
