import XCTest
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import EdgeMetrics

final class ExpositionTests: XCTestCase {
    func testOpenMetricsNamesCounterFamiliesWithoutTotalAndEndsWithEOF() {
        let text = """
            # HELP edgetop_inferences_total Inferences finished.
            # TYPE edgetop_inferences_total counter
            edgetop_inferences_total{device="a"} 3
            # TYPE edgetop_fps_hertz gauge
            edgetop_fps_hertz{device="a"} 2.5

            """
        XCTAssertEqual(OpenMetricsText.convert(text), """
            # HELP edgetop_inferences Inferences finished.
            # TYPE edgetop_inferences counter
            edgetop_inferences_total{device="a"} 3
            # TYPE edgetop_fps_hertz gauge
            edgetop_fps_hertz{device="a"} 2.5
            # EOF

            """)
    }

    func testAcceptHeaderChoosesTheFormat() {
        XCTAssertTrue(OpenMetricsText.isRequested(byAccept: "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
        XCTAssertFalse(OpenMetricsText.isRequested(byAccept: "text/plain"))
        XCTAssertFalse(OpenMetricsText.isRequested(byAccept: nil))
    }

    func testBucketsResolveATenthOfAMillisecondToOneSecond() {
        let b = LatencyBuckets.seconds
        XCTAssertEqual(b.first, 0.0001)
        XCTAssertEqual(b.last, 1)
        XCTAssertEqual(b.count, 41)
        for (lo, hi) in zip(b, b.dropFirst()) { XCTAssertLessThanOrEqual(hi / lo, 1.28, "\(lo) -> \(hi)") }
        XCTAssertEqual(LatencyBuckets.index(of: 0.0001), 0)
        XCTAssertEqual(LatencyBuckets.index(of: 0.00011), 1)
        XCTAssertEqual(LatencyBuckets.index(of: 2), b.count)
    }

    func testAddressesDefaultToLoopbackAndRejectNames() throws {
        XCTAssertEqual(try MetricsAddress.parse("9100").get(), MetricsAddress(host: "127.0.0.1", port: 9100))
        XCTAssertEqual(try MetricsAddress.parse(":0").get(), MetricsAddress(host: "127.0.0.1", port: 0))
        XCTAssertEqual(try MetricsAddress.parse("0.0.0.0:9478").get(), MetricsAddress(host: "0.0.0.0", port: 9478))
        XCTAssertEqual(try MetricsAddress.parse("[::1]:9478").get(), MetricsAddress(host: "::1", port: 9478))
        XCTAssertEqual(try MetricsAddress.parse("localhost:1").get().host, "127.0.0.1")
        XCTAssertThrowsError(try MetricsAddress.parse("example.org:80").get())
        XCTAssertThrowsError(try MetricsAddress.parse("127.0.0.1:70000").get())
        XCTAssertThrowsError(try MetricsAddress.parse("1.2.3:80").get())
    }

    func testServerAnswersBothFormatsOnLoopback() throws {
        let m = EventMetrics(identity: MetricsIdentity(device: "d", emulated: false))
        m.fold(.inference(.init(t: 1, backend: "int8", model: "m", latencyNs: 2_000_000, threads: 1)))
        let server = try MetricsServer(metrics: m, address: MetricsAddress(host: "127.0.0.1", port: 0))
        try server.start()
        defer { server.stop() }
        XCTAssertNotEqual(server.boundAddress.port, 0)
        let url = URL(string: "http://127.0.0.1:\(server.boundAddress.port)/metrics")!
        func get(accept: String?) throws -> (String, String) {
            var request = URLRequest(url: url, timeoutInterval: 10)
            if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var result: (String, String)?
            URLSession.shared.dataTask(with: request) { data, response, _ in
                let type = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") ?? ""
                result = (type, String(decoding: data ?? Data(), as: UTF8.self))
                done.signal()
            }.resume()
            XCTAssertEqual(done.wait(timeout: .now() + 15), .success)
            return result ?? ("", "")
        }
        let (plainType, plain) = try get(accept: nil)
        XCTAssertTrue(plainType.hasPrefix("text/plain"), plainType)
        XCTAssertTrue(plain.contains("# TYPE edgetop_inferences_total counter"), plain)
        let (openType, open) = try get(accept: "application/openmetrics-text; version=1.0.0")
        XCTAssertTrue(openType.hasPrefix("application/openmetrics-text"), openType)
        XCTAssertTrue(open.contains("# TYPE edgetop_inferences counter"))
        XCTAssertTrue(open.hasSuffix("# EOF\n"))
    }
}
