import EdgeKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one benchmark of a plan measured, in the shape of TensorFlow Lite's
/// benchmark_model: initialisation, first run, warm-up and timed runs, and quality.
public struct BenchmarkResult: Sendable {
    public var model: String
    public var backend: Backend
    public var threads: Int
    public var macs: Int
    /// Building the plan (weights quantized and packed, buffers allocated), ns.
    public var initNs: UInt64
    /// int8 only: the reference runs that calibrate activation ranges (once per model), ns.
    public var calibrationNs: UInt64?
    /// The first inference, ns (cold caches, first touch of the buffers).
    public var firstNs: UInt64
    /// Mean of the warm-up runs after the first, ns (nil when there were none).
    public var warmupMeanNs: Double?
    public var warmupRuns: Int
    /// The timed runs.
    public var summary: BenchLatencySummary
    /// Distinct microkernels the plan runs, in order of first use.
    public var kernels: [String]
    public var quality: Quality
    /// Per-layer timings (median over the profiled runs), when asked for.
    public var profile: [LayerTiming]?
    /// Every profiled run, each layer labelled as the live loop labels it (the layer table's input).
    public var profiledRuns: [[LayerTiming]] = []
    /// This core's measured peak for the backend's data type, GMAC/s, when profiled and a probe exists.
    public var peakGMACs: Double?

    /// Multiply-accumulates per second at the mean latency, in units of 10⁹.
    public var gmacs: Double { Double(macs) / summary.mean }
}

/// Runs a plan the way a benchmark tool does: one first run, warm-up, then timed runs.
public enum Benchmark {
    /// Builds the plan for `spec` on `backend`, measures quality against the reference,
    /// then times `warmup` (the first of them reported apart) and `runs` inferences.
    /// `profileRuns` > 0 adds that many per-layer profiled runs after the timed ones.
    /// `slowdown`, when given, is device emulation's hook (as `InferenceLoop.slowdown`): after
    /// each run it is handed the run's time and returns the idle to add; the benchmark idles
    /// that long and counts it in the run's latency, the time at the emulated clock.
    /// `features` picks the kernels of both backends (see `CPUFeatures.forcingInt8ISA`).
    public static func run(spec: ModelSpec, backend: Backend, threads: Int, warmup: Int, runs: Int,
                           profileRuns: Int = 0, slowdown: ((UInt64) -> UInt64)? = nil,
                           features: CPUFeatures = .host) -> BenchmarkResult {
        precondition(runs > 0, "runs must be positive")
        let model = PlanFactory.model(spec)
        var calibrationNs: UInt64?
        if backend == .int8 {
            let start = MonotonicClock.now()
            _ = PlanFactory.calibration(for: model)
            calibrationNs = MonotonicClock.now() - start
        }
        let initStart = MonotonicClock.now()
        let plan = PlanFactory.plan(for: model, backend: backend, threads: threads, features: features)
        let initNs = MonotonicClock.now() - initStart
        let quality = PlanFactory.quality(of: plan)

        var first: UInt64 = 0
        var warmupTimes: [UInt64] = []
        func timed() -> UInt64 {
            let t = time(plan)
            guard let slowdown else { return t }
            let extra = slowdown(t)
            if extra > 0 { idle(nanoseconds: extra) }
            return t &+ extra
        }
        for i in 0..<max(1, warmup) {
            let t = timed()
            if i == 0 { first = t } else { warmupTimes.append(t) }
        }
        var samples = [UInt64](repeating: 0, count: runs)
        for i in 0..<runs { samples[i] = timed() }

        var profile: [LayerTiming]?
        var profiledRuns: [[LayerTiming]] = []
        if profileRuns > 0 {
            var perLayer = [[UInt64]](repeating: [], count: model.layers.count)
            for _ in 0..<profileRuns {
                let times = plan.runProfiled()
                for (i, t) in times.enumerated() { perLayer[i].append(t) }
                profiledRuns.append(plan.label(times))
            }
            var timings = plan.profile()
            for i in timings.indices { timings[i].nanoseconds = BenchLatencySummary(samples: perLayer[i]).p50 }
            profile = timings
        }
        var result = BenchmarkResult(
            model: model.name, backend: backend, threads: plan.threads, macs: model.macs, initNs: initNs,
            calibrationNs: calibrationNs,
            firstNs: first,
            warmupMeanNs: warmupTimes.isEmpty ? nil : Double(warmupTimes.reduce(0, +)) / Double(warmupTimes.count),
            warmupRuns: max(1, warmup), summary: BenchLatencySummary(samples: samples), kernels: plan.kernelNames,
            quality: quality, profile: profile)
        result.profiledRuns = profiledRuns
        if profileRuns > 0 { result.peakGMACs = LayerRecord.peak(for: backend) }
        return result
    }

    /// Sleeps for `ns` nanoseconds (the emulated device's extra compute time).
    private static func idle(nanoseconds ns: UInt64) {
        var left = timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
        var rest = timespec()
        while nanosleep(&left, &rest) != 0 && errno == EINTR { left = rest }
    }

    @inline(never)
    private static func time(_ plan: InferencePlan) -> UInt64 {
        let start = MonotonicClock.now()
        plan.run()
        return MonotonicClock.now() - start
    }
}
