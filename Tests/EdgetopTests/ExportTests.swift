import Foundation
import XCTest

/// `edgetop export` from the command line: the file it writes, and what it does with bad input.
final class ExportTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    private var sampleTrace: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../sample-traces/short.jsonl").standardized.path
    }

    func testExportWritesTraceEventJSONWithOneSlicePerInference() throws {
        let out = try temporaryDirectory().appendingPathComponent("out.json").path
        let r = try runEdgetop(["export", "--format", "chrome", sampleTrace, "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let stats = try runEdgetop(["stats", sampleTrace, "--json"])
        let count = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])?["inference_count"] as? Int)
        XCTAssertEqual(r.stdout, "wrote \(count) inference slices to \(out)\n")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let events = try XCTUnwrap(json["traceEvents"] as? [[String: Any]])
        XCTAssertEqual(events.filter { $0["ph"] as? String == "B" && $0["cat"] as? String == "inference" }.count, count)
        XCTAssertEqual(events.filter { $0["ph"] as? String == "E" && $0["cat"] as? String == "inference" }.count, count)
    }

    func testABadTraceNamesFileAndLineAndLeavesNoOutput() throws {
        let dir = try temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.jsonl").path
        let lines = try String(contentsOfFile: sampleTrace, encoding: .utf8).split(separator: "\n").prefix(3).map(String.init)
        try (lines + ["{\"type\":\"inference\",\"t\":\"soon\"}"]).joined(separator: "\n").appending("\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.json").path
        let r = try runEdgetop(["export", "--format", "chrome", bad, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("edgetop: \(bad):4: "), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".partial"))
    }

    func testAnExistingOutputIsKeptWithoutForceAndUsageErrorsExit2() throws {
        let out = try temporaryDirectory().appendingPathComponent("keep.json").path
        try "precious".write(toFile: out, atomically: true, encoding: .utf8)
        let r = try runEdgetop(["export", "--format", "chrome", sampleTrace, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "precious")
        XCTAssertEqual(try runEdgetop(["export", "--format", "svg", sampleTrace, "-o", out + "2"]).status, 2)
        XCTAssertEqual(try runEdgetop(["export", "--format", "chrome", sampleTrace, "-o", sampleTrace]).status, 2)
    }
}
