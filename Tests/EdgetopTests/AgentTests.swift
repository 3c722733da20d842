import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// `edgetop agent` and `--metrics` without a Prometheus server: what a scrape sees, how the
/// agent stops, and what bad options and busy ports do.
final class AgentTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-agent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// The port from "serving metrics on http://127.0.0.1:PORT/metrics".
    private func port(_ line: String) throws -> Int {
        try XCTUnwrap(line.split(separator: ":").last.flatMap { Int($0.split(separator: "/").first ?? "") }, line)
    }

    private func scrape(_ port: Int) throws -> String {
        let url = URL(string: "http://127.0.0.1:\(port)/metrics")!
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var body = ""
        URLSession.shared.dataTask(with: URLRequest(url: url, timeoutInterval: 10)) { data, _, _ in
            body = String(decoding: data ?? Data(), as: UTF8.self); done.signal()
        }.resume()
        XCTAssertEqual(done.wait(timeout: .now() + 15), .success)
        return body
    }

    func testAnAgentFollowingAFileServesTheAppsInferencesAndStopsOnSIGTERM() throws {
        let dir = try temporaryDirectory()
        let log = dir.appendingPathComponent("app.log").path
        FileManager.default.createFile(atPath: log, contents: nil)
        let trace = dir.appendingPathComponent("agent.jsonl").path
        let agent = try Spawned(try edgetopBinary(), ["agent", "--follow", log, "--metrics", "127.0.0.1:0", "--device", "cam-rig",
                                                     "--record", trace, "--sample-interval", "0.2"])
        defer { if agent.process.isRunning { agent.process.terminate() } }
        let p = try port(try agent.waitForStderr(containing: "serving metrics on http://127.0.0.1:", timeout: 60))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: log))
        for i in 0 ..< 25 { handle.write(Data("{\"time\": \(Double(i) / 100), \"latency_ms\": 4, \"model\": \"det\", \"backend\": \"npu\"}\n".utf8)) }
        handle.write(Data("{\"time\": 1}\n".utf8))
        try handle.close()
        let labels = #"device="cam-rig",model="det",backend="npu",threads="unknown",origin="live""#
        var body = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            body = try scrape(p)
            if body.contains("edgetop_inferences_total{\(labels)} 25") && body.contains(#"edgetop_follow_bad_lines_total{device="cam-rig",origin="live"} 1"#)
                && body.contains("edgetop_core_busy_ratio{") { break }
            usleep(200_000)
        }
        XCTAssertTrue(body.contains("edgetop_inferences_total{\(labels)} 25"), body)
        XCTAssertTrue(body.contains(#"edgetop_follow_bad_lines_total{device="cam-rig",origin="live"} 1"#), body)
        XCTAssertTrue(body.contains("edgetop_inference_latency_seconds_bucket{\(labels),le=\"0.004\"} 25"), body)
        XCTAssertTrue(body.contains("edgetop_core_busy_ratio{"), "this machine's samplers run beside the followed app")

        agent.process.terminate()
        agent.process.waitUntilExit()
        XCTAssertEqual(agent.process.terminationReason, .exit)
        XCTAssertEqual(agent.process.terminationStatus, 0, agent.stderr)
        XCTAssertTrue(agent.stderr.contains("SIGTERM received"), agent.stderr)
        // The trace holds what the scrape counted.
        let stats = try runEdgetop(["stats", trace, "--json"])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertTrue(stats.stdout.contains("\"inference_count\":25"), stats.stdout)
    }

    func testRecordFollowingStdinWritesTheAppsInferencesAndReportsBadLines() throws {
        let trace = try temporaryDirectory().appendingPathComponent("app.jsonl").path
        var lines = (0 ..< 40).map { "{\"time\": \(Double($0) / 20), \"latency_ms\": \($0 % 4 + 1), \"backend\": \"gpu\"}\n" }.joined()
        lines += "{\"time\": 9, \"latency_ms\": \"fast\"}\n"
        let r = try runEdgetop(["record", "--follow", "-", "-o", trace, "--duration", "2", "--sample-interval", "0.2"], stdin: lines)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("edgetop: stdin: ended, 1 bad line (line 41: no numeric \"latency_ms\" or \"latency_ns\"), 40 inferences"), r.stderr)
        let stats = try runEdgetop(["stats", trace, "--json"])
        XCTAssertTrue(stats.stdout.contains("\"inference_count\":40"), stats.stdout)
        XCTAssertTrue(stats.stdout.contains("\"gpu\":{\"count\":40"), stats.stdout)
    }

    func testASilentStdinDoesNotHoldUpSIGTERM() throws {
        let p = Process()
        p.executableURL = try edgetopBinary()
        p.arguments = ["agent", "--follow", "-", "--metrics", "127.0.0.1:0"]
        let input = Pipe()   // held open and never written: the app is alive but quiet
        p.standardInput = input
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(1_500_000)
        p.terminate()
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { usleep(50_000) }
        XCTAssertFalse(p.isRunning, "SIGTERM did not end an agent following a quiet stdin")
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        try input.fileHandleForWriting.close()
    }

    func testBadOptionsAreUsageErrorsAndABusyPortIsAnError() throws {
        for args in [["--metrics", "example.org:80"], ["--metrics", "127.0.0.1:99999"], ["--device", ""], ["--duration", "0"]] {
            let r = try runEdgetop(["agent"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
        }
        XCTAssertEqual(try runEdgetop(["record", "-o", "/tmp/x.jsonl", "--follow", "-", "--schedule", "int8:1"]).status, 2)

        // A port someone else holds: a clear error, exit 1, and no trace left half-made.
        let dir = try temporaryDirectory()
        let first = try Spawned(try edgetopBinary(), ["agent", "--metrics", "127.0.0.1:0", "--model", "mobilenet-v1", "--width", "0.25",
                                                     "--resolution", "128", "--threads", "1", "--target-fps", "5"])
        defer { first.process.terminate(); first.process.waitUntilExit() }
        let busy = try port(try first.waitForStderr(containing: "serving metrics on http://127.0.0.1:", timeout: 60))
        let r = try runEdgetop(["agent", "--metrics", "127.0.0.1:\(busy)", "--model", "mobilenet-v1", "--width", "0.25",
                                "--resolution", "128", "--threads", "1", "--duration", "5"], timeout: 60)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("edgetop: error: --metrics 127.0.0.1:\(busy): cannot listen"), r.stderr)

        let kept = dir.appendingPathComponent("kept.jsonl").path
        try "precious".write(toFile: kept, atomically: true, encoding: .utf8)
        let refused = try runEdgetop(["agent", "--record", kept, "--metrics", "127.0.0.1:0", "--duration", "1"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("already exists; pass --force"), refused.stderr)
        XCTAssertEqual(try String(contentsOfFile: kept, encoding: .utf8), "precious")

        let missing = try runEdgetop(["record", "-o", dir.appendingPathComponent("t.jsonl").path, "--follow", dir.appendingPathComponent("nope").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nope: cannot follow: No such file or directory"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.jsonl").path))
    }
}
