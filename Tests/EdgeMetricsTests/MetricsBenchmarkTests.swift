import EdgeTrace
import Foundation
import XCTest
@testable import EdgeMetrics

/// What folding the event stream into metrics costs beside what `record` already pays for
/// each event, printed as figures (run with EDGETOP_BENCH=1; never a pass/fail timing).
/// The reference in the same run is the trace writer on the same events (file on tmpfs or
/// disk, gzip off), so the ratio means something on a noisy machine.
final class MetricsBenchmarkTests: XCTestCase {
    func testFoldAndScrapeCost() throws {
        guard ProcessInfo.processInfo.environment["EDGETOP_BENCH"] == "1" else {
            throw XCTSkip("set EDGETOP_BENCH=1 to run the metrics benchmark")
        }
        let n = 200_000, runs = 7
        var events: [Event] = []
        events.reserveCapacity(n)
        for i in 0 ..< n {
            let t = Double(i) * 0.005
            if i % 100 == 99 {
                let load = [CoreLoad(user: 0.9), CoreLoad(user: 0.8)]
                let frequency = [CoreFrequency(curMHz: 2600), CoreFrequency(curMHz: 2600)]
                events.append(.system(SystemSample(t: t, load: load, frequency: frequency,
                                                   temperatures: [Temperature(sensor: "soc", celsius: 55)])))
            } else {
                let backend = i % 2 == 0 ? "int8" : "fp32"
                let latency = UInt64(4_000_000 + i % 9973)
                events.append(.inference(InferenceEvent(t: t, backend: backend, model: "mobilenet-v1-1.0-224", latencyNs: latency, threads: 2)))
            }
        }
        let header = TraceHeader(device: DeviceInfo(cpuModel: "bench", cores: 2, os: "Linux", kernel: "6", hasThermalSensors: true),
                                 source: .recorded, model: "m", startTime: "2026-01-01T00:00:00Z")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-metrics-bench-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var fold: [Double] = [], write: [Double] = [], scrape: [Double] = []
        var bytes = 0
        for _ in 0 ..< runs {
            let m = EventMetrics(identity: MetricsIdentity(device: "bench", emulated: false))
            var start = DispatchTime.now().uptimeNanoseconds
            for e in events { m.fold(e) }
            fold.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(n))

            start = DispatchTime.now().uptimeNanoseconds
            let w = try TraceWriter(path: path, header: header)
            for e in events { try w.write(e) }
            try w.close()
            write.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(n))

            start = DispatchTime.now().uptimeNanoseconds
            for _ in 0 ..< 100 { bytes = m.exposition(openMetrics: true).utf8.count }
            scrape.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 100)
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        print(String(format: "metrics fold: %.0f ns/event; trace writer (reference): %.0f ns/event; fold/writer = %.2f (median of %d runs of %d events, single thread)",
                     median(fold), median(write), median(fold) / median(write), runs, n))
        print(String(format: "one OpenMetrics scrape of 2 workloads + 2 cores + 1 sensor (%d bytes): %.0f µs (median of %d runs of 100)",
                     bytes, median(scrape) / 1000, runs))
        XCTAssertGreaterThan(bytes, 0)
    }
}
