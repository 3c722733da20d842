import Foundation
import XCTest

/// `edgetop sweep` and the A/A check of `stats A B`, end to end on this machine's real loop.
final class SweepTests: XCTestCase {
    private func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.path
    }

    func testTinySweepWritesOneTracePerRunAndASummary() throws {
        let dir = try temporaryDirectory() + "/out"
        let r = try runEdgetop(["sweep", "-o", dir, "--models", "mobilenet-v1-0.25-128", "--backends", "int8,ref", "--threads", "1",
                                "--repeats", "2", "--run-seconds", "0.6", "--warmup", "0.2", "--seed", "7"], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        XCTAssertEqual(files.count, 5, "\(files)")
        XCTAssertEqual(files.last, "summary.json")
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))) as? [String: Any])
        XCTAssertEqual(summary["format"] as? String, "edgetop-sweep")
        XCTAssertEqual(summary["complete"] as? Bool, true)
        let runs = try XCTUnwrap(summary["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 4)
        // Interleaved: every round runs each configuration once.
        let backends = runs.map { $0["backend"] as? String ?? "" }
        XCTAssertEqual(Set(backends[0..<2]), ["int8", "ref"])
        XCTAssertEqual(Set(backends[2..<4]), ["int8", "ref"])
        for run in runs {
            let file = try XCTUnwrap(run["file"] as? String)
            XCTAssertTrue(files.contains(file), file)
            XCTAssertGreaterThan(run["inferences"] as? Int ?? 0, 0, file)
            // Each run is an ordinary trace that stats reads, with the median the summary states.
            let s = try runEdgetop(["stats", "--json", dir + "/" + file])
            XCTAssertEqual(s.status, 0, s.stderr)
        }
        let configurations = try XCTUnwrap(summary["configurations"] as? [[String: Any]])
        XCTAssertEqual(configurations.map { $0["backend"] as? String }, ["int8", "ref"])
        for c in configurations {
            XCTAssertEqual(c["runs"] as? Int, 2)
            let medians = try XCTUnwrap(c["run_medians_ns"] as? [Int])
            XCTAssertEqual(c["median_of_run_medians_ns"] as? Int, medians.max(), "LoadGen's index rule picks the upper of two")
            XCTAssertNotNil(c["ci95_low_ns"] as? Double)
            let n = try XCTUnwrap(c["inferences"] as? Int)
            XCTAssertEqual(c["p999_ns"] is NSNull, n < 1000, "p99.9 only from 1000 values (n = \(n))")
            XCTAssertEqual(c["p99_ns"] is NSNull, n < 100, "p99 only from 100 values (n = \(n))")
            XCTAssertEqual(c["p999_min_count"] as? Int, n < 1000 ? 1000 : nil, "a null p99.9 says the count it needs")
            XCTAssertEqual(c["p99_min_count"] as? Int, n < 100 ? 100 : nil, "a null p99 says the count it needs")
        }
        let comparisons = try XCTUnwrap(summary["comparisons"] as? [[String: Any]])
        XCTAssertEqual(comparisons.count, 1)
        XCTAssertEqual(comparisons.first?["factor"] as? String, "backend")
        // The reference backend is a plain loop, many times slower than the int8 kernels.
        XCTAssertEqual(comparisons.first?["verdict"] as? String, "b_slower")
        XCTAssertTrue(r.stdout.contains("pairs that differ in one factor"), r.stdout)

        let again = try runEdgetop(["sweep", "-o", dir, "--repeats", "1"])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.stderr, "edgetop: \(dir): already exists and is not an empty folder\n")
    }

    func testEmulatedProfilesAreAFactorOfTheMatrix() throws {
        let dir = try temporaryDirectory() + "/out"
        let r = try runEdgetop(["sweep", "-o", dir, "--backends", "int8", "--emulate", "host,a53-phone-2013", "--repeats", "1",
                                "--run-seconds", "0.5", "--warmup", "0.1"], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))) as? [String: Any])
        let configurations = try XCTUnwrap(summary["configurations"] as? [[String: Any]])
        XCTAssertEqual(configurations.map { $0["profile"] as? String }, [nil, "a53-phone-2013"])
        XCTAssertTrue(r.stdout.contains("@a53-phone-2013: emulated (latencies are the profile's device time"), r.stdout)
        let comparison = try XCTUnwrap((summary["comparisons"] as? [[String: Any]])?.first)
        XCTAssertEqual(comparison["factor"] as? String, "origin")
        // One run each: no run-to-run spread, so no verdict.
        XCTAssertEqual(comparison["verdict"] as? String, "too_few_data")
        let emulatedRun = try XCTUnwrap((summary["runs"] as? [[String: Any]])?.first { $0["profile"] as? String == "a53-phone-2013" })
        let trace = try runEdgetop(["stats", "--json", dir + "/" + (emulatedRun["file"] as? String ?? "")])
        XCTAssertTrue(trace.stdout.contains(#""source":"emulated""#), trace.stdout)
        let bad = try runEdgetop(["sweep", "-o", dir + "2", "--emulate", "no-such-phone"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
    }

    func testSweepUsageErrorsExitTwo() throws {
        let dir = try temporaryDirectory()
        XCTAssertEqual(try runEdgetop(["sweep", "-o", dir + "/a", "--backends", "int8,npu"]).status, 2)
        XCTAssertEqual(try runEdgetop(["sweep", "-o", dir + "/a", "--threads", "0"]).status, 2)
        XCTAssertEqual(try runEdgetop(["sweep", "-o", dir + "/a", "--repeats", "0"]).status, 2)
        XCTAssertEqual(try runEdgetop(["sweep", "-o", dir + "/a", "--models", "mobilenet-v1,mobilenet-v1"]).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/a"), "nothing is created on a usage error")
    }

    /// Two back-to-back recordings of one configuration on this machine: whatever the
    /// machine's state, the comparison must not call them different.
    func testBackToBackRecordingsOfOneConfigurationShowNoDifference() throws {
        let dir = try temporaryDirectory()
        for name in ["a", "b"] {
            let r = try runEdgetop(["record", "-o", "\(dir)/\(name).jsonl", "--duration", "3", "--model", "mobilenet-v1",
                                    "--width", "0.25", "--resolution", "128", "--threads", "1", "--backend", "int8"], timeout: 120)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let s = try runEdgetop(["stats", dir + "/a.jsonl", dir + "/b.jsonl"])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(s.stdout.contains("verdict: no difference beyond run-to-run noise"), s.stdout)
        XCTAssertTrue(s.stdout.contains("factor under test: none"), s.stdout)
        print(s.stdout)
    }

    func testStatsRefusesTracesThatDifferInMoreThanOneFactor() throws {
        let dir = try temporaryDirectory()
        func write(_ name: String, model: String, backend: String) throws {
            var lines = [#"{"format":"edgetop-trace","version":1,"device":{"cpu_model":"Test","cores":2,"os":"Linux","kernel":"6.8","thermal_sensors":false},"source":"recorded","model":"\#(model)","start_time":"2026-11-26T04:00:00Z"}"#]
            for i in 0..<200 {
                lines.append(#"{"type":"inference","t":\#(Double(i + 1) / 1000),"backend":"\#(backend)","model":"\#(model)","latency_ns":\#(1_000_000 + (i * 7919) % 50_000),"threads":1}"#)
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
        }
        try write("a.jsonl", model: "mobilenet-v1-0.25-128", backend: "int8")
        try write("b.jsonl", model: "mobilenet-v1-0.25-160", backend: "fp32")
        try write("c.jsonl", model: "mobilenet-v1-0.25-128", backend: "fp32")
        let refused = try runEdgetop(["stats", dir + "/a.jsonl", dir + "/b.jsonl"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.hasPrefix("edgetop: stats: A and B differ in 2 factors (resolution \"128\" vs \"160\", backend \"int8\" vs \"fp32\")"), refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        let forced = try runEdgetop(["stats", dir + "/a.jsonl", dir + "/b.jsonl", "--allow-confounded"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(forced.stderr.contains("warning: A and B differ in 2 factors"), forced.stderr)
        let one = try runEdgetop(["stats", dir + "/a.jsonl", dir + "/c.jsonl"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("factor under test: backend (int8 → fp32)"), one.stdout)
        XCTAssertTrue(one.stdout.contains("verdict: no difference beyond run-to-run noise"), one.stdout)
        XCTAssertEqual(try runEdgetop(["stats", dir + "/a.jsonl", dir + "/c.jsonl", "--threshold", "0"]).status, 2)
    }
}
