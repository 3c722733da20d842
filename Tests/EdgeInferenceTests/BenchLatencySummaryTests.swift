@testable import EdgeInference
import XCTest

final class BenchLatencySummaryTests: XCTestCase {
    func testNearestRankPercentilesAndMoments() {
        // 1...100 shuffled: p50 is 50, p90 is 90, p99 is 99 by nearest rank.
        var random = SplitMix64(seed: 11)
        let samples = (1...100).map(UInt64.init).shuffled(using: &random)
        let s = BenchLatencySummary(samples: samples)
        XCTAssertEqual([s.min, s.p50, s.p90, s.p99, s.max], [1, 50, 90, 99, 100])
        XCTAssertEqual(s.count, 100)
        XCTAssertEqual(s.mean, 50.5, accuracy: 1e-12)
        XCTAssertEqual(s.std, (9999.0 / 12).squareRoot(), accuracy: 1e-9)
    }

    /// docs/percentiles.md's example: where `stats` (LoadGen's index rule) says p50 = 6 and
    /// p90 = 10 for 1...10, nearest rank says 5 and 9.
    func testTheDocumentedExampleDiffersFromLoadGensRule() {
        let s = BenchLatencySummary(samples: (1...10).map(UInt64.init))
        XCTAssertEqual([s.p50, s.p90], [5, 9])
    }

    func testFewSamplesPickRealRuns() {
        let s = BenchLatencySummary(samples: [30, 10, 20])
        XCTAssertEqual([s.p50, s.p90, s.p99], [20, 30, 30])
        let one = BenchLatencySummary(samples: [7])
        XCTAssertEqual([one.min, one.p50, one.p99, one.max], [7, 7, 7, 7])
        XCTAssertEqual(one.std, 0)
    }
}
