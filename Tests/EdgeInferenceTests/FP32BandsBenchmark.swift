@testable import EdgeInference
import EdgeKernels
import Foundation
import XCTest

/// The fp32 plan with and without expand-depthwise row bands (`FExpandDepthwise`), both
/// x86 kernel families, printed as figures (run with EDGETOP_BENCH=1; never a pass/fail
/// timing):
///
///     EDGETOP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter FP32BandsBenchmark
///
/// The two plans alternate run by run, so drift falls on both alike; each figure is the
/// median and the fastest of EDGETOP_BENCH_RUNS (default 200) inferences, threads from
/// EDGETOP_BENCH_THREADS (default 1). The AVX2+FMA family (what a Zen 3 gets) is forced on
/// an AVX-512 host: that is this CPU running AVX2 code, not a Zen 3 measurement.
final class FP32BandsBenchmark: XCTestCase {
    func testBandsAgainstLayerByLayer() throws {
        let env = ProcessInfo.processInfo.environment
        try XCTSkipUnless(env["EDGETOP_BENCH"] == "1", "set EDGETOP_BENCH=1 to run")
        let runs = Int(env["EDGETOP_BENCH_RUNS"] ?? "") ?? 200
        let threads = Int(env["EDGETOP_BENCH_THREADS"] ?? "") ?? 1
        var families: [(String, CPUFeatures)] = []
        let host = CPUFeatures.host
        if host.avx512f { families.append(("avx512f", host)) }
        if host.hasAVX2FMA {
            var avx2 = host
            avx2.avx512f = false
            families.append(("avx2_fma", avx2))
        }
        try XCTSkipIf(families.isEmpty, "no x86 fp32 kernel family on this CPU")
        for model in [Model.mobileNetV1(width: 1.0, resolution: 224), .mobileNetV2(resolution: 224)] {
            for (name, features) in families {
                let banded = FP32Plan(model: model, threads: threads, features: features)
                let plain = FP32Plan(model: model, threads: threads, features: features, bands: false)
                for _ in 0..<20 { banded.run(); plain.run() }
                // A benchmark of a wrong result is worthless: the two must agree bit for bit.
                XCTAssertEqual(banded.logits().map(\.bitPattern), plain.logits().map(\.bitPattern))
                var b: [Double] = [], p: [Double] = []
                for _ in 0..<runs {
                    var t = ContinuousClock.now
                    banded.run()
                    b.append(Self.ms(ContinuousClock.now - t))
                    t = ContinuousClock.now
                    plain.run()
                    p.append(Self.ms(ContinuousClock.now - t))
                }
                let bands = banded.layerKernels.filter { $0 == FP32Plan.fusedAwayKernel }.count
                let figures = String(format: "banded p50 %.3f ms min %.3f | layer by layer p50 %.3f min %.3f | "
                                     + "ratio p50 %.3f min %.3f", Self.median(b), b.min()!, Self.median(p), p.min()!,
                                     Self.median(b) / Self.median(p), b.min()! / p.min()!)
                print("\(model.name) \(name), \(threads) thread(s), \(bands) banded pairs, \(runs) runs each: \(figures)")
            }
        }
    }

    private static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
    }

    private static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
}
