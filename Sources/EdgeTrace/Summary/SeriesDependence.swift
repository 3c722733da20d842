/// How strongly consecutive latencies of one run depend on each other, and what that leaves
/// of the sample: inferences of one run share heat, frequency and background load, so a run
/// of n inferences carries the information of far fewer independent ones.
///
/// Everything is computed on the ranks of the latencies, so a few slow outliers do not
/// dominate it. The integrated autocorrelation time τ = 1 + 2 Σ ρ(k) is estimated twice and
/// the larger kept: with Geyer's initial positive sequence (lags summed in pairs while each
/// pair's sum stays positive, the point where the sample autocorrelation has fallen into
/// noise), and by batch means (batch length × variance of the batch means / variance),
/// which still sees a slow level drift whose autocorrelation is small at every lag but
/// long. The effective sample size is n / τ.
public struct SeriesDependence: Sendable, Equatable {
    /// Number of latencies.
    public var count: Int
    /// Integrated autocorrelation time, in inferences (1 for independent samples).
    public var tau: Double
    /// Lag-1 autocorrelation of the ranks.
    public var lag1: Double
    /// The lag at which the autocorrelation fell into noise (where Geyer's sum stopped):
    /// how far apart two inferences must be to be nearly independent.
    public var reach: Int

    /// n / τ: how many independent latencies the run is worth.
    public var effectiveCount: Double { Double(count) / tau }

    /// Number of contiguous batches for batch means: batches eight reaches long, so that
    /// neighbouring batches are nearly independent, but never fewer than 6 (Student's t with
    /// 5 degrees of freedom pays for the few batches in width) nor more than 30. On a slow
    /// drift, fewer and longer batches keep closer to a 95% coverage than more and shorter.
    public var batchCount: Int { min(30, max(6, count / (8 * reach))) }

    /// Dependence of `series`, given in arrival order.
    public init(series: [UInt64]) {
        count = series.count
        guard series.count >= 4 else { tau = 1; lag1 = 0; reach = 1; return }
        let ranks = SeriesDependence.ranks(series)
        let n = ranks.count
        let mean = ranks.reduce(0, +) / Double(n)
        let x = ranks.map { $0 - mean }
        let variance = x.reduce(0) { $0 + $1 * $1 }
        guard variance > 0 else { tau = 1; lag1 = 0; reach = 1; return }
        func rho(_ k: Int) -> Double {
            var s = 0.0
            for i in 0..<(n - k) { s += x[i] * x[i + k] }
            return s / variance
        }
        lag1 = rho(1)
        var sum = 0.0            // Σ ρ(k) for k ≥ 1
        var m = 0
        let maxLag = min(n / 3, 2000)   // beyond that the run is one slow drift; τ is large either way
        // Pairs (ρ(2m), ρ(2m+1)) with ρ(0) = 1 for m = 0, as Geyer's estimator sums them.
        while 2 * m + 1 <= maxLag {
            let r0 = m == 0 ? 1.0 : rho(2 * m), r1 = rho(2 * m + 1)
            guard r0 + r1 > 0 else { break }
            sum += (m == 0 ? 0 : r0) + r1
            m += 1
        }
        reach = max(1, 2 * m)
        var batchTau = 1.0
        let k = min(30, max(6, n / (8 * reach))), len = n / k
        if len >= 2 {
            let means = (0..<k).map { b in x[(b * len)..<((b + 1) * len)].reduce(0, +) / Double(len) }
            let mm = means.reduce(0, +) / Double(k)
            let between = means.reduce(0) { $0 + ($1 - mm) * ($1 - mm) } / Double(k - 1)
            batchTau = Double(len) * between / (variance / Double(n - 1))
        }
        tau = min(Double(n), max(1, 1 + 2 * sum, batchTau))
    }

    /// The rank (0-based, ties averaged) of each element.
    static func ranks(_ values: [UInt64]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let avg = Double(i + j) / 2
            for k in i...j { ranks[order[k]] = avg }
            i = j + 1
        }
        return ranks
    }
}
