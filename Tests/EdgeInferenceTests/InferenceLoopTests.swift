@testable import EdgeInference
import EdgeCore
import Dispatch
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class InferenceLoopTests: XCTestCase {
    private let small = ModelSpec.mobileNetV1(width: 0.25, resolution: 128)

    /// Polls `condition` every 5 ms for up to `seconds`.
    private func waitFor(_ seconds: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = MonotonicClock.now() + UInt64(seconds * 1e9)
        while MonotonicClock.now() < deadline {
            if condition() { return true }
            usleep(5000)
        }
        return condition()
    }

    func testChangesApplyAtAnInferenceBoundary() {
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .ref, threads: 1))
        loop.start()
        defer { loop.stop() }
        XCTAssertTrue(waitFor { loop.inferences >= 3 })
        let next = LoopConfiguration(model: .mobileNetV1(width: 0.25, resolution: 160), backend: .int8, threads: 2)
        loop.configuration = next
        XCTAssertTrue(waitFor { loop.appliedConfiguration == next && loop.inferences >= 8 })
        loop.pause()
        XCTAssertTrue(waitFor { loop.state == .paused })
        let records = loop.drain()
        // All the old configuration's records, then all the new one's: never interleaved.
        let firstNew = records.firstIndex { $0.backend == .int8 } ?? records.count
        XCTAssertGreaterThan(firstNew, 0)
        XCTAssertLessThan(firstNew, records.count)
        for r in records[..<firstNew] {
            XCTAssertEqual([r.model, r.backend.rawValue, "\(r.threads)"], [small.name, "ref", "1"])
        }
        for r in records[firstNew...] {
            XCTAssertEqual([r.model, r.backend.rawValue, "\(r.threads)"], ["mobilenet-v1-0.25-160", "int8", "2"])
        }
        XCTAssertEqual(records.map(\.timestampNs), records.map(\.timestampNs).sorted())
        XCTAssertTrue(records.allSatisfy { $0.latencyNs > 0 })
        // Quality of every configuration run so far, measured when its plan was built.
        XCTAssertEqual(loop.quality(model: small.name, backend: .ref), Quality(cosine: 1, top1Agree: true))
        let q = loop.quality(model: "mobilenet-v1-0.25-160", backend: .int8)
        XCTAssertNotNil(q)
        XCTAssertGreaterThan(q?.cosine ?? 0, 0.99)
    }

    func testPauseStopsRecordsAndResumeRestartsThem() {
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .int8, threads: 1),
                                 measureQuality: false)
        loop.start()
        defer { loop.stop() }
        XCTAssertTrue(waitFor { loop.inferences >= 2 })
        loop.pause()
        XCTAssertTrue(waitFor { loop.state == .paused })
        _ = loop.drain()
        let count = loop.inferences
        usleep(150_000)
        XCTAssertEqual(loop.drain(), [])
        XCTAssertEqual(loop.inferences, count)
        loop.resume()
        XCTAssertTrue(waitFor { loop.inferences >= count + 2 })
        XCTAssertFalse(loop.drain().isEmpty)
    }

    func testASlowConsumerCausesCountedDropsNotGrowth() {
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .int8, threads: 1),
                                 capacity: 4, measureQuality: false)
        loop.start()
        defer { loop.stop() }
        XCTAssertTrue(waitFor { loop.inferences >= 20 })
        loop.pause()
        XCTAssertTrue(waitFor { loop.state == .paused })
        let records = loop.drain()
        XCTAssertEqual(records.count, 4)
        XCTAssertEqual(records.count + loop.dropped, loop.inferences)
    }

    func testStopJoinsTheThread() {
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .int8, threads: 2),
                                 measureQuality: false)
        loop.start()
        XCTAssertTrue(waitFor { loop.inferences >= 1 })
        loop.stop()
        // stop() returns only once the thread has left its loop.
        XCTAssertEqual(loop.state, .stopped)
        let count = loop.inferences
        usleep(50_000)
        XCTAssertEqual(loop.inferences, count)
        loop.stop()  // a second stop is harmless
    }

    func testConcurrentStopsJoinOnceAndReleaseTheLoop() {
        weak var released: InferenceLoop?
        do {
            let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .int8, threads: 1),
                                     measureQuality: false)
            loop.start()
            XCTAssertTrue(waitFor { loop.inferences >= 1 })
            DispatchQueue.concurrentPerform(iterations: 4) { _ in loop.stop() }
            XCTAssertEqual(loop.state, .stopped)
            released = loop
        }
        // The thread held the loop while running; once joined, nothing does.
        XCTAssertNil(released)
    }

    func testTargetFPSPacesInferencesToFrameSlots() {
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .int8, threads: 1),
                                 measureQuality: false)
        loop.targetFPS = 20
        loop.start()
        defer { loop.stop() }
        XCTAssertTrue(waitFor { loop.inferences >= 6 })
        loop.pause()
        XCTAssertTrue(waitFor { loop.state == .paused })
        let stamps = loop.drain().map(\.timestampNs)
        let gaps = zip(stamps.dropFirst(), stamps).map { Double($0 - $1) / 1e6 }
        // 20 FPS: one frame every 50 ms; an inference of this model takes a few ms.
        for gap in gaps { XCTAssertGreaterThan(gap, 40, "gaps \(gaps)") }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        XCTAssertEqual(mean, 50, accuracy: 15, "gaps \(gaps)")
    }

    func testSlowdownHookIdlesAfterEachInferenceAndCountsTheIdleInTheLatency() {
        let seen = LatencyLog()
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .int8, threads: 1),
                                 measureQuality: false)
        let ran = small
        loop.slowdown = { configuration, latency in
            // The hook is told what ran, so an emulator can cost that model's layers.
            if configuration.model == ran { seen.append(latency) }
            return 30_000_000
        }
        loop.start()
        defer { loop.stop() }
        XCTAssertTrue(waitFor { loop.inferences >= 5 })
        loop.pause()
        XCTAssertTrue(waitFor { loop.state == .paused })
        let records = loop.drain()
        // Each frame lasts its compute time plus the idle: a record's latency includes the idle.
        // (The last frame's idle may be cut short by the pause.)
        for (a, b) in zip(records, records.dropFirst()).dropLast() {
            XCTAssertGreaterThanOrEqual(b.timestampNs - a.timestampNs, b.latencyNs)
        }
        // The hook is given each inference's own compute time; the record adds the idle to it.
        XCTAssertEqual(Array(seen.values.prefix(records.count)), records.map { $0.latencyNs - 30_000_000 })
    }
}

/// Latencies handed to the slowdown hook, from the loop's thread.
private final class LatencyLog: Sendable {
    private let stored = Locked<[UInt64]>([])
    func append(_ v: UInt64) { stored.withLock { $0.append(v) } }
    var values: [UInt64] { stored.withLock { $0 } }
}
