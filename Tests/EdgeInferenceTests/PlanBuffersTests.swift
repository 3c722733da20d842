@testable import EdgeInference
import XCTest

/// Activation storage shared between tensors whose lifetimes do not overlap.
final class PlanBuffersTests: XCTestCase {
    /// Checks, independently of the assignment, that no two tensors alive at the same layer
    /// share a slot: tensor t lives from its producer (layer t - 1) to its last reader; the
    /// input and the output live throughout.
    private func assertNoLiveOverlap(_ slots: [Int], layerInputs: [[Int]], file: StaticString = #filePath, line: UInt = #line) {
        let n = slots.count
        func interval(_ t: Int) -> ClosedRange<Int> {
            if t == 0 || t == n - 1 { return -1...Int.max }
            let readers = layerInputs.indices.filter { layerInputs[$0].contains(t) }
            return (t - 1)...(readers.max() ?? t - 1)
        }
        for a in 0..<n {
            for b in (a + 1)..<n where slots[a] == slots[b] {
                XCTAssertFalse(interval(a).overlaps(interval(b)),
                               "tensors \(a) and \(b) share slot \(slots[a]) while both alive", file: file, line: line)
            }
        }
    }

    func testResidualInputStaysOwnedUntilTheAdd() {
        // 0 -> conv 1 -> conv 2 -> add(1, 2) = 3 -> conv 4 -> conv 5
        let inputs = [[0], [1], [1, 2], [3], [4]]
        let slots = PlanBuffers<UInt8>.assignSlots(counts: [10, 8, 8, 8, 8, 4], layerInputs: inputs)
        assertNoLiveOverlap(slots, layerInputs: inputs)
        XCTAssertNotEqual(slots[3], slots[1])
        XCTAssertNotEqual(slots[3], slots[2])
        // Tensor 4 may reuse 1's or 2's storage, both dead after the add.
        XCTAssertTrue([slots[1], slots[2]].contains(slots[4]), "\(slots)")
        XCTAssertEqual(Set(slots.filter { $0 == slots[0] }).count, 1)
        XCTAssertEqual(slots.filter { $0 == slots[5] }.count, 1, "the output keeps its own slot: \(slots)")
        XCTAssertEqual(slots.filter { $0 == slots[0] }.count, 1, "the input keeps its own slot: \(slots)")
    }

    func testModelsShareStorageWithoutOverlap() {
        for spec in [ModelSpec.mobileNetV1(width: 1.0, resolution: 224), .mobileNetV2(resolution: 224), .resNet18(resolution: 224)] {
            let model = PlanFactory.model(spec)
            let counts = (0..<model.tensorCount).map { model.tensorShape($0).count }
            let inputs = model.layers.map(\.inputs)
            let slots = PlanBuffers<UInt8>.assignSlots(counts: counts, layerInputs: inputs)
            XCTAssertEqual(slots.count, counts.count)
            assertNoLiveOverlap(slots, layerInputs: inputs)
            var sizes = [Int: Int]()
            for (t, s) in slots.enumerated() { sizes[s] = max(sizes[s] ?? 0, counts[t]) }
            let shared = sizes.values.reduce(0, +), separate = counts.reduce(0, +)
            XCTAssertLessThan(shared * 2, separate, "\(spec): \(shared) bytes in \(sizes.count) slots vs \(separate)")
        }
    }
}
