@testable import EdgeInference
import XCTest
import EdgeKernels

/// Shared activation buffers: a tensor's memory is reused only once nothing will read it,
/// a layer never writes over its inputs, and the input and the logits keep their own.
final class PlanBuffersTests: XCTestCase {
    private func overlaps(_ a: UnsafeMutablePointer<Float>, _ n: Int, _ b: UnsafeMutablePointer<Float>, _ m: Int) -> Bool {
        a < b + max(m, 1) && b < a + max(n, 1)
    }

    func testSharedBuffersNeverOverlapALiveTensor() {
        for model in [Model.mobileNetV1(width: 0.5, resolution: 128), .mobileNetV2(resolution: 128), .resNet18()] {
            let buffers = PlanBuffers<Float>(model: model, fill: 0, sharing: true)
            let lastUse = lastUses(model)
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

    func testExpandDepthwiseBandsGiveTheUnfusedLogitsBitForBit() {
        for model in [Model.mobileNetV1(width: 1.0, resolution: 128), .mobileNetV2(resolution: 128)] {
            let candidates = FP32Plan.bandCandidates(model)
            XCTAssertFalse(candidates.isEmpty, "\(model.name): no expansion large enough to band")
            for features in [CPUFeatures.host, .portable] {
                let banded = FP32Plan(model: model, threads: 1, features: features)
                let plain = FP32Plan(model: model, threads: 1, features: features, bands: false)
                XCTAssertFalse(plain.layerKernels.contains(FP32Plan.fusedAwayKernel))
                // The portable kernels have no depthwise row kernel, so nothing is banded there;
                // elsewhere every candidate is (its input's memory is kept for the banded step).
                let fused = banded.layerKernels.filter { $0 == FP32Plan.fusedAwayKernel }.count
                XCTAssertEqual(fused, features == .portable ? 0 : candidates.count, "\(model.name)")
                banded.run(); plain.run()
                let a = banded.logits(), b = plain.logits()
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(model.name): banded logits differ")
                banded.run()
                XCTAssertEqual(banded.logits().map(\.bitPattern), a.map(\.bitPattern), "\(model.name): second run differs")
                let twoThreads = FP32Plan(model: model, threads: 2, features: features)
                twoThreads.run()
                XCTAssertEqual(twoThreads.logits().map(\.bitPattern), a.map(\.bitPattern), "\(model.name): two threads differ")
                // The profile hands a banded expansion's MACs to the step that ran it.
                let rows = banded.profile()
                XCTAssertEqual(rows.reduce(0) { $0 + $1.macs }, model.macs)
            }
        }
    }

    func testSharedBuffersKeepTheInputAcrossRuns() {
        let plan = FP32Plan(model: .mobileNetV2(resolution: 128), threads: 1)
        plan.run()
        let first = plan.logits()
        plan.run()
        XCTAssertEqual(plan.logits(), first)
    }

    func testStaggeredBuffersStartOnALineAtDistinctPageOffsetsAndStayApart() {
        for model in [Model.mobileNetV1(width: 1.0, resolution: 224), .mobileNetV2(resolution: 128)] {
            let buffers = PlanBuffers<Float>(model: model, fill: 0, sharing: true, staggered: true)
            let starts = Set((0..<model.tensorCount).map { UInt(bitPattern: buffers[$0]) })
            XCTAssertGreaterThan(starts.count, 2, model.name)
            for start in starts { XCTAssertEqual(start % 64, 0, "\(model.name): buffer not on a 64-byte line") }
            // No two buffers share their offset in a 4 KiB page, so a layer's input and output
            // pixels at the same place never alias in the low 12 address bits.
            XCTAssertEqual(Set(starts.map { $0 % 4096 }).count, starts.count, model.name)
            let lastUse = lastUses(model)
            for i in 0..<model.layers.count {
                for t in 0...i where lastUse[t] >= i {
                    XCTAssertFalse(overlaps(buffers[i + 1], buffers.counts[i + 1], buffers[t], buffers.counts[t]),
                                   "\(model.name): layer \(i) writes over tensor \(t)")
                }
            }
            // Every tensor's floats, first to last, lie in its allocation and start at the fill value.
            for t in 0..<model.tensorCount {
                XCTAssertEqual(buffers[t][0], 0); XCTAssertEqual(buffers[t][buffers.counts[t] - 1], 0)
            }
        }
    }

    /// The last layer that reads each tensor (its producer's index when none does); the
    /// input and the output stay live throughout.
    private func lastUses(_ model: Model) -> [Int] {
        var lastUse = (0..<model.tensorCount).map { $0 - 1 }
        for (i, layer) in model.layers.enumerated() {
            for t in layer.inputs { lastUse[t] = max(lastUse[t], i) }
        }
        lastUse[0] = .max
        lastUse[model.tensorCount - 1] = .max
        return lastUse
    }
}
