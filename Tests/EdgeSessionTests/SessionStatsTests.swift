import XCTest
import EdgeTrace
@testable import EdgeSession
import EdgeTestSupport

/// Relative comparison for HDR figures: two significant digits keep them within 1 %.
func assertClose(_ got: UInt64, _ want: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(Double(got), want, accuracy: want * 0.01 + 1, file: file, line: line)
}

final class SessionStatsTests: XCTestCase {
    func testFPSFromSlidingWindowAndAverage() {
        // 60 frames at exactly 30 FPS from t = 1/30 to t = 2.
        var s = SessionStats()
        for k in 1...60 { s.apply(inf(Double(k) / 30, ms: 10)) }
        // Window (1, 2]: frames 31...60.
        XCTAssertEqual(s.fps.current, 30, accuracy: 1e-9)
        XCTAssertEqual(s.fps.average, 30, accuracy: 1e-9)
        XCTAssertEqual(s.inferenceCount, 60)
        // Paused: only system samples arrive; the window empties, the average decays.
        s.apply(sys(3.5))
        XCTAssertEqual(s.fps.current, 0)
        XCTAssertEqual(s.fps.average, 60 / 3.5, accuracy: 1e-9)
    }

    func testFPSInFirstSecondIsScaledToElapsedTime() {
        var s = SessionStats()
        for k in 1...5 { s.apply(inf(Double(k) * 0.1, ms: 1)) } // 5 frames in 0.5 s
        XCTAssertEqual(s.fps.current, 10, accuracy: 1e-9)
    }

    func testFPSWindowBinsStayBoundedAtHighRates() {
        var m = FPSMeter()
        for k in 0..<50_000 { m.frame(at: Double(k) / 10_000) } // 10 kFPS for 5 s
        XCTAssertLessThanOrEqual(m.binCount, 1001)
        XCTAssertEqual(m.current, 10_000, accuracy: 10)
    }

    func testLatencyPercentilesOfKnownValues() {
        var s = SessionStats()
        // 1...100 ms in a scrambled order: order must not matter.
        let values = (0..<100).map { ($0 * 37) % 100 + 1 }
        XCTAssertEqual(Set(values).count, 100)
        for (i, v) in values.enumerated() { s.apply(inf(Double(i) * 0.01, ms: Double(v))) }
        let sum = s.latency["int8"]!.session.summary
        XCTAssertEqual(sum.count, 100)
        assertClose(sum.p50, 50e6)
        assertClose(sum.p90, 90e6)
        assertClose(sum.p99, 99e6)
        assertClose(sum.p999, 100e6)
        assertClose(sum.max, 100e6)
        XCTAssertEqual(sum.mean, 50.5e6, accuracy: 50.5e6 * 0.01)
    }

    func testLatencyIsKeptPerBackend() {
        var s = SessionStats()
        s.apply(inf(0.1, "int8", ms: 4))
        s.apply(inf(0.2, "fp32", ms: 11))
        s.apply(inf(0.3, "int8", ms: 4))
        XCTAssertEqual(s.backends, ["int8", "fp32"])
        XCTAssertEqual(s.latency["int8"]!.session.count, 2)
        XCTAssertEqual(s.latency["fp32"]!.session.count, 1)
        assertClose(s.latency["fp32"]!.session.summary.p50, 11e6)
        XCTAssertEqual(s.backend, "int8") // no .config: the newest inference's backend
    }

    func testRecentWindowRotatesWithEventTime() {
        var s = SessionStats()
        s.apply(inf(4, ms: 10))   // slot 0 (0..5 s)
        s.apply(inf(6, ms: 20))   // slot 1
        XCTAssertEqual(s.latency["int8"]!.recent.count, 2)
        s.apply(inf(11, ms: 30))  // slot 2: slot 0 falls out
        let recent = s.latency["int8"]!.recent.summary
        XCTAssertEqual(recent.count, 2)
        assertClose(recent.min, 20e6)
        s.apply(sys(21))          // slot 4: nothing recent, the session keeps all three
        XCTAssertEqual(s.latency["int8"]!.recent.count, 0)
        XCTAssertEqual(s.latency["int8"]!.session.count, 3)
    }

