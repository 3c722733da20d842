#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two latency samples side by side (two traces, or two backends of one trace), with a
/// judgement of whether they differ by more than sampling noise.
///
/// Two tests, both reported:
/// - Mann–Whitney U (two-sided, normal approximation with tie correction): does one
///   variant tend to be slower? Distribution-free, fine for skewed latency data.
/// - A seeded bootstrap 95% confidence interval of the ratio of medians (B / A): how big
///   the difference is. Resamples are drawn with a SplitMix64 generator from a fixed seed,
///   so the same inputs always give the same interval.
///
/// The difference is called significant when p < 0.01 and the interval excludes 1. Both
/// treat inferences as independent; within one run they are correlated (heat, background
/// load), so a split run of A and B interleaved on the same machine is the fair test.
public struct ABComparison: Sendable {
    public var labelA: String
    public var labelB: String
    public var a: LatencyStats
    public var b: LatencyStats
    /// Mann–Whitney U of A (pairs where A is slower, ties counting half).
    public var u: Double
    /// Standardised U; positive when B tends to be slower.
    public var z: Double
    /// Two-sided p-value.
    public var p: Double
    /// Probability that a random B inference is slower than a random A one (ties half).
    public var probabilityBSlower: Double
    /// Ratio of medians B / A and its bootstrap 95% interval.
    public var medianRatio: Double
    public var ciLow: Double
    public var ciHigh: Double
    public var resamples: Int
    public var seed: UInt64
    /// p below this counts as significant.
    public static let alpha = 0.01

    /// Below this many latencies on either side the normal approximation is not trusted.
    public static let minimumCount = 20

    /// Whether both samples are large enough for the tests to mean anything.
    public var enoughData: Bool { min(a.count, b.count) >= ABComparison.minimumCount }

    /// Whether the difference exceeds what sampling noise explains.
    public var significant: Bool { enoughData && p < ABComparison.alpha && (ciLow > 1 || ciHigh < 1) }

    /// Compares latency samples `a` and `b` (any order, neither empty).
    public init?(labelA: String, a: [UInt64], labelB: String, b: [UInt64], seed: UInt64 = 1, resamples: Int? = nil) {
        let sa = a.sorted(), sb = b.sorted()
        guard let statsA = LatencyStats(sorted: sa), let statsB = LatencyStats(sorted: sb) else { return nil }
        // Labels come from file names and command-line arguments: clean them before display.
        self.labelA = sanitize(labelA); self.labelB = sanitize(labelB); self.a = statsA; self.b = statsB; self.seed = seed

        // Mann–Whitney: merge the sorted samples, giving tied runs their average rank.
        let n1 = Double(sa.count), n2 = Double(sb.count), n = n1 + n2
        var i = 0, j = 0
        var rank = 1.0
        var rankSumA = 0.0
        var tieTerm = 0.0
        while i < sa.count || j < sb.count {
            let v = (j >= sb.count || (i < sa.count && sa[i] <= sb[j])) ? sa[i] : sb[j]
            var ca = 0, cb = 0
            while i < sa.count && sa[i] == v { ca += 1; i += 1 }
            while j < sb.count && sb[j] == v { cb += 1; j += 1 }
            let t = Double(ca + cb)
            let avg = rank + (t - 1) / 2
            rankSumA += avg * Double(ca)
            tieTerm += t * t * t - t
            rank += t
        }
        u = rankSumA - n1 * (n1 + 1) / 2
        let mean = n1 * n2 / 2
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        if variance > 0 {
            // Continuity correction toward the mean; sign so that B slower is positive.
            let d = mean - u
            z = (d - (d > 0 ? 0.5 : d < 0 ? -0.5 : 0)) / variance.squareRoot()
            p = erfc(abs(z) / 2.0.squareRoot())
        } else {
            z = 0; p = 1
        }
        probabilityBSlower = 1 - u / (n1 * n2)

        // Bootstrap of the median ratio. Each resample of a sorted sample is summarised by
        // counting how often each index is drawn, which finds the resample's median in
        // O(n) without sorting. The count keeps work near 2e7 draws per comparison.
        let medA = Double(LatencyStats.percentile(sorted: sa, 0.5)), medB = Double(LatencyStats.percentile(sorted: sb, 0.5))
        medianRatio = medA > 0 ? medB / medA : .infinity
        let r = resamples ?? min(1000, max(200, 20_000_000 / (sa.count + sb.count)))
        self.resamples = r
        var rng = SplitMix64(seed: seed)
        var counts = [UInt32](repeating: 0, count: max(sa.count, sb.count))
        var ratios: [Double] = []
        ratios.reserveCapacity(r)
        for _ in 0..<r {
            let ma = Double(ABComparison.resampledMedian(sa, &rng, &counts))
            let mb = Double(ABComparison.resampledMedian(sb, &rng, &counts))
            ratios.append(ma > 0 ? mb / ma : .infinity)
        }
        ratios.sort()
        ciLow = ratios[Int(Double(r) * 0.025)]
        ciHigh = ratios[min(r - 1, Int(Double(r) * 0.975))]
    }

    private static func resampledMedian(_ sorted: [UInt64], _ rng: inout SplitMix64, _ counts: inout [UInt32]) -> UInt64 {
        let n = sorted.count
        for k in 0..<n { counts[k] = 0 }
        for _ in 0..<n { counts[Int(rng.next() % UInt64(n))] += 1 }
        let target = n / 2      // LoadGen's index rule, as for every percentile here
        var seen = 0
        for k in 0..<n {
            seen += Int(counts[k])
            if seen > target { return sorted[k] }
        }
        return sorted[n - 1]
    }

    /// B / A for each reported percentile, then mean and max.
    public var ratios: [(name: String, a: UInt64, b: UInt64, ratio: Double)] {
        var out: [(String, UInt64, UInt64, Double)] = [("mean", a.meanNs, b.meanNs, ratio(b.meanNs, a.meanNs))]
        for (k, p) in LatencyStats.reportedPercentiles.enumerated() {
            out.append((percentileName(p), a.percentilesNs[k], b.percentilesNs[k], ratio(b.percentilesNs[k], a.percentilesNs[k])))
        }
        out.append(("max", a.maxNs, b.maxNs, ratio(b.maxNs, a.maxNs)))
        return out
    }

    private func ratio(_ x: UInt64, _ y: UInt64) -> Double { y == 0 ? .infinity : Double(x) / Double(y) }
}

/// "p50", "p99", "p99.9" for 0.5, 0.99, 0.999.
public func percentileName(_ p: Double) -> String {
    let pct = p * 100
    if pct == pct.rounded() { return "p\(Int(pct))" }
    var s = String(format1: pct)
    while s.hasSuffix("0") { s.removeLast() }
    return "p" + s
}

extension String {
    /// A number with one to three decimals, without Foundation.
    init(format1 value: Double) {
        let scaled = Int((value * 1000).rounded())
        let whole = scaled / 1000, frac = abs(scaled % 1000)
        self = "\(whole)." + String(String(frac + 1000).dropFirst())
    }
}
