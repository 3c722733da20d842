import Histogram

/// An HDR latency histogram in nanoseconds with the range edgetop needs: 1 µs to one hour.
/// Larger values are clamped to the top so a stalled inference still counts instead of
/// vanishing.
///
/// Two significant digits (buckets under 1 % wide) by default: the dashboard reads every
/// percentile on each frame, and hdrhistogram-swift's queries walk the counts one by one in
/// unspecialised generic code, so three digits (eight times the counts) cost ~10 ms a frame
/// where two cost ~1. Exact percentiles are `edgetop stats`'s job, over the whole trace.
public struct LatencyHistogram: Sendable, Equatable {
    /// Smallest latency told apart from zero: nothing edgetop measures is faster than 1 µs.
    public static let lowestNs: UInt64 = 1_000
    /// Largest latency tracked: one hour.
    public static let highestNs: UInt64 = 3_600_000_000_000

    /// The underlying HDR histogram (exposed for drawing buckets).
    public private(set) var hdr: Histogram<UInt64>
    /// Bumped on every change so drawing code can cache what it derives.
    public private(set) var version: UInt64 = 0
    /// Sum of the recorded (clamped) latencies, for an exact mean without walking the counts.
    public private(set) var sum: Double = 0

    /// An empty histogram keeping `digits` significant digits.
    public init(digits: SignificantDigits = .two) {
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
        let v = Swift.min(ns, Self.highestNs)
        hdr.record(v)
        sum += Double(v)
        version &+= 1
    }

    /// Adds every value of `other`.
    public mutating func add(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        hdr.add(other.hdr)
        sum += other.sum
        version &+= 1
    }

    /// Forgets every value. A fresh zeroed array is cheaper than the library's reset loop.
    public mutating func reset() {
        if hdr.totalCount > 0 {
            hdr = Histogram<UInt64>(lowestDiscernibleValue: hdr.lowestDiscernibleValue, highestTrackableValue: hdr.highestTrackableValue,
                                    numberOfSignificantValueDigits: hdr.numberOfSignificantValueDigits)
        }
        sum = 0
        version &+= 1
    }

    /// Count, mean and marked percentiles; `.empty` when nothing was recorded.
    ///
    /// One pass over the recorded values finds every percentile, with the same rule as
    /// `Histogram.valueAtPercentile` (the first value whose cumulative count reaches
    /// ⌈p·n/100⌉, reported as the top of its bucket, capped at the largest value recorded),
    /// where calling that four times would walk the counts four times.
    public var summary: LatencySummary {
        let n = hdr.totalCount
        guard n > 0 else { return .empty }
        let percentiles: [Double] = [50, 90, 99, 99.9]
        let targets = percentiles.map { p in Swift.max(1, UInt64((p.nextDown * Double(n) / 100).rounded(.up))) }
        var found = [UInt64](repeating: 0, count: targets.count)
        var next = 0, cumulative: UInt64 = 0
        let top = hdr.maxRecorded, bottom = hdr.min
        for iv in hdr.recordedValues() {
            cumulative += UInt64(iv.count)
            while next < targets.count && cumulative >= targets[next] {
                found[next] = Swift.max(Swift.min(hdr.highestEquivalentForValue(iv.value), top), bottom)
                next += 1
            }
            if next == targets.count { break }
        }
        return LatencySummary(count: n, mean: sum / Double(n), min: bottom,
                              p50: found[0], p90: found[1], p99: found[2], p999: found[3], max: top)
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
