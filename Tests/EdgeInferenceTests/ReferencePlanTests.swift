@testable import EdgeInference
import XCTest

final class ReferencePlanTests: XCTestCase {
    /// The seeded weights must keep activations in a usable range through the whole depth:
    /// neither dying out (all zero) nor blowing up, or int8 calibration would be meaningless.
    func testActivationsStayInASaneRangeThroughDepth() {
        for spec in [ModelSpec.mobileNetV1(width: 0.25, resolution: 128), .mobileNetV2(resolution: 128)] {
            let model = spec.build()
            let plan = ReferencePlan(model: model)
            plan.run()
            for (i, layer) in model.layers.enumerated() {
                let t = plan.tensors[i + 1]
                let peak = t.reduce(0) { max($0, abs($1)) }
                XCTAssertGreaterThan(peak, 0.05, "\(spec) \(layer.name) died out")
                XCTAssertLessThan(peak, 64, "\(spec) \(layer.name) blew up")
                XCTAssertFalse(t.contains { !$0.isFinite }, "\(spec) \(layer.name) has a non-finite value")
            }
            let logits = plan.logits()
            XCTAssertEqual(logits.count, 1000)
            XCTAssertGreaterThan(Set(logits).count, 900, "logits should be spread, not constant")
        }
    }

    func testRunsAreDeterministicAndInputDependent() {
        let model = ModelSpec.mobileNetV1(width: 0.25, resolution: 128).build()
        let a = ReferencePlan(model: model), b = ReferencePlan(model: model)
        a.run(); b.run()
        XCTAssertEqual(a.logits(), b.logits())
        b.setInput(SeededInput.input(for: model, seed: 7))
        b.run()
        XCTAssertNotEqual(a.logits(), b.logits())
        XCTAssertEqual(a.kernelNames, ["ref_convolution", "ref_depthwise_convolution", "ref_global_average_pool",
                                       "ref_fully_connected"])
    }

    func testQualityComparesCosineAndTopOne() {
        let q = Quality(logits: [1, 3, 2], reference: [1, 3, 2])
        XCTAssertEqual(q.cosine, 1, accuracy: 1e-12)
        XCTAssertTrue(q.top1Agree)
        let r = Quality(logits: [3, 1, 2], reference: [1, 3, 2])
        XCTAssertEqual(r.cosine, 10.0 / 14.0, accuracy: 1e-12)
        XCTAssertFalse(r.top1Agree)
        XCTAssertEqual(Quality.argmax([0, 5, 5, 1]), 1)
    }
}
