import XCTest
import EdgeTrace
@testable import EdgeEmulation

/// The emulator as the inference loop and the sampler use it.
final class DeviceEmulatorTests: XCTestCase {
    /// Plays an inference loop on a virtual clock: each inference takes `latency` seconds at
    /// full speed, the hook says how long to idle after it. Returns frames per 10-second window.
    private func run(_ emu: DeviceEmulator, seconds: Double, latency: Double, loaded: (Double) -> Bool,
                     samples: inout [SystemSample]) -> [Int] {
        var t = 0.0, nextSample = 0.5
        var windows = Array(repeating: 0, count: Int(seconds / 10))
        while t < seconds {
            if loaded(t) {
                let extra = emu.slowdown(latencyNs: UInt64(latency * 1e9))
                t += latency + Double(extra) / 1e9
                if Int(t / 10) < windows.count { windows[Int(t / 10)] += 1 }
            } else {
                t += 0.05
            }
            while t >= nextSample { samples.append(emu.sample(t: nextSample)); nextSample += 0.5 }
        }
        return windows
    }

    func testThrottlingShowsAsAnFPSDropAndRecovers() throws {
        let profile = try ProfileLocator.load("a53-phone-2013", folders: [shippedProfilesFolder()])
        let emu = DeviceEmulator(profile: profile, threads: 4)
        var samples: [SystemSample] = []
        // 3 minutes of load, then 1 minute idle, then load again.
        let fps = run(emu, seconds: 300, latency: 0.05, loaded: { $0 < 180 || $0 >= 240 }, samples: &samples)
        // Full speed: 20 inferences per second, 200 per window.
        XCTAssertEqual(fps[0], 200, accuracy: 2)
        // Throttled at the end of the loaded stretch.
        XCTAssertLessThan(fps[16], 185)
        // After the idle minute, the first window of load runs at full speed again.
        XCTAssertEqual(fps[24], 200, accuracy: 2)

        let temps = samples.map { $0.temperatures[0].celsius }
        XCTAssertGreaterThan(temps.max()!, 75)
        XCTAssertLessThan(samples[470].temperatures[0].celsius, 60)   // t = 235 s, after idling
        let caps = samples.map { $0.frequency[0].curMHz }
        XCTAssertLessThan(caps.min()!, profile.maxMHz)
        XCTAssertTrue(samples.contains { $0.throttling.contains { $0.contains("(emulated)") } })
    }

    func testSamplesAreLabelledEmulated() throws {
        let profile = try ProfileLocator.load("flagship-sm8250", folders: [shippedProfilesFolder()])
        let emu = DeviceEmulator(profile: profile, threads: 2)
        _ = emu.slowdown(latencyNs: 250_000_000)
        let s = emu.sample(t: 0.5)
        XCTAssertEqual(s.t, 0.5)
        XCTAssertEqual(s.temperatures.count, 1)
        XCTAssertTrue(s.temperatures[0].emulated)
        XCTAssertTrue(s.temperatures[0].sensor.contains("(emulated)"))
        XCTAssertEqual(s.temperatures[0].passiveC, 90)
        XCTAssertEqual(s.frequency.count, 4)
        XCTAssertTrue(s.frequency.allSatisfy { $0.emulated && $0.curMHz == 2419.2 && $0.maxMHz == 2419.2 })
        // 0.25 s busy on 2 threads over 0.5 s: one core's worth, packed on core 0.
        XCTAssertEqual(s.load.map(\.user), [1, 0, 0, 0])
        // 0.5 W static + one core at the top clock, 1.2 W.
        XCTAssertEqual(s.power, [PowerReading(source: "soc (emulated)", watts: 1.7, emulated: true)])
    }

    func testHookIdlesInProportionToTheSlowdown() throws {
        // One step table where the governor must drop from 1000 to 500 MHz: the hook then
        // asks for as much idle as the inference itself took.
        let p = DeviceProfile(name: "t", cores: 1, freqStepsMHz: [500, 1000], staticPowerW: 0, corePowerW: 10,
                              ambientC: 25, thermalResistanceCPerW: 10, thermalCapacityJPerC: 1, passiveTripsC: [40])
        let emu = DeviceEmulator(profile: p)
        XCTAssertEqual(emu.slowdown(latencyNs: 1_000_000), 0)
        var t = 0.0
        while emu.slowdown < 2 && t < 60 {
            _ = emu.slowdown(latencyNs: 100_000_000)
            t += 0.1
            _ = emu.sample(t: t)
        }
        XCTAssertEqual(emu.slowdown, 2)
        XCTAssertEqual(emu.slowdown(latencyNs: 3_000_000), 3_000_000)
    }
}
