import Foundation
import XCTest
import EdgeTrace
@testable import EdgeDashboard
import EdgeTestSupport

/// A clock the test moves by hand.
private final class FakeClock {
    var now: Double = 100
    func advance(_ s: Double) { now += s }
}

final class ReplaySourceTests: XCTestCase {
    private let header = TestEvents.header()

    /// One inference every second from t = 1 to t = 20, with latency t ms so each is recognisable.
    private func trace() -> [Event] {
        (1...20).map { .inference(InferenceEvent(t: Double($0), backend: "int8", model: "m", latencyNs: UInt64($0) * 1_000_000)) }
    }

    private func times(_ poll: SourcePoll) -> [Double] { poll.events.map(\.t) }

    private func make(_ events: [Event]? = nil) -> (ReplaySource, FakeClock) {
        let clock = FakeClock()
        return (ReplaySource(header: header, events: events ?? trace(), clock: { clock.now }), clock)
    }

    func testPlaysEventsAsTheClockPassesThem() {
        let (r, clock) = make()
        XCTAssertEqual(times(r.poll()), [])
        clock.advance(2.5)
        XCTAssertEqual(times(r.poll()), [1, 2])
        clock.advance(1)
        XCTAssertEqual(times(r.poll()), [3])
        XCTAssertEqual(r.mode, .replay(position: 3.5, length: 20, speed: 1, paused: false))
        clock.advance(100)
        let rest = r.poll()
        XCTAssertEqual(times(rest), (4...20).map(Double.init))
        XCTAssertFalse(rest.reset)
        XCTAssertTrue(r.atEnd)
        XCTAssertEqual(r.mode, .replay(position: 20, length: 20, speed: 1, paused: false))
    }

    func testUnsortedInputIsPlayedInTimeOrder() {
        let shuffled: [Event] = [.mark(Mark(t: 3, label: "c")), .mark(Mark(t: 1, label: "a")), .mark(Mark(t: 2, label: "b"))]
        let (r, clock) = make(shuffled)
        clock.advance(10)
        XCTAssertEqual(times(r.poll()), [1, 2, 3])
    }

    func testSpeedStepsBetweenAQuarterAndSixteen() {
        let (r, clock) = make()
        XCTAssertTrue(r.handle(.speed(faster: true)))
        XCTAssertEqual(r.speed, 2)
        clock.advance(2)  // 4 s of session time
        XCTAssertEqual(times(r.poll()), [1, 2, 3, 4])
        for _ in 0..<10 { r.handle(.speed(faster: true)) }
        XCTAssertEqual(r.speed, 16)
        for _ in 0..<10 { r.handle(.speed(faster: false)) }
        XCTAssertEqual(r.speed, 0.25)
        clock.advance(4)  // 1 s of session time
        XCTAssertEqual(times(r.poll()), [5])
    }

    func testPauseStopsTheReplayClock() {
        let (r, clock) = make()
        clock.advance(2)
        XCTAssertEqual(times(r.poll()), [1, 2])
        r.handle(.togglePause)
        clock.advance(50)
        XCTAssertEqual(times(r.poll()), [])
        XCTAssertEqual(r.mode, .replay(position: 2, length: 20, speed: 1, paused: true))
        r.handle(.togglePause)
        clock.advance(1)
        XCTAssertEqual(times(r.poll()), [3])
    }

    func testSeekForwardHandsOverTheSkippedEventsWithoutReset() {
        let (r, clock) = make()
        clock.advance(2)
        _ = r.poll()
        r.handle(.seek(seconds: 5))
        let p = r.poll()
        XCTAssertFalse(p.reset)
        XCTAssertEqual(times(p), [3, 4, 5, 6, 7])
    }

    func testSeekBackwardAsksForAResetAndRefoldsFromTheStart() {
        let (r, clock) = make()
        clock.advance(12)
        XCTAssertEqual(times(r.poll()).count, 12)
        r.handle(.seek(seconds: -5))
        let p = r.poll()
        XCTAssertTrue(p.reset)
        XCTAssertEqual(times(p), [1, 2, 3, 4, 5, 6, 7])
        clock.advance(1)
        let next = r.poll()
        XCTAssertFalse(next.reset)
        XCTAssertEqual(times(next), [8])
    }

    func testSeekClampsAndHomeEndJump() {
        let (r, clock) = make()
        r.handle(.seek(seconds: -5))  // already at the start: nothing to take back
        XCTAssertFalse(r.poll().reset)
        r.handle(.seekToEnd)
        XCTAssertEqual(times(r.poll()).count, 20)
        r.handle(.seek(seconds: 5))
        XCTAssertEqual(r.mode, .replay(position: 20, length: 20, speed: 1, paused: false))
        r.handle(.seekToStart)
        let p = r.poll()
        XCTAssertTrue(p.reset)
        XCTAssertEqual(times(p), [])
        clock.advance(1)
        XCTAssertEqual(times(r.poll()), [1])
    }

    func testLiveOnlyCommandsAreRefused() {
        let (r, _) = make()
        XCTAssertFalse(r.handle(.cycleBackend))
        XCTAssertFalse(r.handle(.threads(delta: 1)))
        XCTAssertFalse(r.handle(.cycleModel))
    }

    func testEmptyTraceHasZeroLength() {
        let (r, clock) = make([])
        clock.advance(5)
        XCTAssertEqual(times(r.poll()), [])
        XCTAssertEqual(r.mode, .replay(position: 0, length: 0, speed: 1, paused: false))
    }

    func testReplayRefusesATraceBeyondItsEventLimitNamingIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("long.jsonl").path
        let w = try TraceWriter(path: path, header: TraceHeader(
            device: DeviceInfo(cpuModel: "x", cores: 1, os: "o", kernel: "k", hasThermalSensors: false), source: .recorded, startTime: "s"))
        for i in 0..<11 { try w.write(.mark(Mark(t: Double(i), label: "m"))) }
        try w.close()
        XCTAssertNoThrow(try ReplaySource(reading: TraceReader(path: path), maxEvents: 11))
        XCTAssertThrowsError(try ReplaySource(reading: TraceReader(path: path), maxEvents: 10)) {
            XCTAssertEqual("\($0)", "\(path):12: more than 10 events: replay holds them all in memory and stops at this limit "
                           + "('edgetop stats' reads a trace of any length)")
        }
    }
}
