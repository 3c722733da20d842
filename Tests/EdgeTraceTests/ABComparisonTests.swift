import XCTest
@testable import EdgeTrace

final class ABComparisonTests: XCTestCase {
    /// A run of `n` latencies around `medianNs` whose level drifts as a seeded AR(1) process
    /// (coefficient `phi`, stationary spread `drift` in log units), with log-normal jitter and
    /// a rare slow tail: the shape of a real run, where consecutive inferences share heat,
    /// frequency and background load.
    static func run(_ n: Int, medianNs: Double, seed: UInt64, phi: Double = 0.95, drift: Double = 0.01) -> [UInt64] {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func gauss() -> Double { (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform()) }
        let innovation = drift * (1 - phi * phi).squareRoot()
        var level = drift * gauss()
        return (0..<n).map { _ in
            level = phi * level + innovation * gauss()
            let tail = uniform() < 0.01 ? 3.0 : 1.0
            return UInt64(medianNs * exp(level + 0.05 * gauss()) * tail)
        }
    }

    func testAAPairsOfDriftingRunsRarelyGiveAFalseVerdict() throws {
        var different = 0
        for k in 0..<50 {
            let a = Self.run(1500, medianNs: 1_000_000, seed: UInt64(1000 + 2 * k))
            let b = Self.run(1500, medianNs: 1_000_000, seed: UInt64(1001 + 2 * k))
            let c = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b))
            if c.different { different += 1 }
            XCTAssertNotEqual(c.verdict, .tooFewData)
        }
        print("A/A: \(different) of 50 pairs called different")
        XCTAssertLessThanOrEqual(different, 2, "false 'different' verdicts in 50 A/A pairs (at most 5% allowed)")
    }

    func testAPlantedFivePercentShiftIsFound() throws {
        var found = 0
        for k in 0..<50 {
            let a = Self.run(1500, medianNs: 1_000_000, seed: UInt64(5000 + 2 * k))
            let b = Self.run(1500, medianNs: 1_050_000, seed: UInt64(5001 + 2 * k))
            let c = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b))
            if c.verdict == .bSlower { found += 1 }
            XCTAssertNotEqual(c.verdict, .bFaster)
        }
        print("planted 5% shift: found in \(found) of 50 pairs")
        XCTAssertGreaterThanOrEqual(found, 45, "a 5% shift found in at least 90% of 50 pairs")
    }

    /// Batch medians are what make the interval honest: on strongly drifting runs, the bare
    /// interval (no threshold, no allowance) misses the true ratio 1 about as often as a 95%
    /// interval should, while the same estimator on the same latencies shuffled, as if
    /// consecutive inferences were independent, misses it far more often.
    func testBatchIntervalCoversUnderDriftWhereIndependenceDoesNot() throws {
        var misses = 0, independentMisses = 0, tauSum = 0.0
        var rng = SplitMix64(seed: 77)
        for k in 0..<80 {
            let a = Self.run(1500, medianNs: 1_000_000, seed: UInt64(9000 + 2 * k), phi: 0.98, drift: 0.02)
            let b = Self.run(1500, medianNs: 1_000_000, seed: UInt64(9001 + 2 * k), phi: 0.98, drift: 0.02)
            let c = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b, threshold: 1e-9, allowance: 0))
            if c.ciLow > 1 || c.ciHigh < 1 { misses += 1 }
            tauSum += c.dependenceA.tau
            let shuffled = try XCTUnwrap(ABComparison(labelA: "a", a: a.shuffled(using: &rng), labelB: "b", b: b.shuffled(using: &rng),
                                                      threshold: 1e-9, allowance: 0))
            if shuffled.ciLow > 1 || shuffled.ciHigh < 1 { independentMisses += 1 }
        }
        print("coverage under drift, 80 A/A pairs: batch interval missed \(misses), as if independent \(independentMisses)")
        XCTAssertLessThanOrEqual(misses, 10, "batch interval misses (nominal 4 of 80)")
        XCTAssertGreaterThanOrEqual(independentMisses, 30, "misses when the order is ignored")
        XCTAssertGreaterThan(tauSum / 80, 5, "the drift shows as autocorrelation")
    }

    func testEffectiveSampleSizeOfIndependentAndDependentSeries() {
        var rng = SplitMix64(seed: 3)
        let independent = (0..<4000).map { _ in rng.next() % 1_000_000 }
        let d = SeriesDependence(series: independent)
        XCTAssertEqual(d.tau, 1, accuracy: 0.3)
        XCTAssertEqual(d.effectiveCount, 4000, accuracy: 1000)
        XCTAssertEqual(d.batchCount, 30, "short reach: the most batches")
        // Level (AR(1), coefficient 0.9) and jitter have equal variance, so the latencies'
        // autocorrelation is half the level's, 0.5 × 0.9^k: τ = 1 + 2 × 0.5 × 0.9 / 0.1 = 10.
        let dependent = Self.run(20000, medianNs: 1_000_000, seed: 4, phi: 0.9, drift: 0.05)
        let e = SeriesDependence(series: dependent)
        XCTAssertGreaterThan(e.tau, 6)
        XCTAssertLessThan(e.tau, 15)
        XCTAssertEqual(e.effectiveCount, 20000 / e.tau, accuracy: 1e-9)
    }

    func testSameSampleAgainstItselfIsEquivalent() throws {
        let a = Self.run(500, medianNs: 2_000_000, seed: 5)
        let c = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "a", b: a))
        XCTAssertEqual(c.medianRatio, 1)
        XCTAssertEqual(c.ratios.map(\.ratio), Array(repeating: 1.0, count: 8))
        XCTAssertFalse(c.different)
        XCTAssertTrue(c.text().contains("verdict: no difference beyond run-to-run noise"), c.text())
    }

    func testSingleRunTextSaysSpreadIsNotMeasuredAndPointsToSweep() throws {
        let a = Self.run(2000, medianNs: 1_000_000, seed: 6), b = Self.run(2000, medianNs: 1_300_000, seed: 7)
        let c = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b))
        XCTAssertEqual(c.verdict, .bSlower)
        let text = c.text()
        XCTAssertTrue(text.contains("one run per side: run-to-run spread cannot be measured"), text)
        XCTAssertTrue(text.contains("edgetop sweep"), text)
        XCTAssertTrue(text.contains("verdict: B is slower than A beyond run-to-run noise"), text)
        XCTAssertTrue(text.contains("eff. n"), text)
        // The allowance only ever widens the interval.
        XCTAssertLessThan(c.judgedLow, c.ciLow)
        XCTAssertGreaterThan(c.judgedHigh, c.ciHigh)
        let swapped = try XCTUnwrap(ABComparison(labelA: "b", a: b, labelB: "a", b: a))
        XCTAssertEqual(swapped.verdict, .bFaster)
    }

    func testAllowanceGrowsWithALevelThatMovesWithinTheRun() throws {
        let calm = try XCTUnwrap(ABComparison(labelA: "a", a: Self.run(2000, medianNs: 1_000_000, seed: 20, phi: 0, drift: 0),
                                              labelB: "b", b: Self.run(2000, medianNs: 1_000_000, seed: 21, phi: 0, drift: 0)))
        XCTAssertEqual(calm.allowance, ABComparison.singleRunAllowance, "a steady run gets the floor")
        let wandering = try XCTUnwrap(ABComparison(labelA: "a", a: Self.run(2000, medianNs: 1_000_000, seed: 22, phi: 0.99, drift: 0.08),
                                                   labelB: "b", b: Self.run(2000, medianNs: 1_060_000, seed: 23, phi: 0.99, drift: 0.08)))
        XCTAssertGreaterThan(wandering.allowance, 0.05, "a run whose level wanders by several percent may shift as much between runs")
        XCTAssertFalse(wandering.different, "so a 6% difference between two such runs is not a verdict")
        XCTAssertTrue(wandering.text().contains("more when a run's level moves within it"), wandering.text())
    }

    func testThresholdDecidesWhatCountsAsADifference() throws {
        let a = Self.run(3000, medianNs: 1_000_000, seed: 8, phi: 0, drift: 0)
        let b = Self.run(3000, medianNs: 1_040_000, seed: 9, phi: 0, drift: 0)
        XCTAssertEqual(try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b, threshold: 0.01, allowance: 0)).verdict, .bSlower)
        let wide = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b, threshold: 0.10, allowance: 0))
        XCTAssertEqual(wide.verdict, .equivalent)
        XCTAssertTrue(wide.text().contains("(the interval lies within ±10%)"), wide.text())
    }

    func testResultIsDeterministic() throws {
        let a = Self.run(800, medianNs: 1_000_000, seed: 6), b = Self.run(800, medianNs: 1_020_000, seed: 7)
        let c1 = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b))
        let c2 = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b))
        XCTAssertEqual(c1.json(), c2.json())
        XCTAssertTrue(c1.json().contains("\"verdict\":"), c1.json())
    }

    func testTooFewInferencesAreNeverJudged() throws {
        let c = try XCTUnwrap(ABComparison(labelA: "a", a: Array(repeating: 100, count: 19), labelB: "b", b: Array(repeating: 900, count: 19)))
        XCTAssertEqual(c.verdict, .tooFewData)
        XCTAssertTrue(c.text().contains("verdict: too few inferences to judge"), c.text())
        // Many inferences that are one slow drift are worth few independent ones.
        let ramp = (0..<400).map { UInt64(1_000_000 + $0 * 1000) }
        let d = try XCTUnwrap(ABComparison(labelA: "a", a: ramp, labelB: "b", b: ramp.map { $0 * 2 }))
        XCTAssertLessThan(d.dependenceA.effectiveCount, ABComparison.minimumEffectiveCount)
        XCTAssertEqual(d.verdict, .tooFewData)
    }

    func testPercentilesTheSampleCannotSupportAreNotShown() throws {
        XCTAssertEqual([0.5, 0.9, 0.95, 0.97, 0.99, 0.999, 0.01].map(LatencyStats.minimumCount(for:)), [2, 10, 20, 34, 100, 1000, 100])
        let a = Self.run(500, medianNs: 1_000_000, seed: 30), b = Self.run(2000, medianNs: 1_000_000, seed: 31)
        let c = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b))
        XCTAssertEqual(c.ratios.map(\.supported), [true, true, true, true, true, true, false, true], "p99.9 needs 1000 on both sides")
        let line = try XCTUnwrap(c.text().split(separator: "\n").first { $0.hasPrefix("p99.9") })
        XCTAssertEqual(line.split(separator: " "), ["p99.9", "–", "–", "–"])
        XCTAssertTrue(c.json().contains(#""p999":null,"p999_min_count":1000"#), c.json())
        XCTAssertTrue(c.json().contains(#""p999_ns":null,"p999_min_count":1000"#), "A's 500 latencies give no p99.9")
    }

    func testRunFactorsNameTheDifferences() {
        let h = TraceHeader(device: DeviceInfo(cpuModel: "X", cores: 2, os: "Linux", kernel: "6", hasThermalSensors: false), source: .recorded, startTime: "t")
        var e = h
        e.source = .emulated; e.emulationProfile = "a53-phone-2013"
        let a = RunFactors(RunConfiguration(model: "mobilenet-v1-0.25-128", backend: "int8", threads: 1), header: h)
        let b = RunFactors(RunConfiguration(model: "mobilenet-v1-0.25-160", backend: "int8", threads: 1), header: e)
        let d = a.differences(from: b)
        XCTAssertEqual(d.map(\.factor), ["resolution", "origin"])
        XCTAssertEqual(d.last?.b, "emulated (a53-phone-2013)")
        XCTAssertTrue(a.differences(from: a).isEmpty)
        XCTAssertEqual(RunFactors.splitResolution("resnet-18-224").model, "resnet-18")
        XCTAssertNil(RunFactors.splitResolution("PySUT").resolution)
    }
}
