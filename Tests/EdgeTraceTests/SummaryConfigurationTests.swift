import XCTest
@testable import EdgeTrace

/// A backend that ran two models is two distributions: the summary shows them apart.
final class SummaryConfigurationTests: XCTestCase {
    func testConfigurationsAreKeptApartAndShownWhenABackendPoolsThem() throws {
        var b = SummaryBuilder()
        for i in 0..<150 { b.add(.inference(InferenceEvent(t: Double(i) * 0.01, backend: "int8", model: "mobilenet-v1-0.25-128", latencyNs: 1_000_000, threads: 1))) }
        for i in 0..<50 { b.add(.inference(InferenceEvent(t: 2 + Double(i) * 0.01, backend: "int8", model: "resnet-18-224", latencyNs: 9_000_000, threads: 1))) }
        let s = b.finish(file: "f", header: testHeader())
        XCTAssertEqual(s.backends.count, 1)
        XCTAssertEqual(s.configurations.map(\.configuration.model), ["mobilenet-v1-0.25-128", "resnet-18-224"])
        XCTAssertEqual(s.configurations.map(\.stats.count), [150, 50])
        XCTAssertEqual(s.configurations[1].stats.percentilesNs[0], 9_000_000)
        let text = s.text()
        XCTAssertTrue(text.contains("per configuration (FPS over the time it ran; the rows above pool a backend's models"), text)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("resnet-18-224 int8, 1 thread") })
        // resnet's first frame began at mobilenet's last (t 1.49): 1.0 s for 50 frames.
        XCTAssertEqual(row.split(separator: " ").suffix(6), ["50", "1.000", "50.00", "9.000000", "–", "9.000000"], "50 latencies give no p99")
        XCTAssertTrue(s.json().contains(#"{"model":"resnet-18-224","backend":"int8","threads":1,"seconds":1"#), s.json())
        XCTAssertTrue(s.json().contains(#""latency":{"count":50,"#), s.json())
        // One configuration per backend: the backend table says it all.
        var one = SummaryBuilder()
        one.add(.inference(InferenceEvent(t: 1, backend: "int8", model: "m", latencyNs: 5)))
        XCTAssertFalse(one.finish(file: "f", header: testHeader()).text().contains("per configuration"))
    }

    /// FPS is per configuration over the time it ran: a pause, or another configuration's
    /// time, does not lower it, where the session average pools them all.
    func testEachConfigurationsFPSCountsOnlyTheTimeItRan() throws {
        var b = SummaryBuilder()
        func frames(_ backend: String, from t0: Double, every dt: Double, _ n: Int) {
            for i in 1...n { b.add(.inference(InferenceEvent(t: t0 + dt * Double(i), backend: backend, model: "m", latencyNs: 1_000_000, threads: 1))) }
        }
        b.add(.config(ConfigChange(t: 0, backend: "int8", model: "m", threads: 1, paused: false)))
        frames("int8", from: 0, every: 0.1, 10)                      // 1 s
        b.add(.config(ConfigChange(t: 1, paused: true)))
        b.add(.config(ConfigChange(t: 5, paused: false)))
        frames("int8", from: 5, every: 0.1, 10)                      // 1 s more, after 4 s paused
        b.add(.config(ConfigChange(t: 6, backend: "fp32")))
        frames("fp32", from: 6, every: 0.5, 4)                       // 2 s
        let s = b.finish(file: "f", header: testHeader())
        let int8 = RunConfiguration(model: "m", backend: "int8", threads: 1), fp32 = RunConfiguration(model: "m", backend: "fp32", threads: 1)
        XCTAssertEqual(try XCTUnwrap(s.configurationSeconds[int8]), 2, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(s.configurationSeconds[fp32]), 2, accuracy: 1e-9)
        XCTAssertEqual(s.fps, 3, accuracy: 1e-9, "the session average pools both and the pause: 24 frames in 8 s")
        let text = s.text()
        XCTAssertTrue(text.contains("FPS average over all configurations"), text)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("m int8, 1 thread") }, text)
        XCTAssertEqual(Array(row.split(separator: " ").dropFirst(4).prefix(3)), ["20", "2.000", "10.00"], String(row))
        XCTAssertTrue(s.json().contains(#""backend":"fp32","threads":1,"seconds":2,"fps":2,"#), s.json())
        // Filtered to one backend, the other's frames still end the frame in flight.
        var only = SummaryBuilder(backend: "fp32")
        only.add(.config(ConfigChange(t: 0, backend: "int8", model: "m", threads: 1)))
        only.add(.inference(InferenceEvent(t: 3, backend: "int8", model: "m", latencyNs: 1, threads: 1)))
        only.add(.inference(InferenceEvent(t: 4, backend: "fp32", model: "m", latencyNs: 1, threads: 1)))
        XCTAssertEqual(only.finish(file: "f", header: testHeader()).configurationSeconds[fp32] ?? 0, 1, accuracy: 1e-9)
    }
}
