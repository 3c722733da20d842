import Foundation
import XCTest
@testable import EdgeTrace

/// The inputs that once trapped edgetop or let it write what it could not read back, kept
/// as regression inputs: each must now give `FILE:LINE: problem`. Inputs the fuzz targets
/// found (Fixtures/regressions/fuzz) must open or fail with a message, never crash.
final class HardeningTests: XCTestCase {
    private func regression(_ name: String) -> String { TestPaths.fixture("regressions/" + name) }

    /// Reads `path` as `stats` does, through the summary text and JSON; the error message if any.
    private func statsError(_ path: String) -> String? {
        do {
            let source = try SessionFile.open(path)
            var b = SummaryBuilder()
            while let e = try source.next() { b.add(e) }
            let s = b.finish(file: path, header: source.header, warnings: source.warnings)
            _ = s.text(); _ = s.json()
            return nil
        } catch let e as TraceError {
            return e.description
        } catch {
            return "unexpected error \(error)"
        }
    }

    func testOnceTrappingInputsGiveFileLineAndProblem() {
        let expected: [(String, Int, String)] = [
            ("huge-load-share.jsonl", 2, "field \"load[0].user\" is out of range: 1e+17"),
            ("huge-frequency.jsonl", 2, "field \"frequency[0].cur_mhz\" is out of range"),
            ("huge-time.jsonl", 2, "field \"t\" is out of range"),
            ("huge-reported-percentile.jsonl", 1, "field \"reported.percentiles[0].percent\" is out of range"),
            ("stui-huge-frequency.csv", 3, "column \"Frequency:Core 0\": 1e+19 is out of range"),
            ("summary-nan-percentile.txt", 7, "\"nan percentile latency (ns)\": \"nan\" is not a percentile"),
            ("summary-huge-percentile.txt", 6, "\"1e300\" is not a percentile"),
            ("summary-latency-above-int64.txt", 6, "\"Max latency (ns)\": \"18446744073709551615\" is not a latency in ns"),
            ("system-core-count-overflow.json", 3, "CPU_Type_1 gives 9223372036854775807 cores"),
            ("system-not-json-on-line-4.json", 4, "not JSON"),
            ("power-huge-watts.txt", 1, "Watts 1e+300 is out of range"),
            ("huge-process-cpu.jsonl", 2, "field \"processes[0].cpu\" is out of range: 1e+300"),
        ]
        for (name, line, problem) in expected {
            let path = regression(name)
            let message = statsError(path)
            XCTAssertNotNil(message, name)
            XCTAssertTrue(message?.hasPrefix("\(path):\(line): ") == true, "\(name): \(message ?? "no error")")
            XCTAssertTrue(message?.contains(problem) == true, "\(name): \(message ?? "no error")")
        }
    }

    func testReportFormattingNeverTrapsOnExtremeNumbers() {
        // The five trap sites, called with what a file could once put there.
        XCTAssertEqual(percentileName(0.999), "p99.9")
        XCTAssertEqual(percentileName(.nan), "pnan")
        XCTAssertTrue(percentileName(1e300).hasPrefix("p1e+"))
        XCTAssertEqual(String(format1: .infinity), "inf")
        XCTAssertEqual(fixed(9.3e18, 0), "9.3e+18")
        let header = TraceHeader(device: DeviceInfo(cpuModel: "x", cores: 1, os: "o", kernel: "k", hasThermalSensors: false),
                                 source: .recorded, startTime: "s")
        var b = SummaryBuilder()
        b.add(.system(SystemSample(t: 0, load: [CoreLoad(user: 1e17)], frequency: [CoreFrequency(curMHz: 9.3e18)])))
        b.add(.system(SystemSample(t: 1, load: [CoreLoad(user: 1e17)], frequency: [CoreFrequency(curMHz: 9.3e18)])))
        let text = b.finish(file: "f", header: header).text()
        XCTAssertTrue(text.contains("cpu0 1e+19%"), text)
        XCTAssertTrue(text.contains("cpu0 9.3e+18"), text)
    }

    func testImportedFigureOutOfRangeIsNotWrittenToATrace() throws {
        // LoadGen's summary once went into the trace as-is: a max latency above Int64.max
        // and a NaN percentile (written as null) made a trace `stats` then refused.
        XCTAssertThrowsError(try Importer.session(paths: [regression("summary-latency-above-int64.txt")]))
        XCTAssertThrowsError(try Importer.session(paths: [regression("summary-nan-percentile.txt")]))
        // A real summary still imports, its "90th percentile" headline line skipped.
        let log = try Importer.load(path: try TestPaths.realdata(phoneSummary))
        XCTAssertEqual(log.reported?.percentiles.map(\.percent), [50, 90, 95, 97, 99, 99.9])
    }

