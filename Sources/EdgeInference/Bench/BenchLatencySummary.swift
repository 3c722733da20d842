/// Summary statistics of `edgetop bench`'s timed runs, in nanoseconds: exact, with
/// nearest-rank percentiles (see docs/percentiles.md for the three rules and where each is used).
public struct BenchLatencySummary: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    /// Population standard deviation.
    public var std: Double
    public var min: UInt64
    public var max: UInt64
    public var p50: UInt64
    public var p90: UInt64
    public var p99: UInt64

    /// Summarises `samples` (at least one). Percentiles are nearest-rank: the smallest
    /// sample with at least p % of the samples at or below it, so every figure is a real run.
    public init(samples: [UInt64]) {
        precondition(!samples.isEmpty, "no samples")
        let sorted = samples.sorted()
        count = sorted.count
        let sum = sorted.reduce(0.0) { $0 + Double($1) }
        mean = sum / Double(count)
        let m = mean
        std = (sorted.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(count)).squareRoot()
        min = sorted[0]
        max = sorted[count - 1]
        p50 = Self.percentile(sorted, 50)
        p90 = Self.percentile(sorted, 90)
        p99 = Self.percentile(sorted, 99)
    }

    /// Nearest-rank percentile of an ascending array.
    public static func percentile(_ sorted: [UInt64], _ p: Double) -> UInt64 {
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
}
