import XCTest
@testable import EdgeTrace

final class ABComparisonTests: XCTestCase {
    /// Latencies around `medianNs` with a log-normal spread and a rare slow tail, from a seed.
    private func latencies(_ n: Int, medianNs: Double, seed: UInt64) -> [UInt64] {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        return (0..<n).map { _ in
            let gauss = (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform())
            let tail = uniform() < 0.01 ? 3.0 : 1.0
            return UInt64(medianNs * exp(0.08 * gauss) * tail)
        }
    }

    func testKnownShiftIsDetected() throws {
        let a = latencies(2000, medianNs: 1_000_000, seed: 1)
        let b = latencies(2000, medianNs: 1_050_000, seed: 2)      // 5% slower
        let c = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b, seed: 42))
        XCTAssertTrue(c.significant)
        XCTAssertLessThan(c.p, 1e-6)
        XCTAssertGreaterThan(c.z, 0, "B slower gives positive z")
        XCTAssertGreaterThan(c.probabilityBSlower, 0.6)
        XCTAssertGreaterThan(c.ciLow, 1.0)
        XCTAssertLessThan(c.ciLow, 1.05); XCTAssertGreaterThan(c.ciHigh, 1.05)
        XCTAssertEqual(c.medianRatio, 1.05, accuracy: 0.015)
        XCTAssertTrue(c.text().contains("verdict: B is slower than A beyond run-to-run noise"), c.text())
        // Swapped, the same difference reads the other way.
        let swapped = try XCTUnwrap(ABComparison(labelA: "b", a: b, labelB: "a", b: a, seed: 42))
        XCTAssertTrue(swapped.significant)
        XCTAssertLessThan(swapped.z, 0)
        XCTAssertTrue(swapped.text().contains("verdict: B is faster than A"))
    }

    func testIdenticalDistributionsShowNoSignificantDifference() throws {
        let a = latencies(2000, medianNs: 1_000_000, seed: 3)
        let b = latencies(2000, medianNs: 1_000_000, seed: 4)
        let c = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b, seed: 42))
        XCTAssertFalse(c.significant)
        XCTAssertGreaterThan(c.p, 0.05)
        XCTAssertLessThan(c.ciLow, 1.0); XCTAssertGreaterThan(c.ciHigh, 1.0)
        XCTAssertTrue(c.text().contains("verdict: no significant difference"))
    }

    func testSameSampleAgainstItselfIsExactlyEven() throws {
        let a = latencies(500, medianNs: 2_000_000, seed: 5)
        let c = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "a", b: a))
        XCTAssertEqual(c.z, 0); XCTAssertEqual(c.p, 1)
        XCTAssertEqual(c.probabilityBSlower, 0.5)
        XCTAssertEqual(c.ratios.map(\.ratio), Array(repeating: 1.0, count: 8))
    }

    func testBootstrapIsReproducibleForASeed() throws {
        let a = latencies(800, medianNs: 1_000_000, seed: 6), b = latencies(800, medianNs: 1_020_000, seed: 7)
        let c1 = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b, seed: 9))
        let c2 = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b, seed: 9))
        let c3 = try XCTUnwrap(ABComparison(labelA: "a", a: a, labelB: "b", b: b, seed: 10))
        XCTAssertEqual(c1.json(), c2.json())
        XCTAssertNotEqual(c1.json(), c3.json())
    }

    func testTooFewInferencesAreNeverCalledSignificant() throws {
        let c = try XCTUnwrap(ABComparison(labelA: "a", a: Array(repeating: 100, count: 19), labelB: "b", b: Array(repeating: 900, count: 19)))
        XCTAssertFalse(c.significant)
        XCTAssertTrue(c.text().contains("verdict: too few inferences to judge (at least 20 on each side are needed)"), c.text())
        let d = try XCTUnwrap(ABComparison(labelA: "a", a: Array(repeating: 100, count: 20), labelB: "b", b: Array(repeating: 900, count: 20)))
        XCTAssertTrue(d.significant)
    }

    func testAllTiesGiveNoDifference() throws {
        let c = try XCTUnwrap(ABComparison(labelA: "a", a: [5, 5, 5], labelB: "b", b: [5, 5]))
        XCTAssertEqual(c.p, 1)
        XCTAssertFalse(c.significant)
    }
}
