@testable import EdgeInference
import EdgeKernels
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The loop's sampled per-layer profiling: one inference in N, every layer labelled with the
/// kernel that ran it, and the emulation hook's times in place of the measured ones.
final class LayerProfilingTests: XCTestCase {
    private let small = ModelSpec.mobileNetV1(width: 0.25, resolution: 128)

    private func waitFor(_ seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = MonotonicClock.now() + UInt64(seconds * 1e9)
        while MonotonicClock.now() < deadline {
            if condition() { return true }
            usleep(5000)
        }
        return condition()
    }

    func testOneInferenceInNIsProfiledWithEveryLayerLabelled() throws {
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .int8, threads: 1), measureQuality: false)
        loop.profileEvery = 4
        loop.start()
        defer { loop.stop() }
        XCTAssertTrue(waitFor { loop.inferences >= 40 })
        loop.pause()
        XCTAssertTrue(waitFor { loop.state == .paused })
        let records = loop.drain()
        let profiles = loop.drainLayerProfiles()
        XCTAssertEqual(profiles.count, records.count / 4, "\(records.count) inferences")
        let plan = PlanFactory.plan(for: small, backend: .int8, threads: 1)
        let p = try XCTUnwrap(profiles.first)
        XCTAssertEqual(p.layers.map(\.kernel), plan.layerKernels, "the true kernel of each layer")
        XCTAssertEqual(p.layers.map(\.name), plan.model.layers.map(\.name))
        XCTAssertEqual(p.layers.map(\.shape), plan.model.layers.map { $0.outputShape.description })
        XCTAssertFalse(p.emulated)
        XCTAssertEqual(p.peakGMACs != nil, CPUFeatures.host.hasVNNI512, "int8's peak is measured where vpdpbusd exists")
        // The layers of a profiled inference fit inside its record's latency.
        let timestamps = Set(records.map(\.timestampNs))
        for profile in profiles {
            XCTAssertTrue(timestamps.contains(profile.timestampNs), "a profile belongs to one recorded inference")
            let latency = records.first { $0.timestampNs == profile.timestampNs }!.latencyNs
            XCTAssertLessThanOrEqual(profile.layers.reduce(0) { $0 + $1.nanoseconds }, latency)
        }
        XCTAssertTrue(p.layers.allSatisfy { $0.nanoseconds > 0 })
    }

    func testProfilingOffProfilesNothing() {
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .int8, threads: 1), measureQuality: false)
        loop.start()
        defer { loop.stop() }
        XCTAssertTrue(waitFor { loop.inferences >= 10 })
        XCTAssertTrue(loop.drainLayerProfiles().isEmpty)
    }

    func testEmulationHookReplacesTheTimesAndMarksThemEmulated() throws {
        let loop = InferenceLoop(configuration: LoopConfiguration(model: small, backend: .fp32, threads: 1), measureQuality: false)
        loop.profileEvery = 1
        let model = small
        loop.emulateLayers = { configuration, measured in
            XCTAssertEqual(configuration.model, model)
            return measured.indices.map { UInt64($0 + 1) * 1000 }
        }
        loop.start()
        defer { loop.stop() }
        XCTAssertTrue(waitFor { loop.inferences >= 3 })
        loop.pause()
        let p = try XCTUnwrap(loop.drainLayerProfiles().first)
        XCTAssertTrue(p.emulated)
        XCTAssertNil(p.peakGMACs, "the host's peak is not the emulated device's")
        XCTAssertEqual(p.layers.map(\.nanoseconds), p.layers.indices.map { UInt64($0 + 1) * 1000 })
    }

    func testPeakProbeMeasuresWhatTheCPUHas() {
        let host = CPUFeatures.host
        XCTAssertEqual(PeakProbe.gmacs(.int8) != nil, host.hasVNNI512)
        XCTAssertEqual(PeakProbe.gmacs(.fp32) != nil, host.avx512f || host.hasAVX2FMA)
        XCTAssertNil(PeakProbe.gmacs(.fp32, features: .portable), "no probe for the portable kernels")
        if let p = PeakProbe.gmacs(.fp32) {
            // Two FMA ports of 16 lanes at 1-6 GHz: anything outside 4..400 GMAC/s is a broken count.
            XCTAssertTrue((4...400).contains(p), "\(p) GMAC/s")
        }
    }
}
