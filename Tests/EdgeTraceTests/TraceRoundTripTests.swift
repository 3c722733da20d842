import Foundation
import XCTest
@testable import EdgeTrace

final class TraceRoundTripTests: XCTestCase {
    /// One event of every kind, with awkward values: exact ns, tiny and long times, optional
    /// fields both set and unset, strings that need escaping.
    static let events: [Event] = [
        .config(ConfigChange(t: 0, backend: "int8", model: "mobilenet-v1-1.0-224", threads: 4, targetFPS: 0, paused: false)),
        .inference(InferenceEvent(t: 1e-7, backend: "int8", model: "mobilenet-v1-1.0-224", latencyNs: 18_446_744_073, threads: 4)),
        .inference(InferenceEvent(t: 0.1, backend: "fp32", model: "m \"quoted\" \\ back", latencyNs: 1, threads: nil)),
        .system(SystemSample(
            t: 1.0000000000000002,
            load: [CoreLoad(user: 0.5, nice: 0.01, system: 0.125, irq: 0.001, softirq: 0.002, steal: 0.003, iowait: 0.25), CoreLoad()],
            frequency: [CoreFrequency(curMHz: 2400.5, maxMHz: 3600, governor: "schedutil"), CoreFrequency(curMHz: 800, emulated: true)],
            temperatures: [Temperature(sensor: "cpu-0-0-usr", celsius: 47.25, passiveC: 95, criticalC: 115),
                           Temperature(sensor: "soc", celsius: 71.5, emulated: true)],
            throttling: ["cpu0 at 60% of max under load"],
            power: [PowerReading(source: "package-0", watts: 12.75), PowerReading(source: "soc", watts: 3, emulated: true)])),
        .system(SystemSample(t: 2)),
        .quality(QualityReport(t: 3.5, backend: "int8", model: "mobilenet-v1-1.0-224", cosine: 0.99871234, top1Agree: true)),
        .mark(Mark(t: 12345.678901234, label: "backend → fp32 ✓")),
        .config(ConfigChange(t: 12345.678901234, paused: true)),
        .inference(InferenceEvent(t: 12346.000001, backend: "int8", model: "m", latencyNs: UInt64(Int64.max))),
    ] + LayerEventTests.events.map { $0.retimed($0.t + 12346) }

    private func roundTrip(_ name: String) throws {
        let dir = try TestPaths.temporaryDirectory(self)
        var header = testHeader(source: .emulated)
        header.emulationProfile = "a53-phone-2013"
        header.attribution = "test"
        header.reported = ReportedSummary(tool: "MLPerf LoadGen 3.0", scenario: "SingleStream", sut: "x", queryCount: 10,
                                          minNs: 1, maxNs: 9, meanNs: 5, qps: 667.527, percentiles: [ReportedPercentile(percent: 99.9, latencyNs: 8)], valid: true)
        let path = dir + "/" + name
        let w = try TraceWriter(path: path, header: header)
        for e in Self.events { try w.write(e) }
        try w.close()

        let r = try TraceReader(path: path)
        XCTAssertEqual(r.header, header)
        XCTAssertEqual(try readAll(r), Self.events)
        XCTAssertEqual(r.warnings, [])
    }

    func testEveryEventKindRoundTripsExactly() throws { try roundTrip("session.jsonl") }

    func testGzipTraceRoundTripsAndIsCompressed() throws {
        try roundTrip("session.jsonl.gz")
        let dir = try TestPaths.temporaryDirectory(self)
        let w = try TraceWriter(path: dir + "/x.jsonl.gz", header: testHeader())
        try w.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/x.jsonl.gz"))
        XCTAssertEqual(Array(bytes.prefix(2)), [0x1F, 0x8B], "a .gz trace must be gzip data")
    }

