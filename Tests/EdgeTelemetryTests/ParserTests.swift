import XCTest
import EdgeTrace
@testable import EdgeTelemetry

/// The pure parsers on their own, including the edge cases a fixture tree does not show.
final class ParserTests: XCTestCase {
    func testProcStatDeltasSeparateEveryColumn() {
        let a = ProcStat.parse("cpu  0 0 0 0\ncpu0 100 10 50 1000 5 1 2 3 0 0\n")
        let b = ProcStat.parse("cpu  0 0 0 0\ncpu0 140 12 60 1030 9 2 4 3 7 0\n")
        let load = ProcStat.load(from: a, to: b)
        XCTAssertEqual(load.count, 1)
        // 40 + 2 + 10 + 30 + 4 + 1 + 2 + 0 = 89 ticks; guest (7) is already inside user.
        XCTAssertEqual(load[0].user, 40.0 / 89, accuracy: 1e-12)
        XCTAssertEqual(load[0].nice, 2.0 / 89, accuracy: 1e-12)
        XCTAssertEqual(load[0].system, 10.0 / 89, accuracy: 1e-12)
        XCTAssertEqual(load[0].iowait, 4.0 / 89, accuracy: 1e-12)
        XCTAssertEqual(load[0].irq, 1.0 / 89, accuracy: 1e-12)
        XCTAssertEqual(load[0].softirq, 2.0 / 89, accuracy: 1e-12)
        XCTAssertEqual(load[0].steal, 0)
        XCTAssertEqual(load[0].busy, 55.0 / 89, accuracy: 1e-12)
    }

    func testOfflineAndRestartedCoresReadAsZeroLoad() {
        let a = ProcStat.parse("cpu0 10 0 0 10\ncpu1 500 0 0 500\n")
        let b = ProcStat.parse("cpu0 20 0 0 20\ncpu1 5 0 0 5\ncpu3 1 0 0 1\n")
        let load = ProcStat.load(from: a, to: b)
        XCTAssertEqual(load.count, 4)
        XCTAssertEqual(load[0].user, 0.5, accuracy: 1e-12)
        XCTAssertEqual(load[1], CoreLoad())   // counters went backwards
        XCTAssertEqual(load[2], CoreLoad())   // offline in both
        XCTAssertEqual(load[3], CoreLoad())   // came online between the two
        XCTAssertEqual(ProcStat.load(from: [:], to: [:]), [])
    }

    func testOldKernelWithoutStealColumn() {
        let cores = ProcStat.parse("cpu0 1 2 3 4 5 6 7\n")
        XCTAssertEqual(cores[0], CPUTimes(user: 1, nice: 2, system: 3, idle: 4, iowait: 5, irq: 6, softirq: 7, steal: 0))
    }

    func testArmCoreNames() {
        let info = CPUInfo.parse("processor : 0\nCPU implementer : 0x41\nCPU part : 0xd03\n\nprocessor : 1\nCPU implementer : 0x51\nCPU part : 0x805\n")
        XCTAssertEqual(info.processors, 2)
        XCTAssertEqual(info.coreParts, ["Cortex-A53", "0x51:0x805"])
        XCTAssertEqual(info.coreSummary, "1× Cortex-A53 + 1× 0x51:0x805")
    }

    func testNaturalOrderOfZones() {
        let names = ["thermal_zone10", "thermal_zone2", "cooling_device0", "thermal_zone1"]
        XCTAssertEqual(names.sorted(by: SysRoot.naturalOrder), ["cooling_device0", "thermal_zone1", "thermal_zone2", "thermal_zone10"])
    }

    func testPresentCoreRanges() throws {
        let tree = try FixtureTree("vm-no-sensors")
        defer { tree.remove() }
        try "0-3,6,8-9\n".write(toFile: tree.root.resolve("/sys/devices/system/cpu/present"), atomically: true, encoding: .utf8)
        XCTAssertEqual(DeviceProbe.presentCores(tree.root), 7)
    }

    func testReadingsNoTraceCouldHoldAreLeftOutAndReported() throws {
        // A broken or hostile sysfs file (here a --sysroot tree) once went into recordings
        // as-is: 9.2e15 MHz, which `stats` then refused to read back.
        let tree = try FixtureTree("laptop-k10temp")
        defer { tree.remove() }
        try "9223372036854775807\n".write(toFile: tree.root.resolve("/sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq"),
                                           atomically: true, encoding: .utf8)
        var problems = ProblemLog()
        let f = FrequencyReader.read(tree.root, cores: 16, problems: &problems)
        XCTAssertEqual(f.count, 1, "the tree ends at the implausible core, as at a missing one")
        XCTAssertTrue(problems.entries.contains { $0.problem.contains("implausible frequency 9223372036854775807 kHz") }, "\(problems.entries)")
        let a = [EnergyCounter(domain: "package-0", microjoules: 0, rangeMicrojoules: nil)]
        let b = [EnergyCounter(domain: "package-0", microjoules: UInt64(Int64.max), rangeMicrojoules: nil)]
        XCTAssertEqual(RAPL.power(from: a, to: b, seconds: 0.001), [])
    }

    func testEnergyCountersToWatts() {
        let a = [EnergyCounter(domain: "package-0", microjoules: 1_000_000, rangeMicrojoules: 4_000_000),
                 EnergyCounter(domain: "dram", microjoules: 500, rangeMicrojoules: nil)]
        let b = [EnergyCounter(domain: "package-0", microjoules: 3_000_000, rangeMicrojoules: 4_000_000),
                 EnergyCounter(domain: "dram", microjoules: 100, rangeMicrojoules: nil),
                 EnergyCounter(domain: "new", microjoules: 9, rangeMicrojoules: nil)]
        // 2 J over 0.5 s; dram went backwards with no known range; "new" has no earlier reading.
        XCTAssertEqual(RAPL.power(from: a, to: b, seconds: 0.5), [PowerReading(source: "package-0", watts: 4)])
        let wrapped = [EnergyCounter(domain: "package-0", microjoules: 250_000, rangeMicrojoules: 4_000_000)]
        XCTAssertEqual(RAPL.power(from: b, to: wrapped, seconds: 1), [PowerReading(source: "package-0", watts: 1.25)])
        XCTAssertEqual(RAPL.power(from: a, to: b, seconds: 0), [])
    }

    func testThrottlingNeedsLoadAndMatchesCoreNumbers() {
        let freq = [CoreFrequency(curMHz: 1000, maxMHz: 2000), CoreFrequency(curMHz: 1000, maxMHz: 2000)]
        let load = [CoreLoad(user: 0.2), CoreLoad(user: 0.9)]
        XCTAssertEqual(Throttling.signals(load: load, frequency: freq, temperatures: []), ["cpu1 at 50% of max under load"])
        let hot = Temperature(sensor: "soc (emulated)", celsius: 71.25, passiveC: 70, emulated: true)
        XCTAssertEqual(Throttling.signals(load: [], frequency: [], temperatures: [hot]),
                       ["soc (emulated) 71.3 °C above passive trip 70 °C"])
    }
}
