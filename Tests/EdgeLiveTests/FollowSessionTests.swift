import EdgeDashboard
import EdgeInference
@testable import EdgeLive
import EdgeTelemetry
import EdgeTrace
import Foundation
import XCTest

/// `--follow`: a child process emits the documented line format at a known rate into a
/// FIFO, and the dashboard's own fold of the followed session shows that rate and the
/// percentiles of the latencies it emitted.
final class FollowSessionTests: XCTestCase {
    private let setup = LiveSetup(model: .mobileNetV1(width: 0.25, resolution: 128), backend: .int8, threads: 1, targetFPS: 0,
                                  profile: nil, sysroot: SysRoot(), sampleInterval: 0.2, recordingTo: nil)

    func testAChildEmittingAtAKnownRateFoldsToItsFPSAndPercentiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-follow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("app.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)

        // 40 inferences a second for 3 s, latencies 2, 4, ... 20 ms in turn, one bad line.
        let rate = 40, count = 120
        let latenciesMs = (0 ..< count).map { Double(2 * ($0 % 10 + 1)) }
        let script = """
            import json, sys, time
            out = open(sys.argv[1], "w")
            start = time.monotonic()
            for i in range(\(count)):
                time.sleep(max(0, start + i / \(rate) - time.monotonic()))
                print(json.dumps({"time": time.monotonic(), "latency_ms": 2 * (i % 10 + 1), "model": "detector", "backend": "tflite"}), file=out, flush=True)
                if i == 60: print("not json", file=out, flush=True)
            """
        let session = FollowSession(path: fifo, setup: setup)
        try session.start()
        defer { session.stop() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = ["python3", "-c", script, fifo]
        try child.run()

        var state = DashboardState(header: session.header, mode: session.mode)
        var fpsWhileRunning: [Double] = []
        let deadline = Date().addingTimeInterval(30)
        while child.isRunning && Date() < deadline {
            state.ingest(session.poll())
            // Once a full second of lines has passed, the window holds one second of frames.
            if state.stats.inferenceCount >= 60 && state.stats.inferenceCount <= 110 { fpsWhileRunning.append(state.stats.fps.current) }
            usleep(50_000)
        }
        XCTAssertFalse(child.isRunning, "the emitter did not finish in time")
        XCTAssertEqual(child.terminationStatus, 0)
        usleep(300_000)
        session.stop()
        state.ingest(session.poll())

        XCTAssertEqual(state.stats.inferenceCount, UInt64(count))
        XCTAssertEqual(session.followStatus.badLines, 1)
        XCTAssertTrue(session.statusLine?.contains("app.fifo: 1 bad line (line 62: not a JSON object), 120 inferences") ?? false, session.statusLine ?? "")
        XCTAssertFalse(fpsWhileRunning.isEmpty)
        let median = fpsWhileRunning.sorted()[fpsWhileRunning.count / 2]
        XCTAssertEqual(median, Double(rate), accuracy: 4, "FPS the dashboard showed while the app ran: \(fpsWhileRunning)")

        let histogram = try XCTUnwrap(state.stats.latency["tflite"]).session
        let sorted = latenciesMs.map { UInt64($0 * 1e6) }.sorted()
        // The dashboard's rule: the first value whose cumulative count reaches ⌈p·n⌉.
        for (p, shown) in [(0.5, histogram.summary.p50), (0.9, histogram.summary.p90), (0.99, histogram.summary.p99)] {
            let exact = Double(sorted[Int((p * Double(sorted.count)).rounded(.up)) - 1])
            XCTAssertEqual(Double(shown), exact, accuracy: exact * 0.01, "p\(Int(p * 100))")
        }
    }

    func testAMissingSourceIsAnErrorNamingIt() {
        let session = FollowSession(path: "/nonexistent/app.log", setup: setup)
        XCTAssertThrowsError(try session.start()) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/app.log: cannot follow: "), "\(error)")
        }
    }
}
