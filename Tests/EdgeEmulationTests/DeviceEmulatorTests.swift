import XCTest
import EdgeInference
import EdgeTrace
@testable import EdgeEmulation

/// The emulator as the inference loop and the sampler use it.
final class DeviceEmulatorTests: XCTestCase {
    private func profile(_ name: String) throws -> DeviceProfile {
        try ProfileLocator.load(name, folders: [shippedProfilesFolder()])
    }

    /// One emulated frame: when it ended, the clock cap it ran at, and its latency.
    private struct Frame { var end: Double; var capMHz: Double; var latency: Double }

    /// Plays an inference loop on a virtual clock: each inference of `work` takes `host(i)`
    /// seconds on this machine and the emulator says how long to idle after it. A system
    /// sample every 0.5 s advances the thermal model, as the sampler thread does.
    private func run(_ emu: DeviceEmulator, work: DeviceWorkload, threads: Int, seconds: Double,
                     host: (Int) -> Double = { _ in 0.001 }, loaded: (Double) -> Bool = { _ in true },
                     samples: inout [SystemSample]) -> [Frame] {
        var t = 0.0, nextSample = 0.5, frames: [Frame] = []
        while t < seconds {
            if loaded(t) {
                let cap = emu.model.capMHz
                let h = host(frames.count)
                let extra = emu.idle(after: work, threads: threads, hostLatencyNs: UInt64((h * 1e9).rounded()))
                let latency = h + Double(extra) / 1e9
                t += latency
                frames.append(Frame(end: t, capMHz: cap, latency: latency))
            } else {
                t += 0.05
            }
            while t >= nextSample { samples.append(emu.sample(t: nextSample)); nextSample += 0.5 }
        }
        return frames
    }

    /// The expected time of `model` on `backend` from the profile's figures, summed here
    /// layer by layer independently of `DeviceWorkload`.
    private func expectedSeconds(_ model: Model, backend: Backend, profile p: DeviceProfile, threads: Int) -> Double {
        let r = backend == .int8 ? p.compute.int8 : p.compute.fp32
        let bytes = backend == .int8 ? 1.0 : 4.0
        var oneCore = 0.0
        for layer in model.layers {
            switch layer.operation {
            case .convolution(let c) where c.isDepthwise: oneCore += Double(layer.macs) / (r.depthwiseGMACs * 1e9)
            case .convolution(let c) where c.kernelHeight == 1 && c.kernelWidth == 1:
                oneCore += Double(layer.macs) / (r.conv1x1GMACs * 1e9)
            case .convolution: oneCore += Double(layer.macs) / (r.convGMACs * 1e9)
            case .fullyConnected: oneCore += Double(layer.macs) / (r.fullyConnectedGMACs * 1e9)
            case .add: oneCore += 3 * Double(layer.outputShape.count) * bytes / (r.elementwiseGBps * 1e9)
            case .maxPool, .globalAveragePool:
                oneCore += Double(layer.inputShape.count + layer.outputShape.count) * bytes / (r.elementwiseGBps * 1e9)
            }
        }
        let cores = min(threads, p.cores)
        return oneCore / (1 + Double(cores - 1) * p.compute.parallelEfficiency)
    }

    func testMobileNetV1Int8OnTheA53ProfileTakesThePhonesTime() throws {
        let p = try profile("a53-phone-2013")
        let model = ModelSpec.mobileNetV1(width: 1.0, resolution: 224).build()
        let work = DeviceWorkload(model: model, backend: .int8)
        for threads in [1, 2, 4] {
            let expected = expectedSeconds(model, backend: .int8, profile: p, threads: threads)
            let emu = DeviceEmulator(profile: p)
            // This machine takes 2 ms; the phone's time is what the frame lasts.
            let extra = emu.idle(after: work, threads: threads, hostLatencyNs: 2_000_000)
            let emulated = (2e6 + Double(extra)) / 1e9
            XCTAssertEqual(emulated, expected, accuracy: expected * 0.10, "threads \(threads)")
        }
        // The profile is calibrated on XNNPACK's Raspberry Pi 3+ figures (4x A53 at 1.4 GHz,
        // four threads: 46 ms int8, 114 ms fp32) scaled to this profile's 1.2096 GHz.
        let int8 = p.inferenceSeconds(work, threads: 4)
        XCTAssertEqual(int8, 0.046 * 1400 / p.maxMHz, accuracy: 0.046 * 1400 / p.maxMHz * 0.10)
        let fp32 = p.inferenceSeconds(DeviceWorkload(model: model, backend: .fp32), threads: 4)
        XCTAssertEqual(fp32, 0.114 * 1400 / p.maxMHz, accuracy: 0.114 * 1400 / p.maxMHz * 0.10)
        XCTAssertEqual(fp32, expectedSeconds(model, backend: .fp32, profile: p, threads: 4), accuracy: fp32 * 1e-9)
        // The flagship is an order of magnitude faster, a few milliseconds.
        let flagship = try profile("flagship-sm8250").inferenceSeconds(work, threads: 4)
        XCTAssertTrue((0.002...0.010).contains(flagship), "\(flagship)")
    }

