import Foundation
import XCTest
@testable import EdgeTrace

final class SanitizeTests: XCTestCase {
    func testEscapeSequencesAndControlsAreRemoved() {
        XCTAssertEqual(sanitize("\u{1B}[2Jskin"), "skin")                       // clear screen (CSI)
        XCTAssertEqual(sanitize("\u{1B}[31mred\u{1B}[0m"), "red")              // colours
        XCTAssertEqual(sanitize("a\u{1B}]0;title\u{07}b"), "ab")               // OSC set title, BEL-terminated
        XCTAssertEqual(sanitize("a\u{1B}]8;;http://x\u{1B}\\link"), "alink")   // OSC 8 hyperlink, ST-terminated
        XCTAssertEqual(sanitize("a\u{1B}cb"), "ab")                            // RIS: full reset
        XCTAssertEqual(sanitize("a\u{1B}(0b"), "ab")                           // charset switch (line drawing)
        XCTAssertEqual(sanitize("a\u{9B}2Jb"), "ab")                           // C1 CSI
        XCTAssertEqual(sanitize("a\u{90}q#1\u{9C}b"), "ab")                    // C1 DCS .. ST
        XCTAssertEqual(sanitize("a\u{85}b\u{7F}c\u{00}d\r\ne\u{08}f"), "abcdef") // C1 NEL, DEL, NUL, CR LF, BS
        XCTAssertEqual(sanitize("a\tb"), "a b")
        XCTAssertEqual(sanitize("a\u{1B}"), "a")                               // ESC at the very end
        XCTAssertEqual(sanitize("a\u{1B}[12"), "a")                            // unterminated CSI
    }

    func testPrintableTextIsUnchanged() {
        for s in ["cpu-0-0-usr", "k10temp Tctl", "Température °C", "backend → fp32 ✓", "数据", ""] {
            XCTAssertEqual(sanitize(s), s)
        }
    }

    func testStringsReadFromATraceAreSanitised() throws {
        let p = TestPaths.fixture("control-characters.jsonl")
        let r = try TraceReader(path: p)
        XCTAssertEqual(r.header.device.cpuModel, "evil cpu")
        let events = try readAll(r)
        guard case .system(let s) = events[0], case .mark(let m) = events[1] else { return XCTFail("\(events)") }
        XCTAssertEqual(s.temperatures.first?.sensor, "skin")
        XCTAssertEqual(m.label, "red  done")
    }

    func testRawControlBytesInAFileNeverSurvive() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/raw.jsonl"
        let header = String(decoding: TraceFormat.encode(testHeader()), as: UTF8.self)
        try (header + "\n{\"type\":\"mark\",\"t\":1,\"label\":\"x\u{1B}[2J\u{1B}[H\u{9B}1;1Hy\"}\n").write(toFile: path, atomically: true, encoding: .utf8)
        let events = try readAll(TraceReader(path: path))
        XCTAssertEqual(events, [.mark(Mark(t: 1, label: "xy"))])
    }

    func testErrorMessagesAreSanitisedToo() {
        let e = TraceError(file: "evil\u{1B}[2J.jsonl", line: 3, problem: "type \"\u{1B}]0;x\u{07}\"")
        XCTAssertEqual(e.description, "evil.jsonl:3: type \"\"")
    }
}
