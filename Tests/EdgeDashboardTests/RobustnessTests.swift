import XCTest
import EdgeTrace
@testable import EdgeDashboard
@testable import EdgeSession
import EdgeTestSupport

/// Values no real device reports must neither crash the fold nor the drawing.
final class RobustnessTests: XCTestCase {
    func testAbsurdValuesFoldAndRender() {
        let weird: [Double] = [.nan, .infinity, -.infinity, 1e300, -1e300, -5, 0, 1e-300]
        var events: [Event] = []
        for (i, w) in weird.enumerated() {
            let t = Double(i)
            events.append(.config(ConfigChange(t: w, backend: "b\(i % 3)", threads: i - 4, targetFPS: w)))
            events.append(.inference(InferenceEvent(t: w, backend: "b\(i % 3)", model: "", latencyNs: i % 2 == 0 ? .max : 0)))
            events.append(.inference(InferenceEvent(t: t, backend: "b\(i % 3)", model: "m", latencyNs: UInt64(i) * 1_000_000)))
            events.append(.system(SystemSample(t: w, load: [CoreLoad(user: w, system: w), CoreLoad(user: -w, iowait: w)],
                                               frequency: [CoreFrequency(curMHz: w, maxMHz: w)],
                                               temperatures: [Temperature(sensor: "s", celsius: w, passiveC: w, criticalC: w),
                                                              Temperature(sensor: "", celsius: 40)],
                                               throttling: [String(repeating: "x", count: 500)])))
            events.append(.quality(QualityReport(t: t, backend: "b\(i % 3)", model: "m", cosine: w, top1Agree: i % 2 == 0)))
            events.append(.mark(Mark(t: w, label: "\u{1b}]0;title\u{7}")))
        }
        var s = DashboardState(header: Fixture.header(cores: 0), mode: .replay(position: .nan, length: .infinity, speed: .nan, paused: true))
        s.ingest(events)
        XCTAssertTrue(s.stats.now.isFinite)
        for caps in [RenderCapabilities.full, .minimal] {
            s.capabilities = caps
            for (w, h) in [(64, 20), (80, 24), (120, 40), (200, 60), (10, 3), (1, 1), (0, 0)] {
                let buf = DashboardScreen.render(s, width: w, height: h)
                XCTAssertEqual(buf.lines().count, max(0, h))
            }
            s.handle(.char("b"))
            s.handle(.char("?"))
            _ = DashboardScreen.render(s, width: 80, height: 24)
        }
    }

    func testTimeGoingBackwardsKeepsTheClock() {
        var s = SessionStats()
        s.apply(inf(10, ms: 5))
        s.apply(inf(3, ms: 5)) // late or reordered: counted, the clock stays at 10
        XCTAssertEqual(s.now, 10)
        XCTAssertEqual(s.inferenceCount, 2)
        s.apply(inf(.nan, ms: 5))
        XCTAssertEqual(s.now, 10)
        XCTAssertEqual(s.inferenceCount, 3)
    }
}

final class StatusLineTests: XCTestCase {
    func testRecentMarkShowsThenFades() {
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.ingest([.mark(Mark(t: 1, label: "fan on\u{1b}[1m")), .system(SystemSample(t: 5))])
        XCTAssertTrue(DashboardScreen.render(s, width: 100, height: 30).lines().last!.contains("mark: fan on?[1m"))
        s.ingest([.system(SystemSample(t: 12))])
        XCTAssertFalse(DashboardScreen.render(s, width: 100, height: 30).lines().last!.contains("mark:"))
    }
}
