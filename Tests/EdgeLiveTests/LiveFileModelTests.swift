import EdgeInference
@testable import EdgeLive
import EdgeTelemetry
import EdgeTrace
import Foundation
import XCTest

/// A live session on TensorFlow Lite files: `m` cycles the files given, `b` only the
/// backends each file runs on, and the records carry the file's name.
final class LiveFileModelTests: XCTestCase {
    private func fetched(_ name: String) throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.models/\(name)").standardized.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(name) is not in .models/; run scripts/fetch-models.sh (CI does)")
        }
        return path
    }

    func testModelAndBackendCyclesFollowTheFiles() throws {
        let int8 = try ModelSpec.loadFile(try fetched("efficientnet_lite0.tflite"))
        let fp32 = try ModelSpec.loadFile(try fetched("deeplabv3.tflite"))
        XCTAssertEqual(int8, .file(path: try fetched("efficientnet_lite0.tflite"), native: .int8))
        XCTAssertEqual(int8.name, "efficientnet_lite0.tflite")
        XCTAssertEqual(fp32.backends, [.fp32, .ref])
        var setup = LiveSetup(model: int8, backend: .int8, threads: 1, targetFPS: 0, profile: nil,
                              sysroot: SysRoot(), sampleInterval: 0.2, recordingTo: nil)
        setup.models = [int8, fp32]
        let s = LiveSession(setup: setup)
        s.handle(.cycleBackend)
        XCTAssertEqual(s.setup.backend, .ref)
        s.handle(.cycleBackend)
        XCTAssertEqual(s.setup.backend, .int8, "fp32 is skipped: an int8 file has no fp32 kernels")
        XCTAssertFalse(s.handle(.selectBackend(1)), "selecting fp32 for an int8 file is refused")
        s.handle(.cycleModel)
        XCTAssertEqual(s.setup.model, fp32)
        XCTAssertEqual(s.setup.backend, .fp32, "int8 gives way to the fp32 file's own backend")
        s.handle(.cycleModel)
        XCTAssertEqual(s.setup.model, int8)
        XCTAssertEqual(s.setup.backend, .int8)
    }

    func testRecordsCarryTheFileName() throws {
        let spec = try ModelSpec.loadFile(try fetched("efficientnet_lite0.tflite"))
        let setup = LiveSetup(model: spec, backend: .int8, threads: 1, targetFPS: 0, profile: nil,
                              sysroot: SysRoot(), sampleInterval: 0.2, recordingTo: nil)
        let s = LiveSession(setup: setup)
        s.start()
        var events: [Event] = []
        let end = Date().addingTimeInterval(60)
        func inferences() -> [InferenceEvent] { events.compactMap { if case .inference(let i) = $0 { return i } else { return nil } } }
        while Date() < end && inferences().count < 2 { events += s.poll().events; usleep(50_000) }
        s.stop()
        events += s.poll().events
        XCTAssertGreaterThanOrEqual(inferences().count, 2)
        XCTAssertTrue(inferences().allSatisfy { $0.model == "efficientnet_lite0.tflite" && $0.backend == "int8" })
        let quality = events.compactMap { e -> QualityReport? in if case .quality(let q) = e { return q } else { return nil } }
        // The int8 kernels against the reference interpreter on the seeded input.
        XCTAssertEqual(quality.first?.model, "efficientnet_lite0.tflite")
        XCTAssertGreaterThan(quality.first?.cosine ?? 0, 0.999)
        XCTAssertEqual(quality.first?.top1Agree, true)
    }

    /// An int8 and an fp32 file of one model given together: once both have run on the
    /// images, a quality event gives how often their top classes were the same, with n.
    func testInt8AndFp32VariantsReportTheirAgreement() throws {
        let int8 = try ModelSpec.loadFile(try fetched("mobilenet_v1_int8.tflite"))
        let fp32 = try ModelSpec.loadFile(try fetched("mobilenet_v1_fp32.tflite"))
        XCTAssertEqual(ModelSpec.pairs([fp32, int8]).map { [$0.int8, $0.fp32] }, [[int8, fp32]])
        let shape = PlanFactory.model(int8).inputShape
        let inputs: [[Float]] = (0..<3).map { k in (0..<shape.count).map { Float(($0 * 7 + k * 131) % 256) } }
        // The expected agreement, from the plans run directly.
        func tops(_ spec: ModelSpec, _ backend: Backend) -> [Int] {
            let plan = TFLitePlan(spec: spec, backend: backend, threads: 1)
            return inputs.map { plan.setInput($0); plan.run(); return Quality.argmax(plan.logits()) }
        }
        let a = tops(int8, .int8), b = tops(fp32, .fp32)
        let expected = zip(a, b).filter { $0 == $1 }.count
        var setup = LiveSetup(model: int8, backend: .int8, threads: 1, targetFPS: 0, profile: nil,
                              sysroot: SysRoot(), sampleInterval: 0.2, recordingTo: nil)
        setup.models = [int8, fp32]
        setup.labelledInputs = LabelledInputs(labels: [0, 0, 0]) { _ in inputs }
        let s = LiveSession(setup: setup)
        s.start()
        var events: [Event] = []
        func reports() -> [QualityReport] { events.compactMap { if case .quality(let q) = $0 { return q } else { return nil } } }
        var end = Date().addingTimeInterval(60)
        while Date() < end && !reports().contains(where: { $0.accuracy?.images == 3 }) { events += s.poll().events; usleep(20_000) }
        s.handle(.cycleModel)
        end = Date().addingTimeInterval(60)
        while Date() < end && !reports().contains(where: { $0.agreement?.images == 3 }) { events += s.poll().events; usleep(20_000) }
        s.stop()
        events += s.poll().events
        let agreement = try XCTUnwrap(reports().last { $0.agreement != nil })
        XCTAssertEqual(agreement.model, "mobilenet_v1_int8.tflite")
        XCTAssertEqual(agreement.agreement, ImageAgreementCount(with: "mobilenet_v1_fp32.tflite", images: 3, top1: expected))
    }

    /// Profiling a file model records no layer table (its operators are not graph layers),
    /// rather than empty ones.
    func testProfilingAFileModelRecordsNoEmptyLayerTables() throws {
        let spec = try ModelSpec.loadFile(try fetched("mobilenet_v1_int8.tflite"))
        let loop = InferenceLoop(configuration: LoopConfiguration(model: spec, backend: .int8, threads: 1), measureQuality: false)
        loop.profileEvery = 1
        loop.start()
        let end = Date().addingTimeInterval(60)
        while Date() < end && loop.inferences < 3 { usleep(10_000) }
        loop.stop()
        XCTAssertGreaterThanOrEqual(loop.inferences, 3)
        XCTAssertEqual(loop.drain().first?.model, "mobilenet_v1_int8.tflite")
        XCTAssertTrue(loop.drainLayerProfiles().isEmpty)
    }
}
