import XCTest
import EdgeTrace
@testable import EdgeSession

/// An inference of a named model, backend and thread count.
private func ran(_ t: Double, _ model: String, _ backend: String, threads: Int = 2, ms: Double) -> Event {
    .inference(InferenceEvent(t: t, backend: backend, model: model, latencyNs: UInt64(ms * 1e6), threads: threads))
}

private func config(_ t: Double, backend: String? = nil, model: String? = nil, threads: Int? = nil,
                    target: Double? = nil, paused: Bool? = nil) -> Event {
    .config(ConfigChange(t: t, backend: backend, model: model, threads: threads, targetFPS: target, paused: paused))
}

/// Statistics per (model, backend, threads): never pooled, continued on return, and the
/// figures a camera-paced loop is judged by.
final class ConfigurationStatsTests: XCTestCase {
    func testEachConfigurationKeepsItsOwnLatenciesAndASwitchBackContinuesIt() {
        var s = SessionStats()
        s.apply(config(0, backend: "int8", model: "m-224", threads: 2))
        for k in 1...10 { s.apply(ran(Double(k) * 0.1, "m-224", "int8", ms: 10)) }
        s.apply(config(1.05, model: "m-128"))
        for k in 1...10 { s.apply(ran(1.05 + Double(k) * 0.1, "m-128", "int8", ms: 3)) }
        XCTAssertEqual(s.current?.key, ConfigurationKey(model: "m-128", backend: "int8", threads: 2))
        XCTAssertEqual(s.current?.frames, 10)
        assertClose(s.current!.latency.session.summary.p50, 3e6)
        // The per-backend figures pool both models; the configuration's never do.
        XCTAssertEqual(s.latency["int8"]?.session.count, 20)
        s.apply(config(2.1, threads: 1))
        s.apply(ran(2.2, "m-128", "int8", threads: 1, ms: 6))
        XCTAssertEqual(s.configurations.map(\.key.label), ["m-224 int8 2thr", "m-128 int8 2thr", "m-128 int8 1thr"])
        XCTAssertEqual(s.current?.frames, 1)
        // Back to the first: its figures continue, the others' stay as they were.
        s.apply(config(2.3, model: "m-224", threads: 2))
        s.apply(ran(2.4, "m-224", "int8", ms: 10))
        XCTAssertEqual(s.current?.key.model, "m-224")
        XCTAssertEqual(s.current?.frames, 11)
        XCTAssertEqual(s.configurations[1].frames, 10)
    }

    func testAverageFPSHoldsStillWhilePausedAndCountsOnlyRunningTime() {
        var s = SessionStats()
        s.apply(config(0, backend: "int8", model: "m", threads: 2))
        for k in 1...21 { s.apply(ran(Double(k) * 0.05, "m", "int8", ms: 5)) } // 20 FPS for 1 s
        XCTAssertEqual(s.current!.averageFPS!, 20, accuracy: 1e-9)
        s.apply(config(1.1, paused: true))
        s.apply(.system(SystemSample(t: 30)))
        XCTAssertEqual(s.current!.averageFPS!, 20, accuracy: 1e-9, "the average fell while paused")
        s.apply(config(30.5, paused: false))
        for k in 1...11 { s.apply(ran(31 + Double(k) * 0.1, "m", "int8", ms: 5)) } // 10 FPS for 1 s
        // 30 frames after the two segments' first ones, over 2 s of running.
        XCTAssertEqual(s.current!.averageFPS!, 15, accuracy: 1e-9)
        XCTAssertEqual(s.current!.segments, 2)
        XCTAssertEqual(s.current!.runningSeconds, 2, accuracy: 1e-9)
        // The whole-session meter, by contrast, counts the pause.
        XCTAssertLessThan(s.fps.average, 2)
    }

