import XCTest
import EdgeInference
@testable import EdgeEmulation

/// The real inference loop driven by the emulator, as `--emulate` wires them.
final class EmulatedLoopTests: XCTestCase {
    func testRecordsCarryTheDevicesLatencyNotThisMachines() throws {
        let p = try ProfileLocator.load("a53-phone-2013", folders: [shippedProfilesFolder()])
        let emu = DeviceEmulator(profile: p)
        let spec = ModelSpec.mobileNetV1(width: 0.25, resolution: 128)
        let loop = InferenceLoop(configuration: LoopConfiguration(model: spec, backend: .int8, threads: 1),
                                 measureQuality: false)
        loop.slowdown = { configuration, latencyNs in
            emu.idle(after: DeviceWorkload(spec: configuration.model, backend: configuration.backend),
                     threads: configuration.threads, hostLatencyNs: latencyNs)
        }
        loop.start()
        defer { loop.stop() }
        let deadline = Date().addingTimeInterval(60)
        while loop.inferences < 4 && Date() < deadline { usleep(10_000) }
        loop.pause()
        while loop.state != .paused && Date() < deadline { usleep(10_000) }
        let records = loop.drain()
        XCTAssertGreaterThanOrEqual(records.count, 3)
        // The phone's time for this model on one core, from the profile's rates: many times
        // this machine's, so the host's time is kept only for a frame this machine was stalled on.
        let device = emu.deviceLatencyNs(DeviceWorkload(spec: spec, backend: .int8), threads: 1)
        for r in records { XCTAssertGreaterThanOrEqual(r.latencyNs, device) }
        XCTAssertGreaterThanOrEqual(records.filter { $0.latencyNs == device }.count, records.count - emu.counts.hostBound)
        XCTAssertEqual(Double(device) / 1e9, p.inferenceSeconds(DeviceWorkload(spec: spec, backend: .int8), threads: 1),
                       accuracy: 1e-9)
        // Frames follow one another no faster than the device allows (the last frame's idle
        // may be cut short by the pause).
        for (a, b) in zip(records, records.dropFirst()).dropLast() {
            XCTAssertGreaterThanOrEqual(b.timestampNs - a.timestampNs, device)
        }
    }
}
