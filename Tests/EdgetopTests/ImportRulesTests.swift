import Foundation
import XCTest

/// `edgetop import` end to end: mixed runs are refused (exit 1) unless --force, and an
/// import with no events is an error that writes nothing.
final class ImportRulesTests: XCTestCase {
    private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../EdgeTraceTests/Fixtures").standardized.path

    private func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.path
    }

    func testMixedRunsAreRefusedUnlessForced() throws {
        let dir = try temporaryDirectory()
        let trace = fixtures + "/loadgen/mlperf_log_trace.json.gz", other = fixtures + "/import/other-run_mlperf_log_summary.txt"
        let r = try runEdgetop(["import", trace, other, "-o", dir + "/x.jsonl"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "edgetop: \(other): max latency (ns) is \"5210044\" but \"4167080\" in \(trace): these logs come from different runs\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
        let forced = try runEdgetop(["import", "--force", trace, other, "-o", dir + "/x.jsonl"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(forced.stderr.hasPrefix("edgetop: warning: merged despite --force: \(other)"), forced.stderr)
        XCTAssertTrue(forced.stdout.hasPrefix("wrote 3000 events"), forced.stdout)
    }

    func testImportWithNoEventsIsAnError() throws {
        let dir = try temporaryDirectory()
        for input in [fixtures + "/loadgen/mlperf_log_summary.txt", fixtures + "/import/header-only_stui.csv"] {
            let r = try runEdgetop(["import", input, "-o", dir + "/x.jsonl"])
            XCTAssertEqual(r.status, 1, input)
            XCTAssertEqual(r.stderr, "edgetop: \(input): no events to import (no inferences, system samples or messages); nothing written\n")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "nothing half-written is left")
        }
    }
}
