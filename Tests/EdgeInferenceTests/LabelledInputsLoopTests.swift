import EdgeImages
@testable import EdgeInference
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The loop feeding labelled inputs instead of the seeded one, and scoring each once.
final class LabelledInputsLoopTests: XCTestCase {
    private let small = ModelSpec.mobileNetV1(width: 0.25, resolution: 128)

    private func logits(_ model: Model, _ input: [Float]) -> [Float] {
        let plan = ReferencePlan(model: model)
        plan.setInput(input)
        plan.run()
        return plan.logits()
    }

    func testLoopFeedsTheInputsAndCountsTopOneAndTopFive() {
        let model = PlanFactory.model(small)
        let inputs = [SeededInput.input(for: model, seed: 1), SeededInput.input(for: model, seed: 2),
                      SeededInput.input(for: model, seed: 3)]
        let outs = inputs.map { logits(model, $0) }
        // Input 0 labelled with its own top class, input 1 with its second, input 2 with its
        // last: 1/3 top-1 and 2/3 top-5 only if each input really ran and was scored against
        // its own label.
        func ranked(_ v: [Float]) -> [Int] { v.indices.sorted { v[$0] > v[$1] || (v[$0] == v[$1] && $0 < $1) } }
        let labels = [ranked(outs[0])[0], ranked(outs[1])[1], ranked(outs[2]).last!]
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .ref, threads: 1))
        loop.labelledInputs = LabelledInputs(labels: labels) { m in
            XCTAssertEqual(m.name, model.name)
            return inputs
        }
        loop.start()
        defer { loop.stop() }
        let key = InferenceLoop.QualityKey(model: model.name, backend: .ref)
        let deadline = MonotonicClock.now() + 60_000_000_000
        while loop.inferences < 7 && MonotonicClock.now() < deadline { usleep(5000) }
        let a = loop.accuracies[key]
        // Past the first pass nothing is scored again: three images, not seven.
        XCTAssertEqual(a?.count, 3)
        XCTAssertEqual(a?.top1, 1)
        XCTAssertEqual(a?.top5, 2)
    }

    func testWithoutLabelledInputsThereIsNoAccuracy() {
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .int8, threads: 1), measureQuality: false)
        loop.start()
        defer { loop.stop() }
        let deadline = MonotonicClock.now() + 60_000_000_000
        while loop.inferences < 2 && MonotonicClock.now() < deadline { usleep(5000) }
        XCTAssertGreaterThanOrEqual(loop.inferences, 2)
        XCTAssertTrue(loop.accuracies.isEmpty)
    }
}
