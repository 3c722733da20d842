import EdgeDashboard
import EdgeInference
@testable import EdgeLive
import EdgeTelemetry
import EdgeTrace
import Foundation
import XCTest

/// The live source on its own: commands change the running loop and show up as events,
/// and the stream stays in time order.
final class LiveSessionTests: XCTestCase {
    private func setup(backend: Backend = .int8) -> LiveSetup {
        LiveSetup(model: .mobileNetV1(width: 0.25, resolution: 128), backend: backend, threads: 1, targetFPS: 0,
                  profile: nil, sysroot: SysRoot(), sampleInterval: 0.2, recordingTo: nil)
    }

    /// Polls for `seconds`, collecting events.
    private func collect(_ s: LiveSession, for seconds: Double, into events: inout [Event]) {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end { events += s.poll().events; usleep(50_000) }
    }

    /// Polls for at least `seconds` and then until `done` holds (at most two minutes), so a
    /// slow build (ThreadSanitizer's is ten times slower) waits for the loop instead of failing.
    private func collect(_ s: LiveSession, for seconds: Double, until done: ([Event]) -> Bool, into events: inout [Event]) {
        collect(s, for: seconds, into: &events)
        let limit = Date().addingTimeInterval(120)
        while !done(events) && Date() < limit { events += s.poll().events; usleep(50_000) }
    }

    private func inferences(_ events: [Event]) -> [InferenceEvent] {
        events.compactMap { e -> InferenceEvent? in if case .inference(let i) = e { return i } else { return nil } }
    }

    private func qualityBackends(_ events: [Event]) -> Set<String> {
        Set(events.compactMap { e -> String? in if case .quality(let q) = e { return q.backend } else { return nil } })
    }

    func testCommandsApplyToTheLoopAndEmitEvents() throws {
        let s = LiveSession(setup: setup())
        XCTAssertEqual(s.header.source, .recorded)
        XCTAssertEqual(s.mode, .live(recordingTo: nil))
        s.start()
        var events: [Event] = []
        collect(s, for: 2, until: { self.inferences($0).contains { $0.backend == "int8" } }, into: &events)
        XCTAssertTrue(s.handle(.selectBackend(1)))
        XCTAssertTrue(s.handle(.mark("switched")))
        collect(s, for: 2.5, until: { self.inferences($0).contains { $0.backend == "fp32" } && self.qualityBackends($0).count == 2 },
                into: &events)
        XCTAssertTrue(s.handle(.togglePause))
        // Long enough for the inference in flight to end and pass the holdback.
        let longest = Double(inferences(events).map(\.latencyNs).max() ?? 0) / 1e9
        collect(s, for: max(0.6, 2 * longest + 0.2), into: &events)
        let pausedAt = s.now
        collect(s, for: 1, into: &events)
        XCTAssertFalse(s.handle(.seekToStart))
        XCTAssertFalse(s.handle(.selectBackend(7)))
        s.stop()
        events += s.poll().events

        XCTAssertEqual(events.map(\.t), events.map(\.t).sorted())
        guard case .config(let first)? = events.first else { return XCTFail("no starting config") }
        XCTAssertEqual(first.backend, "int8")
        XCTAssertEqual(first.threads, 1)
        let switchAt = try XCTUnwrap(events.compactMap { e -> Double? in
            if case .config(let c) = e, c.backend == "fp32" { return c.t } else { return nil }
        }.first)
        let inferences = inferences(events)
        XCTAssertTrue(inferences.contains { $0.backend == "int8" })
        XCTAssertTrue(inferences.contains { $0.backend == "fp32" && $0.t > switchAt })
        // After the switch, only an inference already in flight may still be int8.
        XCTAssertLessThanOrEqual(inferences.filter { $0.backend == "int8" && $0.t > switchAt }.count, 1)
        XCTAssertTrue(events.contains { if case .mark(let m) = $0 { return m.label == "switched" } else { return false } })
        XCTAssertTrue(events.contains { if case .config(let c) = $0 { return c.paused == true } else { return false } })
        XCTAssertTrue(inferences.allSatisfy { $0.t <= pausedAt })
        let qualities = events.compactMap { e -> QualityReport? in if case .quality(let q) = e { return q } else { return nil } }
        XCTAssertEqual(Set(qualities.map(\.backend)), ["int8", "fp32"])
        XCTAssertTrue(qualities.allSatisfy { $0.cosine > 0.9 })
        let samples = events.filter { if case .system = $0 { return true } else { return false } }
        XCTAssertGreaterThan(samples.count, 20)
    }

    func testThreadsAndModelCommands() throws {
        let s = LiveSession(setup: setup())
        s.start()
        var events: [Event] = []
        XCTAssertTrue(s.handle(.threads(delta: 1)))
        XCTAssertTrue(s.handle(.threads(delta: -5)))
        XCTAssertTrue(s.handle(.cycleModel))
        collect(s, for: 1.5, into: &events)
        s.stop()
        events += s.poll().events
        let configs = events.compactMap { e -> ConfigChange? in if case .config(let c) = e { return c } else { return nil } }
        XCTAssertEqual(configs.compactMap(\.threads), [1, 2, 1])
        XCTAssertEqual(configs.compactMap(\.model), ["mobilenet-v1-0.25-128", "mobilenet-v1-1.0-224"])
        XCTAssertEqual(s.setup.threads, 1)
        XCTAssertEqual(s.setup.model, .mobileNetV1(width: 1.0, resolution: 224))
    }
}
