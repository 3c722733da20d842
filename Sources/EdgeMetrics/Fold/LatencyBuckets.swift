/// Histogram bucket bounds for inference latency, in seconds.
///
/// Ten bounds per decade (the E10-like series 1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8) from
/// 0.1 ms to 1 s: each bucket is at most 1.28× its lower bound, so `histogram_quantile` in
/// Prometheus lands within one bucket of the exact percentile across the whole range an edge
/// model can take, with 41 series per label set (cheap enough to scrape from a fleet).
public enum LatencyBuckets {
    /// The steps within one decade.
    static let decade: [Double] = [1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8]

    /// Upper bounds from 0.0001 s to 1 s inclusive, ascending.
    public static let seconds: [Double] = {
        var bounds: [Double] = []
        for exponent in -4 ... -1 {
            let scale = pow10(exponent)
            for step in decade { bounds.append((step * scale * 1e6).rounded() / 1e6) }
        }
        bounds.append(1)
        return bounds
    }()

    /// Index of the bucket holding `value` (the first bound at or above it); `seconds.count`
    /// stands for the +Inf bucket.
    public static func index(of value: Double) -> Int {
        seconds.firstIndex { value <= $0 } ?? seconds.count
    }

    private static func pow10(_ e: Int) -> Double {
        var v = 1.0
        if e < 0 { for _ in 0 ..< -e { v /= 10 } } else { for _ in 0 ..< e { v *= 10 } }
        return v
    }
}