    func testMissedIsTheShareOfFramesACameraWouldDrop() {
        var s = SessionStats()
        s.apply(config(0, backend: "int8", model: "m", threads: 1, target: 30))
        // Fast enough: one inference per frame slot for 3 s, nothing dropped.
        for k in 1...90 { s.apply(ran(Double(k) / 30, "m", "int8", threads: 1, ms: 20)) }
        XCTAssertEqual(s.current?.missedFrames, 0)
        XCTAssertEqual(s.current!.missedShare!, 0, accuracy: 1e-12)
        // Too slow: 50 ms inferences take every other slot of a 30 FPS camera for 2 s.
        s.apply(config(3.01, backend: "fp32"))
        for k in 1...30 { s.apply(ran(3.01 + Double(k) / 15, "m", "fp32", threads: 1, ms: 50)) }
        let slow = s.current!
        XCTAssertEqual(slow.key.backend, "fp32")
        // Frames due: the first, then 30 × 29/15 s = 58 more; 30 run, 29 dropped of 59.
        XCTAssertEqual(slow.missedFrames, 29)
        XCTAssertEqual(slow.missedShare!, 29.0 / 59, accuracy: 1e-9)
        // The int8 configuration's figures are its own.
        XCTAssertEqual(s.configurations[0].missedFrames, 0)
    }

    func testNoTargetNoMissedFigure() {
        var s = SessionStats()
        for k in 1...10 { s.apply(ran(Double(k) * 0.1, "m", "int8", ms: 80)) }
        XCTAssertNil(s.current?.missedFrames)
        XCTAssertNil(s.current?.missedShare)
    }

    func testQualityOfTheModelInUseOnly() {
        var s = SessionStats()
        s.apply(config(0, backend: "int8", model: "a", threads: 1))
        s.apply(.quality(QualityReport(t: 0.1, backend: "int8", model: "a", cosine: 0.99, top1Agree: true)))
        s.apply(.quality(QualityReport(t: 0.2, backend: "fp32", model: "a", cosine: 1, top1Agree: true)))
        s.apply(config(1, model: "b"))
        XCTAssertEqual(s.currentQuality, [])
        s.apply(.quality(QualityReport(t: 1.1, backend: "int8", model: "b", cosine: 0.5, top1Agree: false)))
        XCTAssertEqual(s.currentQuality.map(\.model), ["b"])
        XCTAssertEqual(s.currentQuality.first?.cosine, 0.5)
        // Back to model a: its own report, not b's newer one for the same backend.
        s.apply(config(2, model: "a"))
        XCTAssertEqual(s.currentQuality.map(\.cosine), [0.99, 1])
    }

    func testRecentSpanSaysHowRecentTheWindowIs() {
        var b = BackendLatency(backend: "int8", seriesCapacity: 10)
        XCTAssertEqual(b.recentSpan(at: 3), 0)
        b.record(1_000_000, at: 1, deadlineNs: nil)
        XCTAssertEqual(b.recentSpan(at: 3), 2, accuracy: 1e-12)
        b.rotate(to: 6)   // into slot [5, 10): the window covers [1, 6]
        XCTAssertEqual(b.recentSpan(at: 6), 5, accuracy: 1e-12)
        b.rotate(to: 12)  // slot [10, 15): the window is [5, 12]
        XCTAssertEqual(b.recentSpan(at: 12), 7, accuracy: 1e-12)
        b.rotate(to: 31)  // idle for more than a slot: only the running slot [30, 31]
        XCTAssertEqual(b.recentSpan(at: 31), 1, accuracy: 1e-12)
    }

    func testPowerReadingsAreKeptPerSource() {
        var s = SessionStats()
        s.apply(.system(SystemSample(t: 0.5, power: [PowerReading(source: "wall", watts: 12)])))
        s.apply(.system(SystemSample(t: 1.5, power: [PowerReading(source: "wall", watts: 15), PowerReading(source: "gpu", watts: 3)])))
        s.apply(.system(SystemSample(t: 2.5)))
        XCTAssertEqual(s.power.map(\.source), ["wall", "gpu"])
        XCTAssertEqual(s.power[0].latest.watts, 15)
        XCTAssertEqual(s.power[0].maxWatts, 15)
        XCTAssertEqual(Array(s.power[0].series.points), [12, 15])
    }

    func testConfigurationsAreBounded() {
        var s = SessionStats()
        for k in 0..<(SessionStats.maxConfigurations + 5) { s.apply(ran(Double(k), "m\(k)", "int8", ms: 1)) }
        XCTAssertEqual(s.configurations.count, SessionStats.maxConfigurations)
        XCTAssertEqual(s.dropped, 5)
    }
}
