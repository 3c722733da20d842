import CEdgeKernels
import EdgeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This core's multiply-accumulate peak for a data type, measured now with a register-only
/// probe (int8: vpdpbusd, fp32: vfmadd). A layer's rate is quoted as a share of it: the
/// clock of a shared or throttling machine moves, so an absolute rate alone misleads.
public enum PeakProbe {
    /// The data types a probe exists for.
    public enum DataType: Sendable { case int8, fp32 }

    /// GMAC/s of the best of `repeats` short probes (about 1 ms each at 3 GHz), or nil when
    /// this CPU has no instruction the probe measures (the portable kernels have no peak).
    public static func gmacs(_ type: DataType, features: CPUFeatures = .host, repeats: Int = 5) -> Double? {
        let iterations = 20_000
        let probe: () -> Void
        let macsPerIteration: Int
        switch type {
        case .int8:
            guard features.hasVNNI512 else { return nil }
            // 16 vpdpbusd of 64 byte pairs each.
            macsPerIteration = 16 * 64
            probe = { precondition(q8_vnni_peak_probe(iterations) != 12345, "keeps the probe alive") }
        case .fp32:
            if features.avx512f {
                macsPerIteration = 12 * 16
                probe = { precondition(f32_fma_peak_probe__avx512f(iterations) != 12345, "keeps the probe alive") }
            } else if features.hasAVX2FMA {
                macsPerIteration = 12 * 8
                probe = { precondition(f32_fma_peak_probe__avx2_fma(iterations) != 12345, "keeps the probe alive") }
            } else {
                return nil
            }
        }
        var best = 0.0
        for _ in 0..<max(1, repeats) {
            let start = MonotonicClock.now()
            probe()
            let ns = Double(MonotonicClock.now() - start)
            if ns > 0 { best = max(best, Double(iterations * macsPerIteration) / ns) }
        }
        return best > 0 ? best : nil
    }
}
