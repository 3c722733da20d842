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
        XCTAssertTrue(text.contains("latency (ms) per configuration"), text)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("resnet-18-224 int8, 1 thread") })
        XCTAssertEqual(row.split(separator: " ").suffix(4), ["50", "9.000000", "–", "9.000000"], "50 latencies give no p99")
        XCTAssertTrue(s.json().contains(#"{"model":"resnet-18-224","backend":"int8","threads":1,"latency":{"count":50,"#), s.json())
        // One configuration per backend: the backend table says it all.
        var one = SummaryBuilder()
        one.add(.inference(InferenceEvent(t: 1, backend: "int8", model: "m", latencyNs: 5)))
        XCTAssertFalse(one.finish(file: "f", header: testHeader()).text().contains("per configuration"))
    }
}
