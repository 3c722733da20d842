import EdgeTestSupport
import Foundation
import XCTest

/// `bench`, `record` and the dashboard take the model options from one group: the same
/// mistake gets the same message and exit status from each.
final class SharedOptionsTests: XCTestCase {
    func testTheSameMistakeGetsTheSameMessageEverywhere() throws {
        let dir = try TestFiles.temporaryDirectory(self, prefix: "edgetop-options")
        let mistakes: [([String], String)] = [
            (["--threads", "0"], "--threads must be at least 1 and at most 256 (got 0)"),
            (["--threads", "many"], "--threads must be a whole number (got 'many')"),
            (["--backend", "int4"], "unknown backend 'int4' (known: ref, fp32, int8)"),
            (["--width", "wide"], "--width must be a number (got 'wide')"),
            (["--model", "vgg-16"], "unknown model 'vgg-16'"),
            (["--resolution", "100"], "resolution 100 is not one of 128, 160, 192, 224"),
        ]
        for (args, message) in mistakes {
            let commands = [["bench"] + args, ["record", "-o", dir + "/never.jsonl"] + args, args]
            var firstLines: [String] = []
            for command in commands {
                let r = try runEdgetop(command)
                XCTAssertEqual(r.status, 2, "\(command): \(r.stderr)")
                XCTAssertEqual(r.stdout, "", "\(command)")
                let first = String(r.stderr.split(separator: "\n").first ?? "")
                XCTAssertTrue(first.contains(message), "\(command): expected '\(message)' in \(r.stderr)")
                firstLines.append(first)
            }
            XCTAssertEqual(Set(firstLines).count, 1, "\(args): \(firstLines)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/never.jsonl"))
    }

    func testABadProfileIsReportedTheSameWayByBenchAndRecord() throws {
        let dir = try TestFiles.temporaryDirectory(self, prefix: "edgetop-options")
        let profile = dir + "/broken.profile"
        try "name = x\ncores = four\n".write(toFile: profile, atomically: true, encoding: .utf8)
        let bench = try runEdgetop(["bench", "--emulate", profile, "--runs", "1", "--warmup", "0"])
        let record = try runEdgetop(["record", "-o", dir + "/never.jsonl", "--duration", "1", "--emulate", profile])
        XCTAssertEqual(bench.status, 2, bench.stderr)
        XCTAssertEqual(record.status, 2, record.stderr)
        XCTAssertTrue(bench.stderr.hasPrefix("edgetop: error: \(profile):"), bench.stderr)
        XCTAssertEqual(bench.stderr, record.stderr)
    }
}