    func testFuzzFoundInputsOpenOrFailWithAMessageAndRoundTrip() throws {
        // The fuzz targets' invariant, on every input they once broke: what opens writes
        // to a trace that reads back the same.
        let dir = TestPaths.fixture("regressions/fuzz")
        let scratch = try TestPaths.temporaryDirectory(self)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            if let message = statsError(dir + "/" + name) {
                XCTAssertFalse(message.hasPrefix("unexpected"), "\(name): \(message)")
                XCTAssertFalse(message.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, name)
                continue
            }
            let source = try SessionFile.open(dir + "/" + name)
            let events = try readAll(source)
            let copy = scratch + "/" + name + ".jsonl"
            let w = try TraceWriter(path: copy, header: source.header)
            for e in events { try w.write(e) }
            try w.close()
            let back = try TraceReader(path: copy)
            XCTAssertEqual(back.header, source.header, name)
            XCTAssertEqual(try readAll(back), events, name)
        }
    }

    func testBidiOverridesLineSeparatorsAndC1ControlsAreRemoved() {
        XCTAssertEqual(sanitize("evil\u{202E}txt.exe"), "eviltxt.exe")
        XCTAssertEqual(sanitize("a\u{2066}b\u{2069}c\u{202A}d\u{202C}"), "abcd")
        XCTAssertEqual(sanitize("one\u{2028}two\u{2029}three"), "onetwothree")
        XCTAssertEqual(sanitize("x\u{85}y\u{9B}31mz"), "xyz")
        XCTAssertEqual(sanitize("naïve café ✓"), "naïve café ✓")
        XCTAssertEqual(sanitizeLines("a\u{1B}]52;c;AAAA\u{07}b\nc\u{202E}d\n"), "ab\ncd\n")
    }

    func testImportAttributionCarriesACleanFileName() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let evil = dir + "/run\u{1B}]52;c;ZXZpbA==\u{07}\u{202E}.csv"
        try FileManager.default.copyItem(atPath: TestPaths.fixture("stui/stui_log.csv"), toPath: evil)
        let source = try Importer.session(paths: [evil])
        let attribution = try XCTUnwrap(source.header.attribution)
        XCTAssertEqual(attribution, "Imported by edgetop from s-tui CSV log: run.csv")
    }
}

/// The writer's failures say why, and a killed writer's file reads back.
final class WriterFailureTests: XCTestCase {
    func testGzipWriterOnAFullDiskGivesTheReason() throws {
        // /dev/full fails every write with ENOSPC; a .gz name beside it makes the writer compress.
        let dir = try TestPaths.temporaryDirectory(self)
        let link = dir + "/full.jsonl.gz"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/full")
        let header = TraceHeader(device: DeviceInfo(cpuModel: "x", cores: 1, os: "o", kernel: "k", hasThermalSensors: false),
                                 source: .recorded, startTime: "s")
        XCTAssertThrowsError(try TraceWriter(path: link, header: header)) { error in
            XCTAssertEqual((error as? TraceError)?.problem, "cannot write compressed data: No space left on device")
        }
    }

    func testWriterNeverHoldsMoreThanHalfASecondOfEvents() throws {
        // The bound a SIGKILLed recording relies on, checked on the writer alone: after each
        // write, every event older than 0.5 s of session time is already in the file.
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/t.jsonl"
        let header = TraceHeader(device: DeviceInfo(cpuModel: "x", cores: 1, os: "o", kernel: "k", hasThermalSensors: false),
                                 source: .recorded, startTime: "s")
        let w = try TraceWriter(path: path, header: header)
        for i in 1...300 {
            let t = Double(i) * 0.01
            try w.write(.inference(InferenceEvent(t: t, backend: "b", model: "m", latencyNs: 1)))
            let onDisk = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count - 1
            let due = (1...i).filter { Double($0) * 0.01 <= t - 0.5 }.count
            XCTAssertGreaterThanOrEqual(onDisk, due, "at t = \(t)")
        }
        try w.close()
    }
}

/// What an import or a replay holds is bounded, and the error names the limit hit.
final class InputLimitTests: XCTestCase {
    private let header = TraceHeader(device: DeviceInfo(cpuModel: "x", cores: 1, os: "o", kernel: "k", hasThermalSensors: false),
                                     source: .recorded, startTime: "s")

    func testDecompressedTextBeyondTheLimitStopsWithAMessage() throws {
        // A gzip file that inflates a hundredfold, read with a 1 MiB limit: the reader stops
        // at the limit instead of inflating the rest.
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/bomb.jsonl.gz"
        let w = try TraceWriter(path: path, header: header)
        for i in 0..<40_000 { try w.write(.mark(Mark(t: Double(i / 1000), label: String(repeating: "a", count: 40)))) }
        try w.close()
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertLessThan(size, 200_000)
        let reader = try LineReader(path: path)
        reader.byteLimit = 1 << 20
        XCTAssertThrowsError(try { while try reader.withNextLine({ _, _ in 0 }) != nil {} }()) { error in
            let e = error as? TraceError
            XCTAssertEqual(e?.problem, "more than 1 MiB of text after decompression: edgetop holds an imported log in memory and stops at this limit")
            XCTAssertNotNil(e?.line)
        }
        XCTAssertLessThanOrEqual(reader.bytesRead, (1 << 20) + 2 * (1 << 18))   // at most one buffer past it
        // Importers set the limit; an edgetop trace streamed by `stats` has none.
        XCTAssertEqual(InputLimits.maxImportedBytes, 64 << 20)
        XCTAssertEqual(try readAll(TraceReader(path: path)).count, 40_000)
    }

    func testHeldEventLimitNamesItself() {
        XCTAssertNoThrow(try InputLimits.checkHeld(InputLimits.maxHeldEvents, file: "f", line: 3, holder: "import"))
        XCTAssertThrowsError(try InputLimits.checkHeld(InputLimits.maxHeldEvents + 1, file: "f", line: 3, holder: "import")) {
            XCTAssertEqual("\($0)", "f:3: more than 2000000 events: import holds them all in memory and stops at this limit")
        }
    }

    func testSmallPlainFilesGetSmallBuffersAndStillReadLongLines() throws {
        // A small file no longer costs a 512 KiB buffer, and a line longer than the first
        // buffer still reads whole.
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/small.txt"
        let long = String(repeating: "x", count: 100_000)
        try "a\n\(long)\nb".write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try LineReader(path: path)
        var lines: [String] = []
        while let l = try reader.withNextLine({ b, _ in String(decoding: b, as: UTF8.self) }) { lines.append(l) }
        XCTAssertEqual(lines, ["a", long, "b"])
    }
}