    func testMissedFramesAgainstTargetDeadline() {
        var s = SessionStats()
        s.apply(inf(0.01, ms: 50)) // no target yet: not missed
        s.apply(.config(ConfigChange(t: 0.02, targetFPS: 30)))
        XCTAssertEqual(s.deadlineNs, 33_333_333)
        for (i, ms) in [20.0, 40, 33, 34].enumerated() { s.apply(inf(0.1 + Double(i) * 0.04, ms: ms)) }
        XCTAssertEqual(s.missedFrames, 2)
        s.apply(.config(ConfigChange(t: 1, targetFPS: 0))) // as fast as possible: no deadline
        s.apply(inf(1.1, ms: 100))
        XCTAssertNil(s.deadlineNs)
        XCTAssertEqual(s.missedFrames, 2)
    }

    func testConfigTracksBackendModelThreadsPause() {
        var s = SessionStats()
        s.apply(.config(ConfigChange(t: 0, backend: "fp32", model: "mobilenet-v2", threads: 2, paused: false)))
        s.apply(inf(0.1, "int8", ms: 3)) // a late frame of the old backend does not flip the config
        XCTAssertEqual(s.backend, "fp32")
        XCTAssertEqual(s.model, "mobilenet-v2")
        XCTAssertEqual(s.threads, 2)
        s.apply(.config(ConfigChange(t: 0.5, threads: 1, paused: true)))
        XCTAssertEqual(s.threads, 1)
        XCTAssertTrue(s.paused)
        XCTAssertEqual(s.backend, "fp32")
    }

    func testQualityKeepsNewestPerBackend() {
        var s = SessionStats()
        s.apply(.quality(QualityReport(t: 1, backend: "int8", model: "m", cosine: 0.99, top1Agree: true)))
        s.apply(.quality(QualityReport(t: 2, backend: "fp32", model: "m", cosine: 1.0, top1Agree: true)))
        s.apply(.quality(QualityReport(t: 3, backend: "int8", model: "m", cosine: 0.95, top1Agree: false)))
        XCTAssertEqual(s.qualityOrder, ["int8", "fp32"])
        XCTAssertEqual(s.quality["int8"]?.cosine, 0.95)
        XCTAssertEqual(s.quality["int8"]?.top1Agree, false)
    }

    func testTemperaturesTripsAndThrottling() {
        var s = SessionStats()
        let cool = Temperature(sensor: "soc", celsius: 60, passiveC: 75, criticalC: 95, emulated: true)
        s.apply(sys(0.5, temps: [cool]))
        XCTAssertFalse(s.isThrottling)
        XCTAssertTrue(s.temperaturesEmulated)
        var hot = cool; hot.celsius = 80
        s.apply(sys(1.5, temps: [hot, Temperature(sensor: "battery", celsius: 35)]))
        XCTAssertTrue(s.sensors[0].aboveTrip)
        XCTAssertTrue(s.isThrottling)
        XCTAssertEqual(s.sensors.map(\.name), ["soc", "battery"])
        var back = cool; back.celsius = 70
        s.apply(sys(2.5, temps: [back], throttling: ["cpu0 at 60% of max under load"]))
        XCTAssertEqual(s.sensors[0].minC, 60)
        XCTAssertEqual(s.sensors[0].maxC, 80)
        XCTAssertTrue(s.isThrottling) // the sample's own signal
        // Seconds 0 and 1 closed with the reading held at the end of each second.
        XCTAssertEqual(Array(s.sensors[0].series.points), [60, 80])
    }

    func testCoresLoadSplitAndFrequency() {
        var s = SessionStats()
        s.apply(sys(0.5, load: [CoreLoad(user: 0.5, system: 0.25), CoreLoad(user: 0.1)],
                    freq: [CoreFrequency(curMHz: 1800, maxMHz: 2400), CoreFrequency(curMHz: 2400, maxMHz: 2400)]))
        XCTAssertEqual(s.cores.count, 2)
        XCTAssertEqual(s.cores[0].load.busy, 0.75)
        XCTAssertEqual(s.cores[0].frequency?.curMHz, 1800)
        s.apply(sys(2.2, load: [CoreLoad(user: 1), CoreLoad()])) // no cpufreq now
        XCTAssertNil(s.cores[1].frequency)
        // Seconds 0 and 1 hold the first sample's values.
        XCTAssertEqual(Array(s.cores[0].loadSeries.points), [0.75, 0.75])
        XCTAssertEqual(Array(s.cores[1].frequencySeries.points), [2400, 2400])
    }

