/// The figures shown for one latency histogram: count, mean and the marked percentiles,
/// all in nanoseconds. Values are the histogram's (within 1 %), not exact.
/// The dashboard's rule; `stats` and `bench` use others (docs/percentiles.md).
public struct LatencySummary: Sendable, Equatable {
    /// Latencies recorded.
    public var count: UInt64
    /// Exact mean of the recorded latencies.
    public var mean: Double
    /// Smallest latency (bucket floor).
    public var min: UInt64
    /// Median.
    public var p50: UInt64
    /// 90th percentile.
    public var p90: UInt64
    /// 99th percentile.
    public var p99: UInt64
    /// 99th percentile.
    public var p999: UInt64
    /// Largest latency recorded.
    public var max: UInt64

    /// A summary of nothing: every figure zero.
    public static let empty = LatencySummary(count: 0, mean: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0)

    /// Builds a summary from its figures.
    public init(count: UInt64, mean: Double, min: UInt64, p50: UInt64, p90: UInt64, p99: UInt64, p999: UInt64, max: UInt64) {
        self.count = count; self.mean = mean; self.min = min; self.p50 = p50; self.p90 = p90
        self.p99 = p99; self.p999 = p999; self.max = max
    }
}
