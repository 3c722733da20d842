import XCTest
import EdgeTrace
@testable import EdgeDashboard

final class KeyMapTests: XCTestCase {
    func testLiveKeys() {
        let cases: [(Key, DashboardAction)] = [
            (.char("q"), .quit), (.ctrlC, .quit), (.char("?"), .toggleHelp), (.char("h"), .toggleHelp),
            (.char("t"), .nextTheme), (.char("r"), .resetStatistics),
            (.char("b"), .source(.cycleBackend)), (.tab, .source(.cycleBackend)),
            (.char("1"), .source(.selectBackend(0))), (.char("2"), .source(.selectBackend(1))), (.char("3"), .source(.selectBackend(2))),
            (.char("m"), .source(.cycleModel)), (.char("+"), .source(.threads(delta: 1))), (.char("-"), .source(.threads(delta: -1))),
            (.char("p"), .source(.togglePause)), (.char(" "), .source(.togglePause)),
            // Replay-only keys do nothing live.
            (.left, .none), (.right, .none), (.char("["), .none), (.char("]"), .none), (.home, .none), (.end, .none),
            (.char("x"), .none), (.escape, .none),
        ]
        for (key, want) in cases { XCTAssertEqual(KeyMap.action(for: key, mode: .live), want, "\(key)") }
    }

    func testReplayKeys() {
        let cases: [(Key, DashboardAction)] = [
            (.char("q"), .quit), (.ctrlC, .quit), (.char("?"), .toggleHelp), (.char("t"), .nextTheme), (.char("r"), .resetStatistics),
            (.char(" "), .source(.togglePause)), (.char("p"), .source(.togglePause)),
            (.left, .source(.seek(seconds: -5))), (.right, .source(.seek(seconds: 5))),
            (.char("["), .source(.speed(faster: false))), (.char("]"), .source(.speed(faster: true))),
            (.home, .source(.seekToStart)), (.end, .source(.seekToEnd)),
            (.char("b"), .cycleLatencyView), (.tab, .cycleLatencyView),
            (.char("1"), .selectLatencyView(0)), (.char("3"), .selectLatencyView(2)),
            // A recording cannot change its model or threads.
            (.char("m"), .none), (.char("+"), .none), (.char("-"), .none),
        ]
        for (key, want) in cases { XCTAssertEqual(KeyMap.action(for: key, mode: .replay), want, "\(key)") }
    }

    func testEscapeClosesHelpOnlyWhenShown() {
        XCTAssertEqual(KeyMap.action(for: .escape, mode: .live, helpShown: true), .toggleHelp)
        XCTAssertEqual(KeyMap.action(for: .escape, mode: .replay, helpShown: false), .none)
    }

    /// Every key that does something in a mode is listed in that mode's help, and nothing else is.
    func testHelpListsEveryBoundKey() {
        var candidates: [Key] = [.tab, .enter, .escape, .backspace, .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .ctrlC]
        candidates += (0x20...0x7E).map { .char(Character(Unicode.Scalar(UInt8($0)))) }
        candidates += (1...12).map { .function($0) }
        for mode in [InputMode.live, .replay] {
            let listed = Set(KeyMap.bindings(for: mode).flatMap(\.keys))
            for key in candidates {
                let bound = KeyMap.action(for: key, mode: mode) != .none
                XCTAssertEqual(bound, listed.contains(key), "\(key) in \(mode)")
            }
        }
    }

    func testHelpOverlayShowsEveryBinding() {
        var state = Fixture.state(mode: .replay(position: 1, length: 60, speed: 1, paused: false))
        state.handle(.char("?"))
        XCTAssertTrue(state.helpShown)
        for (w, h) in [(80, 24), (120, 40)] {
            let text = DashboardScreen.render(state, width: w, height: h).lines().joined(separator: "\n")
            for b in KeyMap.bindings {
                XCTAssertTrue(text.contains(b.label), "\(w)x\(h): key \(b.label)")
                XCTAssertTrue(text.contains(b.help), "\(w)x\(h): \(b.help)")
            }
        }
        state.handle(.escape)
        XCTAssertFalse(state.helpShown)
    }