    func testPerSecondSeriesOfFPSAndLatency() {
        var s = SessionStats()
        // Second 0: 3 frames of 10 ms; second 1: none (a sample keeps time moving);
        // second 2: 2 frames of 30 ms; then time moves to 3.1.
        for t in [0.1, 0.2, 0.3] { s.apply(inf(t, ms: 10)) }
        s.apply(sys(1.5))
        for t in [2.1, 2.2] { s.apply(inf(t, ms: 30)) }
        s.apply(sys(3.1))
        XCTAssertEqual(Array(s.fpsSeries.points), [3, 0, 2])
        let p50 = Array(s.latency["int8"]!.p50Series.points)
        XCTAssertEqual(p50.count, 3)
        XCTAssertEqual(p50[0], 10e6, accuracy: 10e3)
        XCTAssertTrue(p50[1].isNaN)
        XCTAssertEqual(p50[2], 30e6, accuracy: 30e3)
    }

    func testSilentSecondsAreFilled() {
        var s = SessionStats()
        s.apply(inf(0.5, ms: 1))
        s.apply(inf(4.5, ms: 1))
        s.apply(sys(5.0))
        XCTAssertEqual(Array(s.fpsSeries.points), [1, 0, 0, 0, 1])
    }

    func testSameEventsGiveSameFigures() {
        let events = Self.syntheticSession(seconds: 30)
        let a = SessionStats(events: events)
        let b = SessionStats(events: events)
        XCTAssertEqual(a, b)
        var c = SessionStats(events: events)
        c.apply(inf(30.5, ms: 7))
        XCTAssertNotEqual(a, c) // the comparison sees a single extra frame
    }

    func testResetClearsStatisticsKeepsPresent() {
        var s = SessionStats(events: Self.syntheticSession(seconds: 10))
        XCTAssertGreaterThan(s.inferenceCount, 0)
        s.reset()
        XCTAssertEqual(s.inferenceCount, 0)
        XCTAssertEqual(s.latency["int8"]!.session.count, 0)
        XCTAssertEqual(s.fpsSeries.points.count, 0)
        XCTAssertEqual(s.missedFrames, 0)
        XCTAssertEqual(s.backend, "int8")
        XCTAssertEqual(s.threads, 2)
        XCTAssertEqual(s.cores.count, 4)
        XCTAssertEqual(s.sensors.count, 1)
        XCTAssertEqual(s.sensors[0].minC, s.sensors[0].latest.celsius)
        // Statistics restart from the reset time.
        let t0 = s.now
        for k in 1...10 { s.apply(inf(t0 + Double(k) * 0.1, ms: 5)) }
        XCTAssertEqual(s.fps.average, 10, accuracy: 1e-6)
        XCTAssertEqual(s.latency["int8"]!.session.count, 10)
    }

    func testAnHourOfEventsKeepsMemoryBounded() {
        // 108 000 frames at 30 FPS (an hour) plus a system sample per second.
        var s = SessionStats(seriesCapacity: 600)
        let temps = [Temperature(sensor: "soc", celsius: 50, passiveC: 70)]
        var footprintAt10Min = 0
        for k in 0..<108_000 {
            let t = Double(k) / 30
            s.apply(inf(t, k % 3 == 0 ? "fp32" : "int8", ms: 5 + Double(k % 7)))
            if k % 30 == 0 {
                s.apply(sys(t, load: Array(repeating: CoreLoad(user: 0.5), count: 8),
                            freq: Array(repeating: CoreFrequency(curMHz: 2000), count: 8), temps: temps))
            }
            if k == 30_000 { footprintAt10Min = s.footprint }
        }
        XCTAssertEqual(s.fpsSeries.points.count, 600)
        XCTAssertEqual(s.cores[7].loadSeries.points.count, 600)
        XCTAssertEqual(s.sensors[0].series.points.count, 600)
        XCTAssertEqual(s.latency["int8"]!.p99Series.points.count, 600)
        XCTAssertLessThanOrEqual(s.fps.binCount, 1001)
        XCTAssertEqual(s.footprint, footprintAt10Min)
        XCTAssertEqual(s.inferenceCount, 108_000)
    }

