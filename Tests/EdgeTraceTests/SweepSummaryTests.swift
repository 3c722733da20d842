import XCTest
@testable import EdgeTrace

final class SweepSummaryTests: XCTestCase {
    private let int8 = SweepSummary.Configuration(model: "mobilenet-v1-0.25-128", backend: "int8", threads: 1, profile: nil)
    private let fp32 = SweepSummary.Configuration(model: "mobilenet-v1-0.25-128", backend: "fp32", threads: 1, profile: nil)
    /// Differs from int8 in two factors (resolution and threads): never paired with it.
    private let other = SweepSummary.Configuration(model: "mobilenet-v1-0.25-160", backend: "int8", threads: 2, profile: nil)

    /// `count` latencies spread evenly around `median` (±10%), shuffled by a seed.
    private func latencies(_ count: Int, median: UInt64, seed: UInt64) -> [UInt64] {
        var rng = SplitMix64(seed: seed)
        let spread = (0..<count).map { median - median / 10 + UInt64($0) * (median / 5) / UInt64(max(1, count - 1)) }
        return spread.shuffled(using: &rng)
    }

    func testMedianOfRunMediansIntervalTailsAndVerdict() throws {
        let int8Medians: [UInt64] = [1_000_000, 1_010_000, 990_000, 1_005_000]
        let fp32Medians: [UInt64] = [3_000_000, 3_050_000, 2_990_000, 3_020_000]
        var runs: [SweepSummary.Run] = []
        for k in 0..<4 {
            runs.append(.init(configuration: int8, order: 3 * k, file: "i\(k)", latencies: latencies(301, median: int8Medians[k], seed: UInt64(k))))
            runs.append(.init(configuration: fp32, order: 3 * k + 1, file: "f\(k)", latencies: latencies(51, median: fp32Medians[k], seed: UInt64(k))))
            runs.append(.init(configuration: other, order: 3 * k + 2, file: "o\(k)", latencies: latencies(11, median: 2_000_000, seed: UInt64(k))))
        }
        let s = SweepSummary(matrix: [int8, fp32, other], runs: runs)
        let i = s.configurations[0], f = s.configurations[1]
        XCTAssertEqual(i.runMedians, int8Medians, "each run's own median, in run order")
        XCTAssertEqual(i.medianOfRunMedians, 1_005_000, "LoadGen's index rule over the sorted run medians: index floor(4 / 2)")
        XCTAssertEqual(i.count, 1204)
        // Student t (3 degrees of freedom, 3.182) on the logs of the run medians.
        let logs = int8Medians.map { log(Double($0)) }
        let mean = logs.reduce(0, +) / 4
        let sd = (logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 3).squareRoot()
        XCTAssertEqual(try XCTUnwrap(i.ciLow), exp(mean - 3.182 * sd / 2), accuracy: 1e-3)
        XCTAssertEqual(try XCTUnwrap(i.ciHigh), exp(mean + 3.182 * sd / 2), accuracy: 1e-3)
        // 1204 values support p1 and p99 and p99.9; 204 only p1 and p99; 44 none.
        XCTAssertNotNil(i.p999); XCTAssertNotNil(i.p99); XCTAssertNotNil(i.p1)
        XCTAssertNil(f.p999); XCTAssertNotNil(f.p99)
        XCTAssertNil(s.configurations[2].p99); XCTAssertNil(s.configurations[2].p1)
        XCTAssertLessThan(try XCTUnwrap(i.p1), 1_000_000 * 9 / 10 + 10_000)
        // Only the pair that differs in one factor is compared.
        XCTAssertEqual(s.comparisons.count, 1)
        let c = s.comparisons[0]
        XCTAssertEqual(c.factor, "backend")
        XCTAssertEqual(c.verdict, .bSlower)
        XCTAssertEqual(c.ratio, 3_020_000.0 / 1_005_000.0, accuracy: 1e-12)
        let text = s.text()
        XCTAssertTrue(text.contains("backend: mobilenet-v1-0.25-128 int8 1t → mobilenet-v1-0.25-128 fp32 1t: 3.005x"), text)
        XCTAssertTrue(text.contains("B slower beyond run-to-run noise"), text)
        XCTAssertTrue(text.contains("the sample cannot support that percentile"), text)
    }

    func testOneRunPerConfigurationGivesNoIntervalAndNoVerdict() {
        let runs = [SweepSummary.Run(configuration: int8, order: 0, file: "a", latencies: latencies(200, median: 1_000_000, seed: 1)),
                    SweepSummary.Run(configuration: fp32, order: 1, file: "b", latencies: latencies(200, median: 2_000_000, seed: 2))]
        let s = SweepSummary(matrix: [int8, fp32], runs: runs)
        XCTAssertNil(s.configurations[0].ciLow)
        XCTAssertEqual(s.comparisons.first?.verdict, .tooFewData)
        XCTAssertTrue(s.text().contains("needs 2 runs"), s.text())
    }

    func testRunsOfOneConfigurationWithinNoiseAreNotCalledDifferent() {
        let medians: [[UInt64]] = [[1_000_000, 1_004_000, 998_000], [1_002_000, 999_000, 1_001_000]]
        var runs: [SweepSummary.Run] = []
        for k in 0..<3 {
            runs.append(.init(configuration: int8, order: 2 * k, file: "a\(k)", latencies: latencies(101, median: medians[0][k], seed: UInt64(k))))
            runs.append(.init(configuration: fp32, order: 2 * k + 1, file: "b\(k)", latencies: latencies(101, median: medians[1][k], seed: UInt64(k))))
        }
        let s = SweepSummary(matrix: [int8, fp32], runs: runs)
        XCTAssertEqual(s.comparisons.first?.verdict, .equivalent)
    }

    func testStudentQuantiles() {
        XCTAssertEqual(studentT975(1), 12.706)
        XCTAssertEqual(studentT975(9), 2.262)
        XCTAssertEqual(studentT975(9.5), (2.262 + 2.228) / 2, accuracy: 1e-12)
        XCTAssertEqual(studentT975(60), 2.000, accuracy: 0.003)
        XCTAssertEqual(studentT975(1e9), 1.96, accuracy: 1e-6)
    }
}
