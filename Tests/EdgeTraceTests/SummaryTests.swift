import XCTest
@testable import EdgeTrace

final class SummaryTests: XCTestCase {
    func testPercentilesFollowLoadGensIndexRule() {
        let s = LatencyStats(latencies: (1...1000).reversed().map { UInt64($0) })!
        // index floor(1000 p): p50 -> [500] = 501, p90 -> 901, p95 -> 951, p97 -> 971, p99 -> 991, p99.9 -> 1000
        XCTAssertEqual(s.percentilesNs, [501, 901, 951, 971, 991, 1000])
        XCTAssertEqual(s.meanNs, 500)       // 500.5 truncated, as LoadGen's integer mean
        XCTAssertEqual(s.minNs, 1); XCTAssertEqual(s.maxNs, 1000); XCTAssertEqual(s.count, 1000)
        let ten = LatencyStats(latencies: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100])!
        XCTAssertEqual(ten.percentilesNs, [60, 100, 100, 100, 100, 100])
        XCTAssertEqual(LatencyStats(latencies: [7])!.percentilesNs, [7, 7, 7, 7, 7, 7])
        XCTAssertNil(LatencyStats(latencies: []))
    }

    func testSessionSummaryFoldsEveryKindOfFigure() {
        var b = SummaryBuilder()
        b.add(.config(ConfigChange(t: 0, backend: "int8")))
        for i in 0..<10 { b.add(.inference(InferenceEvent(t: 0.1 * Double(i + 1), backend: "int8", model: "m", latencyNs: UInt64(100 + i)))) }
        b.add(.system(SystemSample(t: 0.5, load: [CoreLoad(user: 0.5, system: 0.25), CoreLoad(user: 0.1, iowait: 0.9)],
                                   frequency: [CoreFrequency(curMHz: 1000), CoreFrequency(curMHz: 2000)],
                                   temperatures: [Temperature(sensor: "skin", celsius: 30), Temperature(sensor: "soc", celsius: 70, emulated: true)],
                                   power: [PowerReading(source: "wall", watts: 5)])))
        b.add(.system(SystemSample(t: 1.0, load: [CoreLoad(user: 0.25), CoreLoad(user: 0.3)],
                                   frequency: [CoreFrequency(curMHz: 3000), CoreFrequency(curMHz: 2000)],
                                   temperatures: [Temperature(sensor: "skin", celsius: 35.5), Temperature(sensor: "soc", celsius: 65, emulated: true)],
                                   power: [PowerReading(source: "wall", watts: 7)])))
        b.add(.config(ConfigChange(t: 1.5, backend: "fp32")))
        for i in 0..<5 { b.add(.inference(InferenceEvent(t: 1.5 + 0.1 * Double(i + 1), backend: "fp32", model: "m", latencyNs: 1000))) }
        b.add(.mark(Mark(t: 2, label: "end")))
        let s = b.finish(file: "f", header: testHeader())
        XCTAssertEqual(s.duration, 2)
        XCTAssertEqual(s.inferenceCount, 15)
        XCTAssertEqual(s.fps, 7.5)
        XCTAssertEqual(s.backends.map(\.name), ["int8", "fp32"])
        XCTAssertEqual(s.backends[0].stats.percentilesNs[0], 105)
        XCTAssertEqual(s.backends[1].stats.count, 5)
        XCTAssertEqual(s.temperatures, [SensorRange(sensor: "skin", minC: 30, maxC: 35.5, emulated: false),
                                        SensorRange(sensor: "soc", minC: 65, maxC: 70, emulated: true)])
        XCTAssertEqual(s.meanCoreLoad[0], 0.5, accuracy: 1e-12)   // (0.75 + 0.25) / 2
        XCTAssertEqual(s.meanCoreLoad[1], 0.2, accuracy: 1e-12)   // iowait is not busy
        XCTAssertEqual(s.meanCoreMHz, [2000, 2000])
        XCTAssertEqual(s.power, [PowerRange(source: "wall", minW: 5, meanW: 6, maxW: 7, emulated: false)])
        XCTAssertEqual(s.markCount, 1); XCTAssertEqual(s.configChangeCount, 2)
        XCTAssertTrue(s.text().contains("soc (emulated)"))
        // Ten latencies support p50 and p90; p95 needs 20, p97 34, p99 100 and p99.9 1000.
        XCTAssertTrue(s.json().contains(#""int8":{"count":10,"mean_ns":104,"min_ns":100,"p50_ns":105,"p90_ns":109,"p95_ns":null,"p95_min_count":20,"p97_ns":null,"p97_min_count":34,"p99_ns":null,"p99_min_count":100,"p999_ns":null,"p999_min_count":1000,"max_ns":109}"#), s.json())
        XCTAssertTrue(s.text().contains("– : too few latencies for that percentile"), s.text())
    }

    /// A tool's own percentiles follow the same rule against its query count: a p99.9 of 500
    /// queries is not shown as a figure, and a log without a count keeps the tool's figure.
    func testReportedPercentilesNeedTheirQueryCount() {
        func summary(queries: Int?) -> SessionSummary {
            var header = testHeader(source: .imported)
            header.reported = ReportedSummary(tool: "MLPerf LoadGen", queryCount: queries,
                                              percentiles: [ReportedPercentile(percent: 99, latencyNs: 2_000_000),
                                                            ReportedPercentile(percent: 99.9, latencyNs: 3_000_000)])
            return SummaryBuilder().finish(file: "f", header: header)
        }
        let few = summary(queries: 500)
        XCTAssertTrue(few.text().contains("p99 2.000000, p99.9 – (n<1000)"), few.text())
        // The trace header's layout (one list), with the unsupported percentile null.
        XCTAssertTrue(few.json().contains(#"{"percent":99,"latency_ns":2000000},{"percent":99.9,"latency_ns":null,"min_count":1000}"#),
                      few.json())
        let many = summary(queries: 1024)
        XCTAssertTrue(many.text().contains("p99.9 3.000000"), many.text())
        XCTAssertTrue(summary(queries: nil).json().contains(#"{"percent":99.9,"latency_ns":3000000}"#))
    }

    func testBackendFilterKeepsOnlyThatBackend() {
        var b = SummaryBuilder(backend: "fp32")
        b.add(.inference(InferenceEvent(t: 1, backend: "int8", model: "m", latencyNs: 1)))
        b.add(.inference(InferenceEvent(t: 2, backend: "fp32", model: "m", latencyNs: 2)))
        let s = b.finish(file: "f", header: testHeader())
        XCTAssertEqual(s.backends.map(\.name), ["fp32"])
        XCTAssertEqual(s.inferenceCount, 1)
    }

    func testSameTraceAlwaysGivesTheSameSummary() throws {
        let p = TestPaths.fixture("loadgen/mlperf_log_trace.json.gz")
        let a = try SessionSummary.compute(SessionFile.open(p), file: p).0.json()
        let b = try SessionSummary.compute(SessionFile.open(p), file: p).0.json()
        XCTAssertEqual(a, b)
    }
}
