import EdgeDashboard
import EdgeInference
@testable import EdgeLive
import EdgeTelemetry
import EdgeTrace
import Foundation
import XCTest

/// What sampled layer profiling costs the inference loop, printed as figures (run with
/// EDGETOP_BENCH=1; never a pass/fail timing):
///
///     EDGETOP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ProfilingOverheadBenchmark
///
/// Each cycle runs three sessions back to back, in an order that rotates from cycle to
/// cycle so the machine's drift falls on all alike: headless (no profiling, no process
/// sampling, nothing drawn); profiled (one inference in 50 profiled, processes sampled, the
/// state folded, nothing drawn); and dashboard (the same, with the whole 140x50 screen and
/// both tables drawn twice a second on the polling thread, as the dashboard does). FPS is
/// counted from the session's own inference events after its plan is built; each variant's
/// ratio to headless is taken per cycle and the median over the cycles printed. Model and
/// backend from EDGETOP_BENCH_MODEL (default mobilenet-v1-1.0-224) and EDGETOP_BENCH_BACKEND
/// (int8), 1 thread; EDGETOP_BENCH_ROUNDS cycles (default 7) of EDGETOP_BENCH_SECONDS per
/// session (default 3).
final class ProfilingOverheadBenchmark: XCTestCase {
    private var env: [String: String] { ProcessInfo.processInfo.environment }

    enum Variant: Int, CaseIterable { case headless, profiled, dashboard }

    private func session(_ variant: Variant, spec: ModelSpec, backend: Backend, seconds: Double) -> Double {
        var setup = LiveSetup(model: spec, backend: backend, threads: 1, targetFPS: 0, profile: nil, sysroot: SysRoot(),
                              sampleInterval: 0.5, recordingTo: nil)
        setup.profileEvery = variant == .headless ? 0 : 50
        setup.processInterval = variant == .headless ? 0 : 2
        let session = LiveSession(setup: setup)
        var state = DashboardState(header: session.header, mode: session.mode)
        session.start()
        defer { session.stop() }
        var first: Double?
        var count = 0
        var lastDraw = 0.0
        while true {
            let events = session.poll().events
            for case .inference(let e) in events {
                if first == nil { first = e.t }
                if let f = first, e.t > f + 0.5, e.t <= f + 0.5 + seconds { count += 1 }
            }
            if variant != .headless { state.ingest(events) }
            if variant == .dashboard, session.now - lastDraw >= 0.5 {
                _ = DashboardScreen.render(state, width: 140, height: 50)
                lastDraw = session.now
            }
            if let f = first, session.now > f + 0.5 + seconds + session.holdback + 0.05 { break }
            usleep(50_000)
        }
        return Double(count) / seconds
    }

    func testProfilingOverheadOnFPS() throws {
        try XCTSkipUnless(env["EDGETOP_BENCH"] == "1", "set EDGETOP_BENCH=1 to run")
        let spec = ModelSpec(name: env["EDGETOP_BENCH_MODEL"] ?? "mobilenet-v1-1.0-224") ?? .mobileNetV1(width: 1.0, resolution: 224)
        let backend = Backend(rawValue: env["EDGETOP_BENCH_BACKEND"] ?? "int8") ?? .int8
        let cycles = Int(env["EDGETOP_BENCH_ROUNDS"] ?? "") ?? 7
        let seconds = Double(env["EDGETOP_BENCH_SECONDS"] ?? "") ?? 3
        var fps: [Variant: [Double]] = [:]
        var ratios: [Variant: [Double]] = [:]
        for c in 0..<cycles {
            var got: [Variant: Double] = [:]
            for k in 0..<3 {
                let v = Variant(rawValue: (c + k) % 3)!
                got[v] = session(v, spec: spec, backend: backend, seconds: seconds)
            }
            for v in Variant.allCases { fps[v, default: []].append(got[v]!) }
            for v in [Variant.profiled, .dashboard] where got[.headless]! > 0 { ratios[v, default: []].append(got[v]! / got[.headless]!) }
            print(String(format: "cycle %d: headless %.2f, profiled %.2f, dashboard %.2f FPS", c + 1,
                         got[.headless]!, got[.profiled]!, got[.dashboard]!))
        }
        func median(_ v: [Double]) -> Double {
            let s = v.sorted(); return s.isEmpty ? .nan : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        print(String(format: "%@ %@, 1 thread, %d cycles of %.0f s per session; median FPS: headless %.2f, profiled %.2f, dashboard %.2f",
                     spec.name, backend.rawValue, cycles, seconds, median(fps[.headless]!), median(fps[.profiled]!), median(fps[.dashboard]!)))
        for v in [Variant.profiled, .dashboard] {
            let r = ratios[v] ?? []
            print(String(format: "%@ / headless: median ratio %.4f (overhead %.2f%%), range %.4f-%.4f over %d cycles",
                         "\(v)", median(r), 100 * (1 - median(r)), r.min() ?? .nan, r.max() ?? .nan, r.count))
        }
        XCTAssertTrue(fps.values.allSatisfy { $0.allSatisfy { $0 > 0 } }, "every session ran inferences")
    }
}