    func testFPSStepAtEachTripFollowsTheClockTableWhateverTheHost() throws {
        let p = try profile("a53-phone-2013")
        let work = DeviceWorkload(spec: .mobileNetV1(width: 1.0, resolution: 224), backend: .int8)
        var samples: [SystemSample] = []
        let frames = run(DeviceEmulator(profile: p), work: work, threads: 4, seconds: 240, samples: &samples)
        // Every frame lasts the device's time at the cap it ran at: T_max × f_max / f_cap.
        let atMax = p.inferenceSeconds(work, threads: 4)
        for f in frames { XCTAssertEqual(f.latency, atMax * p.maxMHz / f.capMHz, accuracy: 1e-9) }
        // The die reaches the trip and the clock steps down; at each step the FPS falls by
        // exactly the ratio of the two clock steps.
        let caps = frames.map(\.capMHz)
        XCTAssertLessThan(caps.min()!, p.maxMHz)
        var steps = 0
        for (a, b) in zip(frames, frames.dropFirst()) where a.capMHz != b.capMHz {
            XCTAssertEqual((1 / b.latency) / (1 / a.latency), b.capMHz / a.capMHz, accuracy: 1e-6)
            XCTAssertTrue(p.freqStepsMHz.contains(b.capMHz))
            steps += 1
        }
        XCTAssertGreaterThan(steps, 0)
        // The first throttle comes once four busy cores have heated the die past the trip:
        // about 37 s with this profile's circuit, whatever this machine does.
        let firstDrop = try XCTUnwrap(frames.first { $0.capMHz < p.maxMHz })
        XCTAssertEqual(firstDrop.end, 37, accuracy: 3)
        // The heat comes from the device's own busy time, so nothing moves with
        // this machine's speed or thread count: a host four times slower (still faster than
        // the phone), or more threads than the phone has cores, give the same frames.
        var other: [SystemSample] = []
        let slowHost = run(DeviceEmulator(profile: p), work: work, threads: 16, seconds: 240,
                           host: { i in 0.004 + 0.004 * Double(i % 3) }, samples: &other)
        XCTAssertEqual(slowHost.count, frames.count)
        XCTAssertEqual(slowHost.map(\.capMHz), caps)
        for (a, b) in zip(frames, slowHost) { XCTAssertEqual(a.end, b.end, accuracy: 1e-6) }
    }

    func testThrottlingShowsAsAnFPSDropAndRecovers() throws {
        let p = try profile("a53-phone-2013")
        let work = DeviceWorkload(spec: .mobileNetV1(width: 1.0, resolution: 224), backend: .int8)
        var samples: [SystemSample] = []
        // 3 minutes of load, then 1 minute idle, then load again.
        let frames = run(DeviceEmulator(profile: p), work: work, threads: 4, seconds: 300,
                         loaded: { $0 < 180 || $0 >= 240 }, samples: &samples)
        func fps(_ window: Int) -> Int { frames.filter { Int($0.end / 10) == window }.count }
        // Full speed: 10 s / the phone's latency at the top clock, less the frame cut by the
        // window's end and, after an idle stretch, the part of a 50 ms idle step before it.
        let full = 10 / p.inferenceSeconds(work, threads: 4)
        func fullSpeed(_ window: Int) -> Bool { Double(fps(window)) > full - 2 && Double(fps(window)) <= full }
        XCTAssertTrue(fullSpeed(0), "\(fps(0)) frames, \(full) at full speed")
        // Throttled at the end of the loaded stretch.
        XCTAssertLessThan(Double(fps(16)), full * 0.97)
        // After the idle minute, the first window of load runs at full speed again.
        XCTAssertTrue(fullSpeed(24), "\(fps(24)) frames, \(full) at full speed")

        let temps = samples.map { $0.temperatures[0].celsius }
        XCTAssertGreaterThan(temps.max()!, 75)
        XCTAssertLessThan(samples[470].temperatures[0].celsius, 60)   // t = 235 s, after idling
        XCTAssertTrue(samples.contains { $0.throttling.contains { $0.contains("(emulated)") } })
        // Four busy phone cores show as four busy cores, whatever this machine has.
        XCTAssertEqual(samples[10].load.map(\.user), [1, 1, 1, 1])
    }

