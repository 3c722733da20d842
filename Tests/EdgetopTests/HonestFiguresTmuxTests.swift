import EdgeTrace
import Foundation
import XCTest

/// The real dashboard in tmux: marks while recording, the configurations table, the end of
/// a replay, and an imported log said as it is.
final class HonestFiguresTmuxTests: XCTestCase {
    private var tmux: TmuxSession!
    private var dir: String!

    override func setUpWithError() throws {
        tmux = try TmuxSession(width: 120, height: 40)
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-h8-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        tmux?.close()
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    /// A file of the repository's `sample-traces/`.
    private func sampleTrace(_ name: String, file: StaticString = #filePath) -> String {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
            .appendingPathComponent("../../sample-traces/\(name)").standardized.path
    }

    func testKAddsMarksToTheRecordingAndCShowsTheConfigurations() throws {
        let recording = dir + "/marks.jsonl"
        let app = try EdgetopInPane.start(in: tmux, ["--model", "mobilenet-v1", "--width", "0.25", "--resolution", "128",
                                                      "--backend", "int8", "--threads", "1", "--interval", "0.2",
                                                      "--record", recording])
        defer { kill(app.pid, SIGKILL) }
        XCTAssertNotNil(tmux.waitFor(timeout: 30) { $0.contains("LIVE") && $0.contains("Latency int8") },
                        "no live screen; screen:\n\(tmux.capture())")
        try tmux.keys("k")
        XCTAssertNotNil(tmux.waitFor { $0.contains("mark: mark 1") }, "k made no mark; screen:\n\(tmux.capture())")
        try tmux.keys("k")
        XCTAssertNotNil(tmux.waitFor { $0.contains("mark: mark 2") }, "the second mark is not numbered; screen:\n\(tmux.capture())")
        try tmux.keys("c")
        XCTAssertNotNil(tmux.waitFor { $0.contains("Configurations") && $0.contains("mobilenet-v1-0.25-128 int8 1thr") },
                        "c showed no configurations table; screen:\n\(tmux.capture())")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit(timeout: 30), "live edgetop did not quit")
        let reader = try TraceReader(path: recording)
        var marks: [String] = []
        while let e = try reader.next() { if case .mark(let m) = e { marks.append(m.label) } }
        XCTAssertEqual(marks, ["mark 1", "mark 2"])
    }

    func testLivePowerFromAnHwmonMeterGetsAPanel() throws {
        let root = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
            .appendingPathComponent("../EdgeTelemetryTests/Fixtures/laptop-k10temp").standardized.path
        let app = try EdgetopInPane.start(in: tmux, ["--model", "mobilenet-v1", "--width", "0.25", "--resolution", "128",
                                                      "--threads", "1", "--interval", "0.2", "--sysroot", root])
        defer { kill(app.pid, SIGKILL) }
        // The fixture's amdgpu meter reads 35.125 W on average.
        XCTAssertNotNil(tmux.waitFor(timeout: 30) { $0.contains("LIVE") && $0.contains("amdgpu PPT") && $0.contains("35.1 W") },
                        "no live power panel; screen:\n\(tmux.capture())")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit(timeout: 30))
    }

    func testAnImportedPowerLogReplaysToItsEnd() throws {
        let app = try EdgetopInPane.start(in: tmux, ["--replay", sampleTrace("jetson-agx-orin-maxq-resnet50-singlestream.jsonl"),
                                                      "--interval", "0.2"])
        defer { kill(app.pid, SIGKILL) }
        XCTAssertNotNil(tmux.waitFor { $0.contains("REPLAY") && $0.contains("IMPORTED") },
                        "the header does not say IMPORTED; screen:\n\(tmux.capture())")
        let screen = tmux.waitFor { $0.contains("Power") && $0.contains("wall (power") && $0.contains(" W") }
        XCTAssertNotNil(screen, "no power panel; screen:\n\(tmux.capture())")
        XCTAssertTrue(screen?.contains("not recorded") ?? false, "the temperatures the log lacks are not 'not recorded'")
        XCTAssertFalse(screen?.contains("no sensor") ?? true)
        XCTAssertTrue(screen?.contains("per-inference latency not recorded") ?? false, "the log's missing latencies not said")
        XCTAssertFalse(screen?.contains("end of trace") ?? true, "the end announced at the start")
        try tmux.keys("End")
        XCTAssertNotNil(tmux.waitFor { $0.contains("end of trace") }, "End did not say the end; screen:\n\(tmux.capture())")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit())
    }
}
