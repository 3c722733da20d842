import EdgeInference
@testable import EdgeLive
import EdgeTelemetry
import EdgeTrace
import Foundation
import XCTest

/// A live session fed labelled inputs: its quality events carry the running accuracy.
final class LiveAccuracyTests: XCTestCase {
    func testQualityEventsCarryTheRunningAccuracy() {
        let spec = ModelSpec.mobileNetV1(width: 0.25, resolution: 128)
        let model = PlanFactory.model(spec)
        let inputs = (1...2).map { SeededInput.input(for: model, seed: UInt64($0)) }
        // Input 0 labelled with the reference's own top class, input 1 with its lowest: one hit.
        let labels = inputs.enumerated().map { i, x -> Int in
            let plan = ReferencePlan(model: model)
            plan.setInput(x)
            plan.run()
            let v = plan.logits()
            return i == 0 ? Quality.argmax(v) : v.indices.min { v[$0] < v[$1] }!
        }
        var setup = LiveSetup(model: spec, backend: .ref, threads: 1, targetFPS: 0, profile: nil,
                              sysroot: SysRoot(), sampleInterval: 0.2, recordingTo: nil)
        setup.labelledInputs = LabelledInputs(labels: labels) { _ in inputs }
        let s = LiveSession(setup: setup)
        s.start()
        var events: [Event] = []
        let end = Date().addingTimeInterval(30)
        func scored() -> [ImageAccuracyCount] {
            events.compactMap { e -> ImageAccuracyCount? in if case .quality(let q) = e { return q.accuracy } else { return nil } }
        }
        while Date() < end && scored().last?.images != 2 { events += s.poll().events; usleep(50_000) }
        s.stop()
        events += s.poll().events
        let tallies = scored()
        XCTAssertEqual(tallies.last, ImageAccuracyCount(images: 2, top1: 1, top5: 1))
        // Each tally is reported once, growing: never the same count twice.
        XCTAssertEqual(tallies.map(\.images), tallies.map(\.images).sorted())
        XCTAssertEqual(Set(tallies.map(\.images)).count, tallies.count)
    }
}
