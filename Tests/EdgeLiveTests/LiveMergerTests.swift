import EdgeCore
import EdgeDashboard
import EdgeInference
import EdgeLive
import EdgeTelemetry
import EdgeTestSupport
import EdgeTrace
import Synchronization
import XCTest

/// The merger on its own: two channels in, one ordered stream out, held back and retimed.
final class LiveMergerTests: XCTestCase {
    private func inference(_ t: Double, _ ms: Double = 1) -> Event { inf(t, ms: ms) }

    func testHoldsEventsBackUntilTheyAreOldEnough() {
        var m = LiveMerger(holdback: 0.1)
        m.add([inference(1.0), inference(1.05)])
        XCTAssertEqual(m.take(now: 1.09).map(\.t), [])
        XCTAssertEqual(m.take(now: 1.1).map(\.t), [1.0])
        XCTAssertEqual(m.pendingCount, 1)
        XCTAssertEqual(m.take(now: 1.2).map(\.t), [1.05])
        XCTAssertEqual(m.pendingCount, 0)
    }

    func testMergesTwoChannelsByTimeWithArrivalBreakingTies() {
        var m = LiveMerger(holdback: 0.1)
        // The loop's records and the sampler's samples arrive in batches, each in order.
        m.add([inference(0.2), inference(0.4), mark(0.5, "loop")])
        m.add([mark(0.1, "a"), mark(0.3, "b"), mark(0.5, "sampler")])
        let out = m.take(now: 1)
        XCTAssertEqual(out.map(\.t), [0.1, 0.2, 0.3, 0.4, 0.5, 0.5])
        guard case .mark(let first) = out[4], case .mark(let second) = out[5] else { return XCTFail("\(out)") }
        XCTAssertEqual([first.label, second.label], ["loop", "sampler"])
    }

    func testAnEventLaterThanTheHoldbackIsRetimedNotReordered() {
        var m = LiveMerger(holdback: 0.1)
        m.add(inference(2.0))
        XCTAssertEqual(m.take(now: 2.5).map(\.t), [2.0])
        // Pushed 0.6 s after its timestamp: already older than what was handed out.
        m.add([inference(1.4, 7), inference(2.2)])
        let out = m.take(now: 3)
        XCTAssertEqual(out.map(\.t), [2.0, 2.2])
        guard case .inference(let late) = out[0] else { return XCTFail("\(out)") }
        XCTAssertEqual(late.latencyNs, 7_000_000)
    }

    func testFlushHandsOutEverythingInOrder() {
        var m = LiveMerger(holdback: 0.1)
        m.add([inference(5), inference(3), inference(4)])
        XCTAssertEqual(m.take(now: 3.05).map(\.t), [])
        XCTAssertEqual(m.flush().map(\.t), [3, 4, 5])
        XCTAssertEqual(m.flush().map(\.t), [])
    }

    func testTimelineConvertsRecordsToSessionSeconds() {
        let timeline = SessionTimeline(startNs: 5_000_000_000)
        XCTAssertEqual(timeline.seconds(6_500_000_000), 1.5)
        XCTAssertEqual(timeline.seconds(4_000_000_000), 0, "a reading before the start is clamped, not wrapped")
        let record = InferenceRecord(timestampNs: 7_250_000_000, backend: .fp32, model: "mobilenet-v1-0.25-128",
                                     threads: 3, latencyNs: 12_345)
        XCTAssertEqual(timeline.event(record), .inference(InferenceEvent(t: 2.25, backend: "fp32", model: "mobilenet-v1-0.25-128",
                                                                         latencyNs: 12_345, threads: 3)))
    }

    /// The session reads time only from its clock: a mark made at t = 1 comes out once the
    /// clock is a holdback past it, with no loop or sampler running.
    func testSessionUsesTheInjectedClock() {
        let reading = Locked<UInt64>(40_000_000_000)
        let setup = LiveSetup(model: .mobileNetV1(width: 0.25, resolution: 128), backend: .int8, threads: 1, targetFPS: 0,
                              profile: nil, sysroot: SysRoot(), sampleInterval: 0.2, recordingTo: nil)
        let s = LiveSession(setup: setup, holdback: 0.1, clock: { reading.withLock { $0 } })
        reading.withLock { $0 += 1_000_000_000 }
        XCTAssertEqual(s.now, 1)
        XCTAssertTrue(s.handle(.mark("here")))
        reading.withLock { $0 += 50_000_000 }
        XCTAssertEqual(s.poll().events, [])
        reading.withLock { $0 += 50_000_000 }
        XCTAssertEqual(s.poll().events, [.mark(Mark(t: 1, label: "here"))])
    }
}
