@testable import EdgeInference
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What one profiled inference costs over a plain one, on the inference thread itself,
/// printed as figures (run with EDGETOP_BENCH=1; never a pass/fail timing):
///
///     EDGETOP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ProfilingCostBenchmark
///
/// Plain runs and profiled runs (the monotonic clock read around every operator, then each
/// layer labelled, as the loop does) alternate, so drift falls on both alike; times are this
/// thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which other processes on a shared machine
/// do not inflate. The loop profiles one inference in N, so the cost on FPS is the extra time
/// of one profiled inference over N plain ones. Model and backend from EDGETOP_BENCH_MODEL
/// (default mobilenet-v1-1.0-224) and EDGETOP_BENCH_BACKEND (int8); 1 thread; pairs from
/// EDGETOP_BENCH_RUNS (default 300).
final class ProfilingCostBenchmark: XCTestCase {
    private func threadCPUNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    func testProfiledInferenceCostOverAPlainOne() throws {
        let env = ProcessInfo.processInfo.environment
        try XCTSkipUnless(env["EDGETOP_BENCH"] == "1", "set EDGETOP_BENCH=1 to run")
        let spec = ModelSpec(name: env["EDGETOP_BENCH_MODEL"] ?? "mobilenet-v1-1.0-224") ?? .mobileNetV1(width: 1.0, resolution: 224)
        let backend = Backend(rawValue: env["EDGETOP_BENCH_BACKEND"] ?? "int8") ?? .int8
        let runs = Int(env["EDGETOP_BENCH_RUNS"] ?? "") ?? 300
        let plan = PlanFactory.plan(for: spec, backend: backend, threads: 1)
        for _ in 0..<10 { plan.run() }
        var plain: [UInt64] = [], profiled: [UInt64] = []
        var sink = 0
        for _ in 0..<runs {
            var t = threadCPUNs()
            plan.run()
            plain.append(threadCPUNs() - t)
            t = threadCPUNs()
            let layers = plan.label(plan.runProfiled())
            profiled.append(threadCPUNs() - t)
            sink &+= layers.count
        }
        XCTAssertEqual(sink, runs * plan.model.layers.count)
        let p = BenchLatencySummary(samples: plain), q = BenchLatencySummary(samples: profiled)
        let extra = Double(q.p50) - Double(p.p50)
        print(String(format: "%@ %@ 1 thread, %d alternating pairs, thread CPU time: plain p50 %.3f ms, profiled p50 %.3f ms (+%.1f us, %.2f%% of one inference)",
                     spec.name, backend.rawValue, runs, Double(p.p50) / 1e6, Double(q.p50) / 1e6, extra / 1e3, 100 * extra / Double(p.p50)))
        for n in [1, 10, 50] {
            print(String(format: "  profiling 1 in %d: %.3f%% of the loop's time", n, 100 * max(0, extra) / (Double(n) * Double(p.p50))))
        }
    }
}
