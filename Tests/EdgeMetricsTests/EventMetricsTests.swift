import EdgeTrace
import Foundation
import XCTest
@testable import EdgeMetrics

final class EventMetricsTests: XCTestCase {
    private func metrics(emulated: Bool = false) -> EventMetrics {
        EventMetrics(identity: MetricsIdentity(device: "lab-1", emulated: emulated, version: "9.9"))
    }

    /// The value of the one sample line starting with `prefix` (name and labels).
    private func value(_ text: String, _ prefix: String) -> Double? {
        let lines = text.split(separator: "\n").filter { $0.hasPrefix(prefix) }
        guard lines.count == 1, let v = lines[0].split(separator: " ").last else { return nil }
        return Double(v)
    }

    func testInferencesFillTheHistogramAndCountersWithTheirLabels() {
        let m = metrics()
        m.fold(.config(ConfigChange(t: 0, backend: "int8", model: "m", threads: 2, targetFPS: 100)))
        // 5 ms, 8 ms, 20 ms (a miss at 100 FPS: the deadline is 10 ms).
        for (i, ms) in [5.0, 8.0, 20.0].enumerated() {
            m.fold(.inference(InferenceEvent(t: 0.1 * Double(i + 1), backend: "int8", model: "m", latencyNs: UInt64(ms * 1e6))))
        }
        let text = m.exposition(openMetrics: false)
        let labels = #"device="lab-1",model="m",backend="int8",threads="2",origin="live""#
        XCTAssertEqual(value(text, "edgetop_inferences_total{" + labels), 3, text)
        XCTAssertEqual(value(text, "edgetop_deadline_misses_total{" + labels), 1)
        XCTAssertEqual(value(text, "edgetop_fps_hertz{" + labels), 3)
        XCTAssertEqual(value(text, "edgetop_inference_latency_seconds_count{" + labels), 3)
        XCTAssertEqual(value(text, "edgetop_inference_latency_seconds_bucket{" + labels + #",le="0.005"}"#), 1)
        XCTAssertEqual(value(text, "edgetop_inference_latency_seconds_bucket{" + labels + #",le="0.008"}"#), 2)
        XCTAssertEqual(value(text, "edgetop_inference_latency_seconds_bucket{" + labels + #",le="0.016"}"#), 2)
        XCTAssertEqual(value(text, "edgetop_inference_latency_seconds_bucket{" + labels + #",le="0.02"}"#), 3)
        XCTAssertEqual(value(text, "edgetop_inference_latency_seconds_sum{" + labels)!, 0.033, accuracy: 1e-9)
        XCTAssertEqual(value(text, #"edgetop_build_info{device="lab-1",origin="live",version="9.9"}"#), 1)
        XCTAssertNotNil(value(text, #"process_resident_memory_bytes{device="lab-1",origin="live"}"#))
    }

    func testSystemSamplesBecomeGaugesAndEmulatedReadingsSaySo() {
        let m = metrics()
        m.fold(.inference(InferenceEvent(t: 0.5, backend: "fp32", model: "m", latencyNs: 1_000_000, threads: 1)))
        m.fold(.system(SystemSample(t: 2, load: [CoreLoad(user: 0.25, system: 0.25)],
                                    frequency: [CoreFrequency(curMHz: 1200, emulated: true)],
                                    temperatures: [Temperature(sensor: "soc\u{1b}[31m", celsius: 71.5)],
                                    throttling: ["cpu0 capped"], power: [PowerReading(source: "package-0", watts: 4.5)])))
        m.fold(.quality(QualityReport(t: 2, backend: "fp32", model: "m", cosine: 0.99, top1Agree: true)))
        let text = m.exposition(openMetrics: false)
        XCTAssertEqual(value(text, #"edgetop_core_busy_ratio{device="lab-1",core="0",origin="live"}"#), 0.5, text)
        XCTAssertEqual(value(text, #"edgetop_core_frequency_hertz{device="lab-1",core="0",origin="emulated"}"#), 1.2e9)
        XCTAssertEqual(value(text, #"edgetop_throttling{device="lab-1",origin="live"}"#), 1)
        XCTAssertEqual(value(text, #"edgetop_power_watts{device="lab-1",source="package-0",origin="live"}"#), 4.5)
        XCTAssertEqual(value(text, #"edgetop_quality_cosine_ratio{device="lab-1",model="m",backend="fp32",origin="live"}"#), 0.99)
        // A second later nothing ran: FPS falls to 0 on the sample's time.
        XCTAssertEqual(value(text, #"edgetop_fps_hertz{device="lab-1",model="m",backend="fp32",threads="1",origin="live"}"#), 0)
        XCTAssertFalse(text.contains("\u{1b}"), "control characters from a sensor name reach the scrape")
        // Quotes and backslashes in names are escaped, not passed through.
        m.fold(.inference(InferenceEvent(t: 3, backend: "npu", model: #"a"b\c"#, latencyNs: 1_000_000, threads: 1)))
        XCTAssertTrue(m.exposition(openMetrics: false).contains(#"model="a\"b\\c""#))
    }

    func testEmulatedSessionsLabelEverySeriesEmulated() {
        let m = metrics(emulated: true)
        m.fold(.inference(InferenceEvent(t: 0.5, backend: "int8", model: "m", latencyNs: 1_000_000, threads: 4)))
        m.fold(.system(SystemSample(t: 1, temperatures: [Temperature(sensor: "soc", celsius: 50)])))
        let text = m.exposition(openMetrics: false)
        let samples = text.split(separator: "\n").filter { $0.hasPrefix("edgetop_") }
        XCTAssertFalse(samples.isEmpty)
        for line in samples { XCTAssertTrue(line.contains(#"origin="emulated""#), String(line)) }
    }

    func testDroppedAndFollowCountersFollowTheRunningTotals() {
        let m = metrics()
        m.setDroppedRecords(3); m.setDroppedRecords(3); m.setDroppedRecords(7)
        m.setFollowStatus(badLines: 2, ageSeconds: 4.5)
        let text = m.exposition(openMetrics: false)
        XCTAssertEqual(value(text, #"edgetop_dropped_records_total{device="lab-1",origin="live"}"#), 7)
        XCTAssertEqual(value(text, #"edgetop_follow_bad_lines_total{device="lab-1",origin="live"}"#), 2)
        XCTAssertEqual(value(text, #"edgetop_follow_source_age_seconds{device="lab-1",origin="live"}"#), 4.5)
    }

    func testFinishDropsFPSButKeepsTotals() {
        let m = metrics()
        for i in 0 ..< 10 { m.fold(.inference(InferenceEvent(t: 0.05 * Double(i), backend: "int8", model: "m", latencyNs: 1_000_000, threads: 1))) }
        m.finish()
        let text = m.exposition(openMetrics: false)
        XCTAssertEqual(value(text, #"edgetop_fps_hertz{device="lab-1",model="m",backend="int8",threads="1",origin="live"}"#), 0)
        XCTAssertEqual(value(text, #"edgetop_inferences_total{device="lab-1",model="m",backend="int8",threads="1",origin="live"}"#), 10)
    }
}

/// The shipped Grafana dashboard only names metrics edgetop exposes.
final class GrafanaDashboardTests: XCTestCase {
    func testEveryMetricTheDashboardQueriesIsExposed() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../grafana/edgetop-fleet.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(text.utf8)))
        let m = EventMetrics(identity: MetricsIdentity(device: "d", emulated: false))
        m.fold(.inference(InferenceEvent(t: 0.5, backend: "int8", model: "m", latencyNs: 1_000_000, threads: 1)))
        m.fold(.system(SystemSample(t: 1, load: [CoreLoad(user: 1)], frequency: [CoreFrequency(curMHz: 1000)],
                                    temperatures: [Temperature(sensor: "soc", celsius: 40)], power: [PowerReading(source: "p", watts: 1)])))
        let exposed = Set(m.exposition(openMetrics: false).split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { String($0.prefix { $0 != "{" && $0 != " " }) })
        let regex = try NSRegularExpression(pattern: "edgetop_[a-z_]+")
        let names = Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) })
            .subtracting(["edgetop_fleet"])
        XCTAssertGreaterThanOrEqual(names.count, 8)
        for name in names { XCTAssertTrue(exposed.contains(name), "the dashboard queries \(name), which edgetop does not expose") }
    }
}
