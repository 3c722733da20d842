import XCTest
import EdgeTrace
@testable import EdgeTelemetry

/// The whole sampler on each device tree: device info, per-core load from the two /proc/stat
/// snapshots, frequency, temperatures and throttling signals.
final class FixtureSamplerTests: XCTestCase {
    private func twoTicks(_ name: String) throws -> (SystemSampler, SystemSample) {
        let tree = try FixtureTree(name)
        addTeardownBlock { tree.remove() }
        let sampler = SystemSampler(root: tree.root)
        try tree.advance()
        return (sampler, sampler.sample(t: 1.0))
    }

    func testAndroidBigLittlePhone() throws {
        let (sampler, s) = try twoTicks("android-sm8350")
        XCTAssertEqual(sampler.device.cpuModel, "Qualcomm Technologies, Inc SM8350 (4× Cortex-A55 + 3× Cortex-A78 + 1× Cortex-X1)")
        XCTAssertEqual(sampler.device.cores, 8)
        XCTAssertEqual(sampler.device.os, "Android 13")
        XCTAssertEqual(sampler.device.kernel, "5.4.210-qgki-g1a2b3c4d5e6f")
        XCTAssertTrue(sampler.device.hasThermalSensors)

        XCTAssertEqual(s.t, 1.0)
        XCTAssertEqual(s.load.count, 8)
        XCTAssertEqual(s.load[0].user, 0.12, accuracy: 1e-9)
        XCTAssertEqual(s.load[0].system, 0.05, accuracy: 1e-9)
        XCTAssertEqual(s.load[0].iowait, 0.01, accuracy: 1e-9)
        XCTAssertEqual(s.load[0].busy, 0.18, accuracy: 1e-9)
        XCTAssertEqual(s.load[6].nice, 0.04, accuracy: 1e-9)
        XCTAssertEqual(s.load[7].busy, 1.0, accuracy: 1e-9)
        XCTAssertEqual(s.load[7].irq, 0.01, accuracy: 1e-9)

        XCTAssertEqual(s.frequency.map(\.maxMHz), [1804.8, 1804.8, 1804.8, 1804.8, 2419.2, 2419.2, 2419.2, 2995.2])
        XCTAssertEqual(s.frequency[7].curMHz, 2035.2, accuracy: 1e-9)
        XCTAssertEqual(Set(s.frequency.compactMap(\.governor)), ["schedutil"])
        XCTAssertFalse(s.frequency.contains { $0.emulated })

        XCTAssertEqual(s.temperatures.map(\.sensor), [
            "aoss0-usr", "cpu-0-0-usr", "cpu-0-1-usr", "cpu-0-2-usr", "cpu-0-3-usr", "cpu-1-0-usr",
            "cpu-1-2-usr", "cpu-1-4-usr", "cpu-1-6-usr", "gpu-usr", "battery", "xo-therm", "skin-therm"])
        let prime = try XCTUnwrap(s.temperatures.first { $0.sensor == "cpu-1-6-usr" })
        XCTAssertEqual(prime.celsius, 91.4, accuracy: 1e-9)
        XCTAssertEqual(prime.passiveC, 90)
        XCTAssertEqual(prime.criticalC, 110)
        let battery = try XCTUnwrap(s.temperatures.first { $0.sensor == "battery" })
        XCTAssertEqual(battery.celsius, 33.1, accuracy: 1e-9)
        XCTAssertNil(battery.passiveC)
        XCTAssertNil(battery.criticalC)
        // An "active" (fan) trip is not a throttling point.
        XCTAssertNil(s.temperatures.first { $0.sensor == "xo-therm" }?.passiveC)

        XCTAssertEqual(s.throttling, ["cpu7 at 68% of max under load",
                                      "cpu-1-6-usr 91.4 °C above passive trip 90 °C",
                                      "cpu7 capped at 2035.2 MHz of 2995.2 MHz",
                                      "cooling device cpu-cluster2-0 at state 4 of 17"])
        XCTAssertEqual(sampler.problems.entries, [])
    }

    func testRaspberryPi4() throws {
        let (sampler, s) = try twoTicks("raspberrypi4")
        XCTAssertEqual(sampler.device.cpuModel, "Raspberry Pi 4 Model B Rev 1.4 (4× Cortex-A72)")
        XCTAssertEqual(sampler.device.cores, 4)
        XCTAssertEqual(sampler.device.os, "Debian GNU/Linux 12 (bookworm)")
        XCTAssertEqual(sampler.device.kernel, "6.6.31+rpt-rpi-v8")

        XCTAssertEqual(s.load.map { ($0.busy * 100).rounded() }, [100, 99, 98, 3])
        XCTAssertEqual(s.load[3].iowait, 0.01, accuracy: 1e-9)
        XCTAssertEqual(s.frequency.map(\.curMHz), [1000, 1000, 1000, 1000])
        XCTAssertEqual(s.frequency.first?.governor, "ondemand")
        // Only the zone: its thermal_hwmon mirror "cpu_thermal" is not counted twice, and
        // rpi_volt has no temperature.
        XCTAssertEqual(s.temperatures, [Temperature(sensor: "cpu-thermal", celsius: 81.328, passiveC: nil, criticalC: 110)])
        XCTAssertEqual(s.throttling, ["cpu0 at 67% of max under load", "cpu1 at 67% of max under load",
                                      "cpu2 at 67% of max under load"])
    }

