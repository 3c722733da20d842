import Foundation
import XCTest

/// The dashboard's command line where no terminal is involved: refusals and their messages.
final class DashboardCLITests: XCTestCase {
    func testWithoutATerminalTheDashboardPointsToTheHeadlessCommands() throws {
        for args in [[], ["--replay", "/nonexistent/trace.jsonl"]] {
            let r = try runEdgetop(args, timeout: 30)
            XCTAssertEqual(r.status, 1, "args \(args); stderr: \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("needs a terminal"), r.stderr)
            for command in ["edgetop record", "edgetop stats", "edgetop bench"] {
                XCTAssertTrue(r.stderr.contains(command), "missing \(command) in: \(r.stderr)")
            }
            // Nothing drawn on the pipe: no escape sequences, no partial screen.
            XCTAssertEqual(r.stdout, "")
        }
    }

    func testIntervalBelowTheMinimumIsAUsageError() throws {
        for bad in ["0.05", "0", "-1", "nan"] {
            let r = try runEdgetop(["--interval", bad, "--replay", "x.jsonl"], timeout: 30)
            XCTAssertEqual(r.status, 2, "--interval \(bad): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--interval"), r.stderr)
        }
    }

    /// `--record` keeps an existing file, as `record -o` does, unless `--force` is given.
    func testRecordingOverAnExistingFileNeedsForce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-dash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let kept = dir.appendingPathComponent("kept.jsonl").path
        try "precious\n".write(toFile: kept, atomically: true, encoding: .utf8)
        let r = try runEdgetop(["--record", kept, "--replay", "x.jsonl"], timeout: 30)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("already exists; pass --force"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: kept, encoding: .utf8), "precious\n")
        // With --force the file is no obstacle: the run goes on to its next check (no terminal here).
        let forced = try runEdgetop(["--record", kept, "--force", "--replay", "x.jsonl"], timeout: 30)
        XCTAssertTrue(forced.stderr.contains("needs a terminal"), forced.stderr)
    }

    func testHelpListsTheDashboardOptions() throws {
        let r = try runEdgetop(["dashboard", "--help"], timeout: 30)
        XCTAssertEqual(r.status, 0)
        for option in ["--replay", "--interval", "--theme", "--ascii", "--record"] {
            XCTAssertTrue(r.stdout.contains(option), "missing \(option) in help")
        }
    }
}
