import Foundation
import XCTest
@testable import EdgeTrace

/// Each bad input gives the message a user reads: file, line and problem.
final class TraceReaderErrorTests: XCTestCase {
    private func invalid(_ name: String) -> String { TestPaths.fixture("invalid/" + name) }

    func testLineThatIsNotJSON() {
        let p = invalid("not-json.jsonl")
        XCTAssertEqual(readError(p), "\(p):3: not JSON: unexpected end of line inside an object at column 74")
    }

    func testMissingField() {
        let p = invalid("missing-field.jsonl")
        XCTAssertEqual(readError(p), "\(p):2: missing field \"latency_ns\"")
    }

    func testMistypedField() {
        let p = invalid("mistyped-field.jsonl")
        XCTAssertEqual(readError(p), "\(p):2: field \"latency_ns\" should be an integer, found a string")
    }

    func testNegativeLatency() {
        let p = invalid("negative-latency.jsonl")
        XCTAssertEqual(readError(p), "\(p):3: field \"latency_ns\" should not be negative, found -5")
    }

    func testTimeGoingBackwards() {
        let p = invalid("time-backwards.jsonl")
        XCTAssertEqual(readError(p), "\(p):3: time goes backwards: t=0.25 after t=0.5")
    }

    func testUnknownVersion() {
        let p = invalid("unknown-version.jsonl")
        XCTAssertEqual(readError(p), "\(p):1: header: unknown trace version 9 (this edgetop reads versions 1 to 1)")
    }

    func testHeaderWithoutFormat() {
        let p = invalid("no-format.jsonl")
        XCTAssertEqual(readError(p), "\(p):1: header: not an edgetop trace header: missing field \"format\"")
    }

    func testEmptyFile() {
        let p = invalid("empty.jsonl")
        XCTAssertEqual(readError(p), "\(p): empty file: no header line")
    }

    func testMissingFile() {
        XCTAssertEqual(readError("/nonexistent/trace.jsonl"), "/nonexistent/trace.jsonl: cannot open: No such file or directory")
    }

    func testDirectory() {
        XCTAssertEqual(readError(TestPaths.fixtures), "\(TestPaths.fixtures): cannot read: is a directory")
    }

    func testNestedFieldProblemsNameThePath() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/nested.jsonl"
        let header = String(decoding: TraceFormat.encode(testHeader()), as: UTF8.self)
        try (header + "\n" + #"{"type":"system","t":1,"temperatures":[{"sensor":"a","celsius":1},{"sensor":"b"}]}"# + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(readError(path), "\(path):2: missing field \"temperatures[1].celsius\"")
    }

    func testBinaryGarbageIsAnErrorNotACrash() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/garbage.jsonl"
        var rng = SplitMix64(seed: 7)
        let bytes = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let message = readError(path)
        XCTAssertNotNil(message)
        XCTAssertTrue(message!.hasPrefix("\(path):1: header is not JSON"), message!)
    }

    func testDeeplyNestedJSONIsAnErrorNotAStackOverflow() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/deep.jsonl"
        try (String(repeating: "[", count: 100_000) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(readError(path), "\(path):1: header is not JSON: nested deeper than 64 levels at column 65")
    }

    func testTruncatedLastLineIsAcceptedWithAWarning() throws {
        let p = TestPaths.fixture("truncated-last-line.jsonl")
        let r = try TraceReader(path: p)
        XCTAssertEqual(try readAll(r), [.mark(Mark(t: 0.1, label: "ok"))])
        XCTAssertEqual(r.warnings, ["\(p):3: last line is cut off (no newline at the end, incomplete JSON); ignored it"])
    }

    func testCompleteLastLineWithoutNewlineIsReadWithoutWarning() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/nonl.jsonl"
        let header = String(decoding: TraceFormat.encode(testHeader()), as: UTF8.self)
        try (header + "\n" + #"{"type":"mark","t":1,"label":"end"}"#).write(toFile: path, atomically: true, encoding: .utf8)
        let r = try TraceReader(path: path)
        XCTAssertEqual(try readAll(r), [.mark(Mark(t: 1, label: "end"))])
        XCTAssertEqual(r.warnings, [])
    }

    func testUnknownFieldsAreIgnoredAndUnknownTypesSkippedAndCounted() throws {
        let p = TestPaths.fixture("unknown-fields-and-types.jsonl")
        let r = try TraceReader(path: p)
        XCTAssertEqual(try readAll(r), [
            .inference(InferenceEvent(t: 0.1, backend: "int8", model: "m", latencyNs: 100)),
            .inference(InferenceEvent(t: 0.2, backend: "int8", model: "m", latencyNs: 300)),
        ])
        XCTAssertEqual(r.skippedTypes, ["hologram": 2])
        XCTAssertEqual(r.warnings, ["\(p): skipped 2 events of unknown type \"hologram\" (written by a newer edgetop?)"])
    }
}
