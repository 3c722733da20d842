#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The figures of `edgetop sweep`: each run is one unit, so a configuration's spread comes
/// from the run-to-run differences of its run medians rather than from inferences within a
/// run, which are autocorrelated and share whatever state the machine was in.
public struct SweepSummary: Sendable {
    /// One configuration of the matrix: a model, a backend, a thread count, and a device
    /// profile (nil on the host).
    public struct Configuration: Hashable, Sendable {
        public var model: String
        public var backend: String
        public var threads: Int
        public var profile: String?

        /// A configuration of the matrix.
        public init(model: String, backend: String, threads: Int, profile: String?) {
            self.model = model; self.backend = backend; self.threads = threads; self.profile = profile
        }

        /// "mobilenet-v1-0.25-128 int8 1t" plus the profile: short enough for a table and a file name.
        public var label: String { "\(model) \(backend) \(threads)t" + (profile.map { " @\($0)" } ?? "") }

        /// Factor names and values, in the order `stats` reports them.
        var factors: [(String, String)] {
            let (m, r) = RunFactors.splitResolution(model)
            return [("model", m), ("resolution", r ?? "unknown"), ("backend", backend), ("threads", "\(threads)"),
                    ("origin", profile.map { "emulated (\($0))" } ?? "recorded")]
        }
    }

    /// One run: where it was written and its latencies after the warm-up, in arrival order.
    public struct Run: Sendable {
        public var configuration: Configuration
        /// Position in the randomized order, from 0.
        public var order: Int
        public var file: String
        public var latencies: [UInt64]

        /// A finished run.
        public init(configuration: Configuration, order: Int, file: String, latencies: [UInt64]) {
            self.configuration = configuration; self.order = order; self.file = file; self.latencies = latencies
        }

        /// The run's median by LoadGen's index rule; nil for a run without latencies.
        public var median: UInt64? {
            latencies.isEmpty ? nil : LatencyStats.percentile(sorted: latencies.sorted(), 0.5)
        }
    }

    /// What one configuration's runs show.
    public struct ConfigurationStats: Sendable {
        public var configuration: Configuration
        /// Medians of the runs that produced latencies, in run order.
        public var runMedians: [UInt64]
        /// All latencies after warm-up, over every run.
        public var count: Int
        public var medianOfRunMedians: UInt64?
        /// 95% interval from the run-to-run spread: Student t on the logs of the run medians
        /// (a geometric-mean interval); nil with fewer than two runs.
        public var ciLow: Double?
        public var ciHigh: Double?
        /// Tails over the pooled latencies, nil where the sample cannot support them.
        public var p1: UInt64?
        public var p99: UInt64?
        public var p999: UInt64?
    }

    /// A pair of configurations that differ in one factor, and what their runs say.
    public struct Comparison: Sendable {
        public var a: Configuration
        public var b: Configuration
        public var factor: String
        /// Ratio of medians of run medians, B / A.
        public var ratio: Double
        /// 95% interval of the ratio from the run medians (Welch t on their logs); nil with
        /// fewer than two runs on a side.
        public var ciLow: Double?
        public var ciHigh: Double?
        public var verdict: ABComparison.Verdict
    }

    /// Fewest pooled values for p1 and p99 (one value beyond each), and for p99.9.
    public static let minimumForP99 = LatencyStats.minimumCount(for: 0.99)
    public static let minimumForP999 = LatencyStats.minimumCount(for: 0.999)

    /// Every finished run, in any order.
    public var runs: [Run]
    /// One entry per configuration of the matrix, in the matrix's order.
    public var configurations: [ConfigurationStats]
    /// Every pair of configurations that differ in exactly one factor.
    public var comparisons: [Comparison]
    /// Practical threshold of the verdicts (a fraction).
    public var threshold: Double

    /// Summarises `runs` in the order of `matrix`.
    public init(matrix: [Configuration], runs: [Run], threshold: Double = ABComparison.defaultThreshold) {
        self.runs = runs; self.threshold = threshold
        configurations = matrix.map { c in
            let mine = runs.filter { $0.configuration == c }.sorted { $0.order < $1.order }
            let medians = mine.compactMap(\.median)
            let pooled = mine.flatMap(\.latencies).sorted()
            var s = ConfigurationStats(configuration: c, runMedians: medians, count: pooled.count)
            if !medians.isEmpty { s.medianOfRunMedians = LatencyStats.percentile(sorted: medians.sorted(), 0.5) }
            if let (lo, hi) = SweepSummary.interval(logs: medians.map { log(Double($0)) }) { s.ciLow = exp(lo); s.ciHigh = exp(hi) }
            if pooled.count >= SweepSummary.minimumForP99 {
                s.p1 = LatencyStats.percentile(sorted: pooled, 0.01); s.p99 = LatencyStats.percentile(sorted: pooled, 0.99)
            }
            if pooled.count >= SweepSummary.minimumForP999 { s.p999 = LatencyStats.percentile(sorted: pooled, 0.999) }
            return s
        }
        var pairs: [Comparison] = []
        for (i, sa) in configurations.enumerated() {
            for sb in configurations[(i + 1)...] {
                let d = zip(sa.configuration.factors, sb.configuration.factors).filter { $0.0.1 != $0.1.1 }
                guard d.count == 1, let ma = sa.medianOfRunMedians, let mb = sb.medianOfRunMedians, ma > 0 else { continue }
                var c = Comparison(a: sa.configuration, b: sb.configuration, factor: d[0].0.0, ratio: Double(mb) / Double(ma),
                                   verdict: .tooFewData)
                if let (lo, hi) = SweepSummary.welch(sa.runMedians.map { log(Double($0)) }, sb.runMedians.map { log(Double($0)) }) {
                    c.ciLow = exp(lo); c.ciHigh = exp(hi)
                    c.verdict = hi < log(1 - threshold) ? .bFaster : lo > log(1 + threshold) ? .bSlower
                        : (lo >= log(1 - threshold) && hi <= log(1 + threshold)) ? .equivalent : .inconclusive
                }
                pairs.append(c)
            }
        }
        comparisons = pairs
    }

    /// Mean ± t·s/√k of `logs`; nil below two values.
    static func interval(logs: [Double]) -> (Double, Double)? {
        let k = logs.count
        guard k >= 2 else { return nil }
        let mean = logs.reduce(0, +) / Double(k)
        let s2 = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(k - 1)
        let h = studentT975(Double(k - 1)) * (s2 / Double(k)).squareRoot()
        return (mean - h, mean + h)
    }

    /// Welch's interval of mean(b) − mean(a); nil below two values a side.
    static func welch(_ a: [Double], _ b: [Double]) -> (Double, Double)? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        func meanVar(_ x: [Double]) -> (Double, Double) {
            let m = x.reduce(0, +) / Double(x.count)
            return (m, x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1))
        }
        let (ma, va) = meanVar(a), (mb, vb) = meanVar(b)
        let qa = va / Double(a.count), qb = vb / Double(b.count)
        let se = (qa + qb).squareRoot()
        let d = mb - ma
        guard se > 0 else { return (d, d) }
        let df = (qa + qb) * (qa + qb) / (qa * qa / Double(a.count - 1) + qb * qb / Double(b.count - 1))
        let h = studentT975(df) * se
        return (d - h, d + h)
    }
}
