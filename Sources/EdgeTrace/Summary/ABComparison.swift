#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two latency samples side by side (two traces, or two backends of one trace), with a
/// judgement of whether they differ by more than a practical threshold.
///
/// Consecutive inferences of one run are not independent (heat, frequency, background
/// load drift together), so a test that treats them as independent calls any two runs
/// different. Here each side's median gets its standard error from batch medians: the run
/// is cut into 6 to 30 contiguous batches, each several times as long as the reach of the
/// autocorrelation (`SeriesDependence`), so that batches are nearly independent, and the
/// spread of the batches' log medians gives the error of the log median. The 95% interval
/// of the ratio B / A uses Welch's t with the batches' degrees of freedom, and it is
/// widened by `allowance`, the run-to-run shift that one run per side cannot measure (see
/// docs/statistics.md). B is called slower or faster only when that whole interval lies
/// beyond the threshold (default ±2%); otherwise there is no difference beyond run-to-run
/// noise. Nothing is random: the same inputs always give the same interval.
public struct ABComparison: Sendable {
    /// What the comparison may conclude.
    public enum Verdict: String, Sendable {
        /// The whole interval lies above 1 + threshold.
        case bSlower = "b_slower"
        /// The whole interval lies below 1 − threshold.
        case bFaster = "b_faster"
        /// The whole interval lies within ±threshold.
        case equivalent
        /// The interval straddles a threshold: no difference shown, none ruled out.
        case inconclusive
        /// Too few (effective) latencies on a side to judge at all.
        case tooFewData = "too_few_data"
    }

    /// What A and B are, as shown (sanitised).
    public var labelA: String
    public var labelB: String
    /// Exact latency statistics of each side.
    public var a: LatencyStats
    public var b: LatencyStats
    /// Autocorrelation of each side, giving its effective sample size and batch count.
    public var dependenceA: SeriesDependence
    public var dependenceB: SeriesDependence
    /// Ratio of medians B / A.
    public var medianRatio: Double
    /// The batch-means 95% interval of the ratio (sampling within the runs only).
    public var ciLow: Double
    public var ciHigh: Double
    /// Batches each side was cut into.
    public var batchesA: Int
    public var batchesB: Int
    /// Run-to-run allowance (a fraction, 0.02 for 2%) added to the interval in quadrature:
    /// the floor given, or 1.96 standard deviations of the batches' log medians of the more
    /// variable side if larger, since a run whose level moves that much within itself can
    /// move as much between runs.
    public var allowance: Double
    /// The interval the verdict is drawn from: the batch interval widened by the allowance.
    public var judgedLow: Double
    public var judgedHigh: Double
    /// Practical threshold (a fraction): smaller differences do not matter.
    public var threshold: Double
    /// What the judged interval says against the threshold.
    public var verdict: Verdict

    /// Differences below this share are not worth reporting.
    public static let defaultThreshold = 0.02
    /// The smallest run-to-run shift of a run's median assumed when each side is one run;
    /// the figure and its measurement are in docs/statistics.md.
    public static let singleRunAllowance = 0.02
    /// Below this many latencies on a side nothing is judged.
    public static let minimumCount = 20
    /// Below this effective sample size on a side nothing is judged either.
    public static let minimumEffectiveCount = 8.0

    /// Whether both samples are large enough for the interval to mean anything.
    public var enoughData: Bool {
        min(a.count, b.count) >= ABComparison.minimumCount
            && min(dependenceA.effectiveCount, dependenceB.effectiveCount) >= ABComparison.minimumEffectiveCount
    }

    /// Whether B was found slower or faster beyond the threshold.
    public var different: Bool { verdict == .bSlower || verdict == .bFaster }