    func testStateAppliesUIActionsAndReturnsSourceCommands() {
        var state = Fixture.state(mode: .live(recordingTo: nil))
        state.setThemes([.builtinDefault, Theme(name: "other", colors: [:], fallback: .builtinDefault)])
        XCTAssertEqual(state.handle(.char("t")), .nextTheme)
        XCTAssertEqual(state.theme.name, "other")
        state.handle(.char("t"))
        XCTAssertEqual(state.theme.name, "default")
        XCTAssertEqual(state.handle(.char("b")), .source(.cycleBackend))
        XCTAssertGreaterThan(state.stats.inferenceCount, 0)
        XCTAssertEqual(state.handle(.char("r")), .resetStatistics)
        XCTAssertEqual(state.stats.inferenceCount, 0)
        XCTAssertEqual(state.handle(.char("q")), .quit)
    }

    func testReplayBackendViewCyclesThroughBackendsAndOverlay() {
        var state = Fixture.state(mode: .replay(position: 60, length: 60, speed: 1, paused: true))
        XCTAssertEqual(state.stats.backends, ["int8", "fp32"])
        XCTAssertEqual(state.shownBackends, ["fp32"]) // the backend running at the end
        state.handle(.char("b"))
        XCTAssertEqual(state.latencyView, .overlay("int8", "fp32"))
        XCTAssertEqual(state.shownBackends, ["int8", "fp32"])
        state.handle(.tab)
        XCTAssertEqual(state.shownBackends, ["int8"])
        state.handle(.char("b"))
        XCTAssertEqual(state.shownBackends, ["fp32"])
        state.handle(.char("1"))
        XCTAssertEqual(state.shownBackends, ["int8"])
        state.handle(.char("3")) // no third backend: unchanged
        XCTAssertEqual(state.shownBackends, ["int8"])
    }

    func testSourceResetDropsFoldedStatistics() {
        var state = Fixture.state()
        XCTAssertGreaterThan(state.stats.inferenceCount, 0)
        state.ingest(SourcePoll(reset: true, events: []))
        XCTAssertEqual(state.stats.inferenceCount, 0)
    }
}

final class DashboardStateTests: XCTestCase {
    func testMessageShowsUntilTheNextKeyThatActs() {
        var s = Fixture.state()
        s.message = "theme x.theme:3: invalid colour"
        var text = DashboardScreen.render(s, width: 100, height: 30).lines().last!
        XCTAssertTrue(text.contains("theme x.theme:3"))
        s.handle(.char("z")) // unbound: the note stays
        XCTAssertNotNil(s.message)
        s.handle(.char("?"))
        XCTAssertNil(s.message)
        s.handle(.char("t"))
        XCTAssertEqual(s.message, "theme default")
        text = DashboardScreen.render(s, width: 100, height: 30).lines().last!
        XCTAssertTrue(text.contains("theme default"))
    }

    func testTargetFromCommandLineShownUntilSourceAnnounces() {
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.targetFPS = 15
        s.ingest([inference(0.1, ms: 5)])
        // On the figures' line, or the next one when they leave no room.
        XCTAssertTrue(DashboardScreen.render(s, width: 80, height: 24).lines()[2...3].joined().contains("target 15"))
    }

    private func inference(_ t: Double, ms: Double) -> Event {
        .inference(InferenceEvent(t: t, backend: "int8", model: "m", latencyNs: UInt64(ms * 1e6)))
    }
}

final class HelpAtMinimumSizeTests: XCTestCase {
    /// At the smallest size the help still lists every key of the mode in use.
    func testMinimumSizeListsTheModeInUse() {
        for mode in [SourceMode.live(recordingTo: nil), .replay(position: 0, length: 10, speed: 1, paused: false)] {
            var s = Fixture.state(mode: mode)
            s.handle(.char("h"))
            let text = DashboardScreen.render(s, width: DashboardScreen.minimumWidth, height: DashboardScreen.minimumHeight)
                .lines().joined(separator: "\n")
            for b in KeyMap.bindings(for: s.inputMode) {
                XCTAssertTrue(text.contains(b.help), "\(mode): \(b.help)\n\(text)")
            }
        }
    }
}