    /// Four cores, one sensor, 2 threads of int8 at ~100 FPS with a quality report.
    static func syntheticSession(seconds: Int) -> [Event] {
        var out: [Event] = [.config(ConfigChange(t: 0, backend: "int8", model: "mobilenet-v1", threads: 2, targetFPS: 0))]
        for sec in 0..<seconds {
            for k in 0..<100 {
                let t = Double(sec) + Double(k) / 100 + 0.005
                out.append(inf(t, ms: 4 + Double((sec * 100 + k) % 9) * 0.5))
            }
            out.append(sys(Double(sec) + 0.5, load: (0..<4).map { CoreLoad(user: 0.2 * Double($0), system: 0.05) },
                           temps: [Temperature(sensor: "cpu", celsius: 40 + Double(sec % 5))]))
        }
        out.append(.quality(QualityReport(t: Double(seconds), backend: "int8", model: "mobilenet-v1", cosine: 0.998, top1Agree: true)))
        return out
    }
}

final class SecondSampleTests: XCTestCase {
    func testExactBelowCapacityThinnedAbove() {
        var s = SecondSample()
        XCTAssertNil(s.percentiles())
        for v in (1...99).reversed() { s.add(UInt64(v)) }
        // 99 values: a p99 would only be their maximum, so there is none.
        XCTAssertEqual(s.percentiles()!.0, 50)
        XCTAssertNil(s.percentiles()!.1)
        s.add(100)
        XCTAssertEqual(s.percentiles()!.1, 99)
        s.removeAll()
        // 100 000 frames in one second: kept values stay bounded and the figures stay close.
        for v in 0..<100_000 { s.add(UInt64(v % 1000)) }
        let (p50, p99) = s.percentiles()!
        XCTAssertEqual(Double(p50), 500, accuracy: 10)
        XCTAssertEqual(Double(p99!), 990, accuracy: 10)
        XCTAssertLessThanOrEqual(s.keptCount, SecondSample.capacity)
    }
}

final class LatencyHistogramTests: XCTestCase {
    /// The one-pass summary agrees with the library's own per-percentile answer.
    func testSummaryMatchesValueAtPercentile() {
        var g: UInt64 = 7
        for size in [1, 2, 3, 10, 999, 5000] {
            var h = LatencyHistogram()
            for _ in 0..<size {
                g = g &* 6364136223846793005 &+ 1442695040888963407
                h.record(1_000_000 + (g >> 40) % 50_000_000) // 1 ms to 51 ms
            }
            let s = h.summary
            XCTAssertEqual(s.count, UInt64(size))
            XCTAssertEqual(s.p50, h.hdr.valueAtPercentile(50), "n=\(size)")
            XCTAssertEqual(s.p90, h.hdr.valueAtPercentile(90), "n=\(size)")
            XCTAssertEqual(s.p99, h.hdr.valueAtPercentile(99), "n=\(size)")
            XCTAssertEqual(s.p999, h.hdr.valueAtPercentile(99.9), "n=\(size)")
            XCTAssertEqual(s.max, h.hdr.maxRecorded)
            XCTAssertEqual(s.mean, h.sum / Double(size))
        }
        XCTAssertEqual(LatencyHistogram().summary, .empty)
    }

    func testClampsAboveOneHourAndBucketsCountEverything() {
        var h = LatencyHistogram()
        h.record(UInt64.max)
        h.record(2_000_000)
        XCTAssertEqual(h.count, 2)
        // The stalled one is kept at the top of the range, not dropped.
        XCTAssertEqual(Double(h.summary.max), Double(LatencyHistogram.highestNs), accuracy: Double(LatencyHistogram.highestNs) * 0.01)
        let counts = h.bucketCounts(edges: [1e6, 1e7, 1e8])
        XCTAssertEqual(counts, [1, 1]) // below/above the edges land in the first/last bucket
    }
}
