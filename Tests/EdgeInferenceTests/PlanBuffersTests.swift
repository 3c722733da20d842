@testable import EdgeInference
import XCTest

/// Shared activation buffers: a tensor's memory is reused only once nothing will read it,
/// a layer never writes over its inputs, and the input and the logits keep their own.
final class PlanBuffersTests: XCTestCase {
    private func overlaps(_ a: UnsafeMutablePointer<Float>, _ n: Int, _ b: UnsafeMutablePointer<Float>, _ m: Int) -> Bool {
        a < b + max(m, 1) && b < a + max(n, 1)
    }

    func testSharedBuffersNeverOverlapALiveTensor() {
        for model in [Model.mobileNetV1(width: 0.5, resolution: 128), .mobileNetV2(resolution: 128), .resNet18()] {
            let buffers = PlanBuffers<Float>(model: model, fill: 0, sharing: true)
            var lastUse = (0..<model.tensorCount).map { $0 - 1 }
            for (i, layer) in model.layers.enumerated() {
                for t in layer.inputs { lastUse[t] = max(lastUse[t], i) }
            }
            lastUse[0] = .max
            lastUse[model.tensorCount - 1] = .max
            for i in 0..<model.layers.count {
                let out = i + 1
                // Live while layer i writes: produced before it and read by it or later.
                for t in 0..<out where lastUse[t] >= i {
                    XCTAssertFalse(overlaps(buffers[out], buffers.counts[out], buffers[t], buffers.counts[t]),
                                   "\(model.name): layer \(i) writes over tensor \(t)")
                }
            }
            let distinct = Set((0..<model.tensorCount).map { buffers[$0] }).count
            XCTAssertLessThan(distinct, model.tensorCount / 3, "\(model.name): \(distinct) buffers for \(model.tensorCount) tensors")
            let unshared = PlanBuffers<Float>(model: model, fill: 0)
            XCTAssertEqual(Set((0..<model.tensorCount).map { unshared[$0] }).count, model.tensorCount)
        }
    }

    func testSharedBuffersKeepTheInputAcrossRuns() {
        let plan = FP32Plan(model: .mobileNetV2(resolution: 128), threads: 1)
        plan.run()
        let first = plan.logits()
        plan.run()
        XCTAssertEqual(plan.logits(), first)
    }
}