    /// Compares latency series `a` and `b`, each in arrival order and not empty; `allowance`
    /// is the floor of the run-to-run allowance (0 for none).
    public init?(labelA: String, a: [UInt64], labelB: String, b: [UInt64], threshold: Double = ABComparison.defaultThreshold,
                 allowance: Double = ABComparison.singleRunAllowance) {
        guard let statsA = LatencyStats(latencies: a), let statsB = LatencyStats(latencies: b) else { return nil }
        // Labels come from file names and command-line arguments: clean them before display.
        self.labelA = sanitize(labelA); self.labelB = sanitize(labelB); self.a = statsA; self.b = statsB
        self.threshold = threshold
        dependenceA = SeriesDependence(series: a)
        dependenceB = SeriesDependence(series: b)

        let medA = Double(statsA.percentilesNs[0]), medB = Double(statsB.percentilesNs[0])
        medianRatio = medA > 0 ? medB / medA : .infinity
        let errA = ABComparison.batchError(a, batches: dependenceA.batchCount)
        let errB = ABComparison.batchError(b, batches: dependenceB.batchCount)
        batchesA = errA.batches; batchesB = errB.batches
        let centre = medA > 0 && medB > 0 ? log(medB / medA) : 0
        var half = 0.0
        let qa = errA.se * errA.se, qb = errB.se * errB.se
        if qa + qb > 0 {
            // Welch–Satterthwaite degrees of freedom for the sum of the two variances.
            let df = (qa + qb) * (qa + qb) / (qa * qa / Double(max(1, errA.batches - 1)) + qb * qb / Double(max(1, errB.batches - 1)))
            half = studentT975(df) * (qa + qb).squareRoot()
        }
        ciLow = exp(centre - half); ciHigh = exp(centre + half)
        let withinRun = 1.96 * max(errA.spread, errB.spread)
        self.allowance = allowance > 0 ? max(allowance, exp(withinRun) - 1) : 0
        // Independent sources of error add their variances: widen by the allowance in quadrature.
        let extra = log(1 + self.allowance)
        let judged = (half * half + extra * extra).squareRoot()
        judgedLow = exp(centre - judged)
        judgedHigh = exp(centre + judged)

        if min(statsA.count, statsB.count) < ABComparison.minimumCount
            || min(dependenceA.effectiveCount, dependenceB.effectiveCount) < ABComparison.minimumEffectiveCount {
            verdict = .tooFewData
        } else if judgedLow > 1 + threshold {
            verdict = .bSlower
        } else if judgedHigh < 1 - threshold {
            verdict = .bFaster
        } else if judgedLow >= 1 - threshold && judgedHigh <= 1 + threshold {
            verdict = .equivalent
        } else {
            verdict = .inconclusive
        }
    }

    /// The standard error of the log median of `series` from the spread (standard deviation)
    /// of its contiguous batches' log medians; 0 when the series is too short to cut.
    static func batchError(_ series: [UInt64], batches k: Int) -> (se: Double, spread: Double, batches: Int) {
        let len = series.count / k
        guard k >= 2, len >= 2 else { return (0, 0, 1) }
        let medians = (0..<k).map { b -> Double in
            let sorted = series[(b * len)..<((b + 1) * len)].sorted()
            return log(Double(max(1, LatencyStats.percentile(sorted: Array(sorted), 0.5))))
        }
        let mean = medians.reduce(0, +) / Double(k)
        let variance = medians.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(k - 1)
        return ((variance / Double(k)).squareRoot(), variance.squareRoot(), k)
    }

    /// B / A for each reported percentile, then mean and max; `supported` is false for a
    /// percentile that either sample is too small to state.
    public var ratios: [(name: String, a: UInt64, b: UInt64, ratio: Double, supported: Bool)] {
        var out: [(String, UInt64, UInt64, Double, Bool)] = [("mean", a.meanNs, b.meanNs, ratio(b.meanNs, a.meanNs), true)]
        for (k, p) in LatencyStats.reportedPercentiles.enumerated() {
            out.append((percentileName(p), a.percentilesNs[k], b.percentilesNs[k], ratio(b.percentilesNs[k], a.percentilesNs[k]),
                        a.supports(p) && b.supports(p)))
        }
        out.append(("max", a.maxNs, b.maxNs, ratio(b.maxNs, a.maxNs), true))
        return out
    }

    private func ratio(_ x: UInt64, _ y: UInt64) -> Double { y == 0 ? .infinity : Double(x) / Double(y) }
}

/// "p50", "p99", "p99.9" for 0.5, 0.99, 0.999.
public func percentileName(_ p: Double) -> String {
    let pct = p * 100
    // Only a reported figure can be outside 0...100 here; say so rather than trap on it.
    guard pct.isFinite, (0...100).contains(pct) else { return "p" + fixed(pct, 3) }
    if pct == pct.rounded() { return "p\(Int(pct))" }
    var s = String(format1: pct)
    while s.hasSuffix("0") { s.removeLast() }
    return "p" + s
}

extension String {
    /// A number with one to three decimals, without Foundation.
    init(format1 value: Double) {
        guard value.isFinite, abs(value) < 1e15 else { self = fixed(value, 3); return }
        let scaled = Int((value * 1000).rounded())
        let whole = scaled / 1000, frac = abs(scaled % 1000)
        self = "\(whole)." + String(String(frac + 1000).dropFirst())
    }
}
