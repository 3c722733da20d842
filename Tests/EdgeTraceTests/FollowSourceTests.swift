import Foundation
import Synchronization
import XCTest
@testable import EdgeTrace

/// The follow source's line formats, and tail semantics on a real growing file.
final class FollowSourceTests: XCTestCase {
    func testTheThreeFormatsAndBadLines() {
        var p = FollowLineParser()
        XCTAssertEqual(p.parse(#"{"time": 12.5, "latency_ms": 8.25, "model": "det", "backend": "tflite", "label": "cam0"}"#),
                       .inference(FollowedInference(time: 12.5, latencyNs: 8_250_000, model: "det", backend: "tflite", label: "cam0")))
        XCTAssertEqual(p.parse(#"{"time": 1, "latency_ns": 1500}"#), .inference(FollowedInference(time: 1, latencyNs: 1500)))
        XCTAssertEqual(p.parse(""), .skip)
        // edgetop's own trace lines: the header is skipped, inferences and marks kept.
        XCTAssertEqual(p.parse(#"{"format":"edgetop-trace","version":1}"#), .skip)
        XCTAssertEqual(p.parse(#"{"type":"inference","t":2.5,"backend":"int8","model":"m","latency_ns":700}"#),
                       .inference(FollowedInference(time: 2.5, latencyNs: 700, model: "m", backend: "int8")))
        XCTAssertEqual(p.parse(#"{"type":"mark","t":3,"label":"hot"}"#), .mark(time: 3, label: "hot"))
        // Bad lines say what is wrong.
        XCTAssertEqual(p.parse("hello"), .bad("not a JSON object"))
        XCTAssertEqual(p.parse(#"{"latency_ms": 3}"#), .bad("no numeric \"time\" (seconds)"))
        XCTAssertEqual(p.parse(#"{"time": 3}"#), .bad("no numeric \"latency_ms\" or \"latency_ns\""))
        XCTAssertEqual(p.parse(#"{"time": 3, "latency_ms": -1}"#), .bad("latency out of range"))
        XCTAssertEqual(p.parse(#"{"time": 3, "latency_ms": 1, "model": 7}"#), .bad("\"model\" should be a string"))
        XCTAssertEqual(p.parse(#"{"type":"inference","t":1}"#), .bad("trace line: missing field \"backend\""))
        if case .bad(let problem) = p.parse(#"{"time": 3, "latency_ms": "#) { XCTAssertTrue(problem.hasPrefix("not JSON")) }
        else { XCTFail("a cut-off line is bad") }
    }

    func testAnMLPerfLoadGenTraceBeingWritten() {
        var p = FollowLineParser()
        XCTAssertEqual(p.parse(#"{"traceEvents":["#), .skip)
        XCTAssertEqual(p.parse(#"{"name":"Load Sample","ph":"X","pid":0,"tid":1,"ts":100.0,"dur":5.0},"#), .skip)
        XCTAssertEqual(p.parse(#"{ "name": "Sample", "cat": "default", "ph": "b", "pid": 0, "tid": 0, "ts": 2000000.5, "id": 7, "args": { "issue_start_ns" : 0, "complete_ns" : 4000000, "sut_name" : ""v"" } },"#),
                       .inference(FollowedInference(time: 2.0000005 + 0.004, latencyNs: 4_000_000)))
        XCTAssertEqual(p.parse("],"), .skip)
    }

    func testTheClockKeepsTheAppsSpacingAndReanchorsOnJumps() {
        var c = FollowClock(maxLag: 2)
        XCTAssertEqual(c.sessionTime(app: 1000, now: 5), 5)
        XCTAssertEqual(c.sessionTime(app: 1000.25, now: 5.3), 5.25, accuracy: 1e-9)
        // The app's clock jumps ahead of the session: anchored again at the arrival.
        XCTAssertEqual(c.sessionTime(app: 5000, now: 5.4), 5.4, accuracy: 1e-9)
        // Lines far behind (written long before they were read) too.
        XCTAssertEqual(c.sessionTime(app: 4990, now: 6), 6, accuracy: 1e-9)
        // Never backwards.
        XCTAssertEqual(c.sessionTime(app: 4989.9, now: 6.05), 6, accuracy: 1e-9)
    }

    func testAGrowingFileIsFollowedThroughTruncationAndRotation() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetrace-follow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("app.log").path
        // Lines before following starts are history, not live: tail starts at the end.
        try line(0).write(toFile: path, atomically: false, encoding: .utf8)
        let source = FollowSource(path: path, clock: { 0 })
        try source.start()
        defer { source.stop() }
        var latencies: [UInt64] = []
        func collect(until n: Int) throws {
            let deadline = Date().addingTimeInterval(10)
            while latencies.count < n && Date() < deadline {
                for case .inference(let e) in source.drain() { latencies.append(e.latencyNs) }
                usleep(20_000)
            }
        }
        try append(path, line(1) + line(2))
        try collect(until: 2)
        // Truncated in place (copytruncate-style rotation): read again from the start.
        try "".write(toFile: path, atomically: false, encoding: .utf8)
        usleep(200_000)
        try append(path, line(3))
        try collect(until: 3)
        // Renamed away and a new file made under the name.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try (line(4) + "garbage\n").write(toFile: path, atomically: false, encoding: .utf8)
        try collect(until: 4)
        try append(path, line(5))
        try collect(until: 5)
        XCTAssertEqual(latencies, [1, 2, 3, 4, 5].map { UInt64($0) * 1_000_000 })
        XCTAssertEqual(source.status.badLines, 1)
        XCTAssertEqual(source.status.lastProblem, "\(path):2: not a JSON object")
    }

    /// `record -o trace.jsonl.gz` being written is followed too: what the file held when
    /// following began is history, each later flush is decoded as it lands, and a FIFO fed
    /// gzip bytes is recognised by its first byte.
    func testAGrowingGzipTraceAndAGzipFIFOAreFollowed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetrace-followgz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("live.jsonl.gz").path
        let header = TraceHeader(device: DeviceInfo(cpuModel: "cpu", cores: 1, os: "Linux", kernel: "6", hasThermalSensors: false),
                                 source: .recorded, model: "m", startTime: "2026-01-01T00:00:00Z")
        func inference(_ i: Int) -> Event { .inference(InferenceEvent(t: Double(i), backend: "int8", model: "m", latencyNs: UInt64(i) * 1000)) }
        let writer = try TraceWriter(path: path, header: header)
        for i in 1...3 { try writer.write(inference(i)) }
        try writer.flush()
        let source = FollowSource(path: path, clock: { 0 })
        try source.start()
        var latencies: [UInt64] = []
        func collect(_ source: FollowSource, until n: Int) {
            let deadline = Date().addingTimeInterval(10)
            while latencies.count < n && Date() < deadline {
                for case .inference(let e) in source.drain() { latencies.append(e.latencyNs) }
                usleep(20_000)
            }
        }
        for i in 4...6 { try writer.write(inference(i)) }
        try writer.flush()
        collect(source, until: 3)
        try writer.write(inference(7))
        try writer.close()
        collect(source, until: 4)
        source.stop()
        XCTAssertEqual(latencies, [4, 5, 6, 7].map { UInt64($0) * 1000 }, "history skipped, every flush decoded")
        XCTAssertEqual(source.status.badLines, 0)
        XCTAssertNil(source.status.lastProblem)
        XCTAssertEqual(source.status.inferences, 4)

        // The same compressed bytes through a FIFO.
        let gz = try Data(contentsOf: URL(fileURLWithPath: path))
        let fifo = dir.appendingPathComponent("app.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let piped = FollowSource(path: fifo, clock: { 0 })
        try piped.start()
        defer { piped.stop() }
        let w = open(fifo, O_WRONLY)
        XCTAssertGreaterThanOrEqual(w, 0)
        gz.withUnsafeBytes { _ = write(w, $0.baseAddress, $0.count) }
        close(w)
        latencies = []
        collect(piped, until: 7)
        XCTAssertEqual(latencies, (1...7).map { UInt64($0) * 1000 })
    }

    /// Corrupt compressed data is reported with the file's name, never fatal.
    func testCorruptGzipIsReported() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetrace-followbad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.jsonl.gz").path
        FileManager.default.createFile(atPath: path, contents: Data())
        let source = FollowSource(path: path, clock: { 0 })
        try source.start()
        defer { source.stop() }
        try Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03] + [UInt8](repeating: 0xFF, count: 64)).write(to: URL(fileURLWithPath: path))
        let deadline = Date().addingTimeInterval(10)
        while source.status.lastProblem == nil && Date() < deadline { usleep(20_000) }
        let problem = try XCTUnwrap(source.status.lastProblem)
        XCTAssertTrue(problem.hasPrefix("\(path): compressed data is corrupt: "), problem)
        XCTAssertEqual(source.status.inferences, 0)
    }

    private func line(_ i: Int) -> String { "{\"time\": \(i), \"latency_ms\": \(i)}\n" }

    private func append(_ path: String, _ text: String) throws {
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        try h.close()
    }
}
