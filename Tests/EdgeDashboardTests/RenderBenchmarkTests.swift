import XCTest
import Dispatch
import EdgeTrace
@testable import EdgeDashboard
@testable import EdgeSession

/// Opt-in figures (EDGETOP_BENCH=1), not a timed test: the cost of one 160×48 frame and of
/// folding one event, each beside a reference measured in the same run so the ratio means
/// something on a shared machine. Build with `-c release` for numbers worth quoting.
final class RenderBenchmarkTests: XCTestCase {
    func time(_ n: Int, _ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<n { body() }
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / Double(n) / 1e3 // µs per run
    }

    func testBenchmarkRenderAndFold() throws {
        guard ProcessInfo.processInfo.environment["EDGETOP_BENCH"] == "1" else { throw XCTSkip("set EDGETOP_BENCH=1") }
        var state = Fixture.state(mode: .replay(position: 42, length: 120, speed: 1, paused: false), cores: 16)
        var buf = Buffer(width: 160, height: 48)
        var previous = Buffer(width: 160, height: 48)
        var sink = 0
        // Reference: what the terminal layer does with every frame anyway (diff two 160×48 buffers).
        let diff = time(200) { sink &+= buf.changes(from: previous).count }
        let render = time(200) { DashboardScreen.render(state, into: &buf) }
        previous = buf
        state.handle(.char("b"))
        let overlay = time(200) { DashboardScreen.render(state, into: &buf) }
        sink &+= buf.changes(from: previous).count
        // Folding: events per second through SessionStats vs copying the same events.
        let events = Fixture.events(cores: 16, seconds: 300)
        var copy: [Event] = []
        let copyUs = time(5) { copy = events.map { $0 } }
        let foldUs = time(5) { sink &+= Int(SessionStats(events: events).inferenceCount) }
        print(String(format: "render 160x48: %.0f µs/frame (overlay %.0f µs); diff of two 160x48 buffers: %.0f µs; ratio %.1f",
                     render, overlay, diff, render / diff))
        print(String(format: "fold: %.2f µs/event over %d events (copying them: %.3f µs/event)",
                     foldUs / Double(events.count), events.count, copyUs / Double(events.count)))
        print(String(format: "at a 0.5 s refresh one frame is %.3f %% of a core", render / 5e3))
        XCTAssertGreaterThan(sink + copy.count, 0)
    }
}