    func testLaptopWithCoretemp() throws {
        let (sampler, s) = try twoTicks("laptop-coretemp")
        XCTAssertEqual(sampler.device.cpuModel, "Intel(R) Core(TM) i7-8565U CPU @ 1.80GHz")
        XCTAssertEqual(sampler.device.cores, 8)
        XCTAssertEqual(sampler.device.os, "Ubuntu 22.04.4 LTS")
        XCTAssertEqual(s.load.count, 8)
        XCTAssertEqual(s.load[0].user, 0.72, accuracy: 1e-9)
        XCTAssertEqual(s.load[2].nice, 0.15, accuracy: 1e-9)
        XCTAssertEqual(s.load[4].softirq, 0.07, accuracy: 1e-9)
        XCTAssertEqual(s.load[5].busy, 0, accuracy: 1e-12)
        XCTAssertEqual(s.frequency[0].curMHz, 3900.012, accuracy: 1e-9)
        XCTAssertEqual(s.frequency[0].maxMHz, 4600)
        XCTAssertEqual(s.frequency[0].governor, "powersave")

        XCTAssertEqual(s.temperatures.map(\.sensor), [
            "acpitz", "INT3400 Thermal", "pch_cannonlake", "x86_pkg_temp",
            "coretemp Package id 0", "coretemp Core 0", "coretemp Core 1", "coretemp Core 2", "coretemp Core 3",
            "iwlwifi_1 temp1"])
        let pkg = try XCTUnwrap(s.temperatures.first { $0.sensor == "coretemp Package id 0" })
        XCTAssertEqual(pkg.celsius, 71)
        XCTAssertEqual(pkg.criticalC, 100)
        // x86_pkg_temp's trips read 0, which means "not set", not "throttle above 0 °C".
        XCTAssertNil(s.temperatures.first { $0.sensor == "x86_pkg_temp" }?.passiveC)
        XCTAssertEqual(s.temperatures.first?.criticalC, 98)
        // The running fan is not throttling; the processor cooling device is at state 0.
        XCTAssertEqual(s.throttling, ["cpu0 at 85% of max under load", "cpu4 at 85% of max under load"])
        // RAPL over the one-second tick; the package counter wrapped at its range.
        XCTAssertEqual(s.power, [PowerReading(source: "package-0", watts: 11.5), PowerReading(source: "psys", watts: 15.02),
                                 PowerReading(source: "package-0 core", watts: 9.25),
                                 PowerReading(source: "package-0 uncore", watts: 0.31)])
    }

    func testLaptopWithK10temp() throws {
        let (sampler, s) = try twoTicks("laptop-k10temp")
        XCTAssertEqual(sampler.device.cpuModel, "AMD Ryzen 7 7745HX with Radeon Graphics")
        XCTAssertEqual(sampler.device.cores, 16)
        XCTAssertEqual(sampler.device.os, "Fedora Linux 40 (Workstation Edition)")
        XCTAssertEqual(s.load.count, 16)
        XCTAssertEqual(s.load[0].busy, 1, accuracy: 1e-9)
        XCTAssertEqual(s.load[9].busy, 0.05, accuracy: 1e-9)
        XCTAssertEqual(s.load[15].busy, 0, accuracy: 1e-12)
        XCTAssertEqual(s.frequency.count, 16)
        XCTAssertEqual(s.temperatures, [
            Temperature(sensor: "nvme Composite", celsius: 38.85, criticalC: 84.85),
            Temperature(sensor: "k10temp Tctl", celsius: 88.625),
            Temperature(sensor: "k10temp Tccd1", celsius: 86.5),
            Temperature(sensor: "amdgpu edge", celsius: 47, criticalC: 100),
        ])
        XCTAssertEqual(s.throttling, [])
        // amdgpu's hwmon meter: the average (35.125 W), not the instantaneous input beside it.
        XCTAssertEqual(s.power, [PowerReading(source: "amdgpu PPT", watts: 35.125)])
    }