    func testSamplesAreLabelledEmulated() throws {
        let p = try profile("flagship-sm8250")
        let emu = DeviceEmulator(profile: p)
        // Work that takes the device 0.25 s on two threads (two cores).
        let macs = 0.25 * p.compute.int8.conv1x1GMACs * 1e9 * p.compute.speedup(cores: 2)
        let work = DeviceWorkload(precision: .int8, amounts: [.conv1x1: macs])
        XCTAssertEqual(emu.idle(after: work, threads: 2, hostLatencyNs: 10_000_000), 240_000_000)
        let s = emu.sample(t: 0.5)
        XCTAssertEqual(s.t, 0.5)
        XCTAssertEqual(s.temperatures.count, 1)
        XCTAssertTrue(s.temperatures[0].emulated)
        XCTAssertTrue(s.temperatures[0].sensor.contains("(emulated)"))
        XCTAssertEqual(s.temperatures[0].passiveC, 90)
        XCTAssertEqual(s.frequency.count, 4)
        XCTAssertTrue(s.frequency.allSatisfy { $0.emulated && $0.curMHz == 2419.2 && $0.maxMHz == 2419.2 })
        // 0.25 s busy on 2 cores over 0.5 s: one core's worth, packed on core 0.
        XCTAssertEqual(s.load.map(\.user), [1, 0, 0, 0])
        // 0.5 W static + one core at the top clock, 1.2 W.
        XCTAssertEqual(s.power, [PowerReading(source: "soc (emulated)", watts: 1.7, emulated: true)])
    }

    func testHostTimeIsTheFloorAndThrottlingStretchesTheDeviceTime() throws {
        // One step table where the governor must drop from 1000 to 500 MHz: the device's
        // time then doubles.
        let p = DeviceProfile(name: "t", cores: 1, freqStepsMHz: [500, 1000], staticPowerW: 0, corePowerW: 10,
                              ambientC: 25, thermalResistanceCPerW: 10, thermalCapacityJPerC: 1, passiveTripsC: [40],
                              compute: unitCompute)
        let emu = DeviceEmulator(profile: p)
        // 3 MMACs at 1 GMAC/s: 3 ms on the device.
        let work = DeviceWorkload(precision: .fp32, amounts: [.conv: 3e6])
        XCTAssertEqual(emu.idle(after: work, threads: 1, hostLatencyNs: 1_000_000), 2_000_000)
        // A host slower than the device: no idle, and the run is counted as host-bound.
        XCTAssertEqual(emu.idle(after: work, threads: 1, hostLatencyNs: 5_000_000), 0)
        XCTAssertEqual(emu.counts.inferences, 2)
        XCTAssertEqual(emu.counts.hostBound, 1)
        let heavy = DeviceWorkload(precision: .fp32, amounts: [.conv: 1e8])
        var t = 0.0
        while emu.slowdown < 2 && t < 60 {
            _ = emu.idle(after: heavy, threads: 1, hostLatencyNs: 0)
            t += 0.1
            _ = emu.sample(t: t)
        }
        XCTAssertEqual(emu.slowdown, 2)
        XCTAssertEqual(emu.deviceLatencyNs(work, threads: 1), 6_000_000)
        XCTAssertEqual(emu.idle(after: work, threads: 1, hostLatencyNs: 1_000_000), 5_000_000)
    }

    func testWorkloadCountsEveryLayerByKind() {
        let model = ModelSpec.mobileNetV1(width: 1.0, resolution: 224).build()
        let int8 = DeviceWorkload(model: model, backend: .int8)
        XCTAssertEqual(int8.precision, .int8)
        let macs = [OperatorClass.conv1x1, .depthwise, .conv, .fullyConnected].map { int8.amounts[$0] ?? 0 }
        XCTAssertEqual(macs.reduce(0, +), Double(model.macs))
        XCTAssertEqual(int8.amounts[.conv], 10_838_016)          // the 3×3 stem, 3 → 32 channels
        XCTAssertEqual(int8.amounts[.depthwise], 17_385_984)
        XCTAssertEqual(int8.amounts[.fullyConnected], 1_024_000)
        // The average pool reads 7×7×1024 and writes 1024 values: one byte each in int8,
        // four in fp32 (the reference backend is costed as fp32).
        XCTAssertEqual(int8.amounts[.elementwise], 51_200)
        XCTAssertEqual(DeviceWorkload(model: model, backend: .ref).amounts[.elementwise], 204_800)
        XCTAssertEqual(DeviceWorkload(model: model, backend: .ref).precision, .fp32)
    }
}
