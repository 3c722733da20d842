@testable import EdgeInference
import XCTest

final class RecordRingTests: XCTestCase {
    private func record(_ n: Int) -> InferenceRecord {
        InferenceRecord(timestampNs: UInt64(n), backend: .int8, model: "m", threads: 1, latencyNs: UInt64(n * 10))
    }

    func testDrainReturnsRecordsOldestFirstAndEmpties() {
        let ring = RecordRing(capacity: 4)
        for i in 0..<3 { ring.push(record(i)) }
        XCTAssertEqual(ring.drain().map(\.timestampNs), [0, 1, 2])
        XCTAssertEqual(ring.drain(), [])
        XCTAssertEqual(ring.dropped, 0)
    }

    func testFullRingDropsTheOldestAndCountsThem() {
        let ring = RecordRing(capacity: 4)
        for i in 0..<10 { ring.push(record(i)) }
        XCTAssertEqual(ring.count, 4)
        XCTAssertEqual(ring.dropped, 6)
        XCTAssertEqual(ring.drain().map(\.timestampNs), [6, 7, 8, 9])
        // Wrapping after a drain keeps the order.
        for i in 10..<15 { ring.push(record(i)) }
        XCTAssertEqual(ring.drain().map(\.timestampNs), [11, 12, 13, 14])
        XCTAssertEqual(ring.dropped, 7)
    }
}