    func testMachineWithoutSensorsShowsNoTemperature() throws {
        let (sampler, s) = try twoTicks("vm-no-sensors")
        XCTAssertEqual(sampler.device.cpuModel, "AMD EPYC 9B14")
        XCTAssertEqual(sampler.device.cores, 2)
        XCTAssertFalse(sampler.device.hasThermalSensors)
        XCTAssertEqual(s.temperatures, [])
        XCTAssertEqual(s.frequency, [])
        XCTAssertEqual(s.load.count, 2)
        XCTAssertEqual(s.load[0].steal, 0.02, accuracy: 1e-9)
        XCTAssertEqual(s.load[0].busy, 0.52, accuracy: 1e-9)
        XCTAssertEqual(sampler.problems.entries, [])
    }

    func testEmptyTreeNeverCrashesAndInventsNothing() throws {
        let (sampler, s) = try twoTicks("empty")
        XCTAssertEqual(sampler.device, DeviceInfo(cpuModel: "unknown", cores: 0, os: "unknown", kernel: "unknown", hasThermalSensors: false))
        XCTAssertEqual(s, SystemSample(t: 1))
        XCTAssertTrue(sampler.problems.mentions("/proc/stat"))
        XCTAssertTrue(sampler.problems.mentions("/proc/cpuinfo"))
    }

    func testMalformedFilesAreSkippedAndRecorded() throws {
        let (sampler, s) = try twoTicks("malformed")
        XCTAssertEqual(sampler.device.cpuModel, "unknown")
        XCTAssertEqual(sampler.device.os, "unknown")
        XCTAssertEqual(sampler.device.kernel, "unknown")
        // Only cpu0 parsed; its delta is 10 user, 5 system, 70 idle ticks.
        XCTAssertEqual(s.load.count, 1)
        XCTAssertEqual(s.load[0].user, 10.0 / 85, accuracy: 1e-12)
        XCTAssertEqual(s.frequency, [])
        XCTAssertEqual(s.temperatures, [
            Temperature(sensor: "good-zone", celsius: 45),
            Temperature(sensor: "thermal_zone3", celsius: 38),
            Temperature(sensor: "evil?[2Jzone", celsius: 30),
            Temperature(sensor: "broken temp2", celsius: 51),
            Temperature(sensor: "hwmon1 temp1", celsius: 40),
        ])
        let problems = sampler.problems.entries.map { "\($0.path): \($0.problem)" }
        for expected in [
            "/proc/cpuinfo: missing or empty",
            "/proc/sys/kernel/osrelease: empty",
            "/proc/stat: line 3: cpu1 counters are not numbers",
            "/proc/stat: line 4: unknown CPU name \"cpuX\"",
            "/proc/stat: line 5: cpu2 counters are not numbers",
            "/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq: not a frequency in kHz: \"abc\"",
            "/sys/class/thermal/thermal_zone0/trip_point_0_temp: not a temperature in m°C",
            "/sys/class/thermal/thermal_zone1/temp: not a temperature in m°C: \"hot!\"",
            "/sys/class/thermal/thermal_zone2/temp: empty",
            "/sys/class/thermal/thermal_zone4/temp: implausible reading -274000 m°C",
            "/sys/class/thermal/thermal_zone6/temp: missing",
            "/sys/class/hwmon/hwmon0/temp1_input: not a temperature in m°C: \"N/A\"",
            "/sys/class/hwmon/hwmon0/temp2_crit: not a temperature in m°C",
            "/sys/class/thermal/cooling_device0/cur_state: not a cooling state",
            "/sys/class/powercap/intel-rapl:0/energy_uj: not an energy in µJ",
            "/sys/class/hwmon/hwmon0/power1_input: not a power in µW",
        ] {
            XCTAssertTrue(problems.contains(expected), "missing problem: \(expected)\nhave: \(problems)")
        }
        // A second tick repeats the same problems: counted, not duplicated.
        let before = sampler.problems.entries.count
        _ = sampler.sample(t: 2)
        XCTAssertEqual(sampler.problems.entries.count, before)
        XCTAssertGreaterThan(sampler.problems.total, before)
    }

    func testRealRootOfThisMachine() {
        let sampler = SystemSampler()
        usleep(50_000)
        let s = sampler.sample(t: 0.05)
        XCTAssertGreaterThan(sampler.device.cores, 0)
        XCTAssertNotEqual(sampler.device.kernel, "unknown")
        XCTAssertFalse(s.load.isEmpty)
        for load in s.load { XCTAssertTrue((0...1.0000001).contains(load.busy), "\(load)") }
        let hasZones = SysRoot().list("/sys/class/thermal").contains { $0.hasPrefix("thermal_zone") }
        let hasHwmon = !SysRoot().list("/sys/class/hwmon").isEmpty
        if !hasZones && !hasHwmon {
            XCTAssertEqual(s.temperatures, [])
            XCTAssertFalse(sampler.device.hasThermalSensors)
        }
    }
}