    func testWireFormatUsesSnakeCaseKeys() {
        let line = TraceFormat.encodeLine(.inference(InferenceEvent(t: 1.234, backend: "int8", model: "m", latencyNs: 1_578_304, threads: 2)))
        XCTAssertEqual(line, #"{"type":"inference","t":1.234,"backend":"int8","model":"m","latency_ns":1578304,"threads":2}"#)
        let sys = TraceFormat.encodeLine(.system(SystemSample(t: 2, temperatures: [Temperature(sensor: "skin", celsius: 40.5, passiveC: 45)])))
        XCTAssertEqual(sys, #"{"type":"system","t":2,"temperatures":[{"sensor":"skin","celsius":40.5,"passive_c":45}]}"#)
        let header = String(decoding: TraceFormat.encode(testHeader()), as: UTF8.self)
        XCTAssertEqual(header, #"{"format":"edgetop-trace","version":1,"device":{"cpu_model":"Test CPU","cores":4,"os":"Linux","kernel":"6.8.0","thermal_sensors":false},"source":"recorded","model":"mobilenet-v1-1.0-224","start_time":"2026-11-26T04:00:00Z"}"#)
    }

    func testFlushPutsEventsOnDiskBeforeClose() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        for name in ["live.jsonl", "live.jsonl.gz"] {
            let path = dir + "/" + name
            let w = try TraceWriter(path: path, header: testHeader())
            try w.write(Self.events[1])
            try w.flush()
            // Read while the writer is still open, as a crash would leave it.
            let r = try TraceReader(path: path)
            XCTAssertEqual(try readAll(r), [Self.events[1]], name)
            try w.write(Self.events[2])
            try w.close()
            XCTAssertThrowsError(try w.write(Self.events[3]))
            XCTAssertEqual(try readAll(TraceReader(path: path)), [Self.events[1], Self.events[2]], name)
        }
    }

    func testWriterFlushesOnItsOwnEveryQuarterSecondOfSessionTime() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/auto.jsonl"
        let w = try TraceWriter(path: path, header: testHeader())
        let marks = [0.0, 0.1, 0.3, 0.4].map { Event.mark(Mark(t: $0, label: "m")) }
        for m in marks { try w.write(m) }
        // No explicit flush: t=0 and t=0.3 crossed a quarter second; t=0.4 is still buffered.
        XCTAssertEqual(try readAll(TraceReader(path: path)), Array(marks.prefix(3)))
        try w.close()
        XCTAssertEqual(try readAll(TraceReader(path: path)), marks)
    }

    func testCutOffGzipTraceKeepsEverythingBeforeTheCut() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/cut.jsonl.gz"
        let w = try TraceWriter(path: path, header: testHeader())
        for i in 0..<2000 { try w.write(.inference(InferenceEvent(t: Double(i) * 0.01, backend: "int8", model: "m", latencyNs: UInt64(i)))) }
        try w.flush()
        let flushed = try Data(contentsOf: URL(fileURLWithPath: path))
        try w.close()
        // What was on disk after the flush, before the trailer: as a crash would leave it.
        try flushed.write(to: URL(fileURLWithPath: path))
        let r = try TraceReader(path: path)
        let events = try readAll(r)
        XCTAssertEqual(events.count, 2000)
        XCTAssertEqual(r.warnings.count, 1)
        XCTAssertTrue(r.warnings[0].hasPrefix("\(path): compressed data ends early"), r.warnings[0])
    }

    func testStreamingReadHandlesLinesAcrossChunkBoundaries() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/long.jsonl"
        let w = try TraceWriter(path: path, header: testHeader())
        let long = String(repeating: "x", count: 300_000)   // longer than one read chunk
        var expected: [Event] = []
        for i in 0..<20_000 {
            let e: Event = i == 777 ? .mark(Mark(t: Double(i), label: long))
                : .inference(InferenceEvent(t: Double(i), backend: i % 2 == 0 ? "int8" : "fp32", model: "m", latencyNs: UInt64(i * 7)))
            expected.append(e)
            try w.write(e)
        }
        try w.close()
        XCTAssertEqual(try readAll(TraceReader(path: path)), expected)
    }
}
