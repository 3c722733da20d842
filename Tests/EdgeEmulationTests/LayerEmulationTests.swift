import EdgeEmulation
import EdgeInference
import XCTest

/// The emulated device's per-layer times behind the layer table under `--emulate`: each
/// layer costed alone by the profile's compute model, adding up to the emulated inference.
final class LayerEmulationTests: XCTestCase {
    func testPerLayerWorkAddsUpToTheWholeInference() throws {
        let profile = try ProfileLocator.load("a53-phone-2013", folders: [shippedProfilesFolder()])
        let spec = ModelSpec.mobileNetV1(width: 0.25, resolution: 128)
        for backend in [Backend.int8, .fp32] {
            let layers = DeviceWorkload.layers(spec: spec, backend: backend)
            XCTAssertEqual(layers.count, PlanFactory.model(spec).layers.count)
            let whole = DeviceWorkload(spec: spec, backend: backend)
            var summed: [OperatorClass: Double] = [:]
            for l in layers { for (k, v) in l.amounts { summed[k, default: 0] += v } }
            XCTAssertEqual(summed, whole.amounts, "\(backend)")
            let emulator = DeviceEmulator(profile: profile)
            let perLayer = emulator.layerLatenciesNs(layers, threads: 1)
            let total = Double(emulator.deviceLatencyNs(whole, threads: 1))
            // Each layer is rounded to a nanosecond on its own.
            XCTAssertEqual(Double(perLayer.reduce(0, +)), total, accuracy: Double(layers.count), "\(backend)")
            // A 1x1 layer and a depthwise one are costed at their own rates: equal MACs would not take equal time.
            XCTAssertTrue(perLayer.allSatisfy { $0 > 0 })
        }
    }

    func testAThrottledDeviceIsSlowerLayerByLayer() throws {
        let profile = try ProfileLocator.load("a53-phone-2013", folders: [shippedProfilesFolder()])
        let layers = DeviceWorkload.layers(spec: .mobileNetV1(width: 0.25, resolution: 128), backend: .int8)
        let emulator = DeviceEmulator(profile: profile)
        let cool = emulator.layerLatenciesNs(layers, threads: 1)
        let four = emulator.layerLatenciesNs(layers, threads: 4)
        XCTAssertTrue(zip(cool, four).allSatisfy { $0 >= $1 }, "more cores never make a layer slower")
        XCTAssertLessThan(four.reduce(0, +), cool.reduce(0, +))
    }
}
