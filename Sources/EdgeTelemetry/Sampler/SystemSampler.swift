import EdgeTrace

/// Produces one `SystemSample` per tick from the files under a `SysRoot`.
///
/// It keeps the previous /proc/stat snapshot and RAPL energy counters, so each sample's
/// load and power cover the interval since the previous call (the first covers the time
/// since creation, taken as `t` = `startT`). Not thread-safe: one sampling thread owns it.
public final class SystemSampler {
    /// Where /proc and /sys are read.
    public let root: SysRoot
    /// Files that could not be used so far.
    public private(set) var problems = ProblemLog()
    /// The machine, probed once at creation.
    public private(set) var device: DeviceInfo
    private var previousStat: [Int: CPUTimes]
    private var previousEnergy: [EnergyCounter]
    private var previousT: Double

    /// A sampler over `root` (the real machine by default); reads the first /proc/stat and
    /// energy counters now, at session time `startT`.
    public init(root: SysRoot = SysRoot(), startT: Double = 0) {
        self.root = root
        var log = ProblemLog()
        device = DeviceProbe.probe(root, problems: &log)
        previousEnergy = RAPL.read(root, problems: &log)
        previousStat = [:]
        previousT = startT
        problems = log
        previousStat = readStat()
    }

    /// Reads everything once and returns it stamped with `t` (seconds since session start).
    public func sample(t: Double) -> SystemSample {
        let stat = readStat()
        let load = ProcStat.load(from: previousStat, to: stat)
        previousStat = stat
        let cores = max(device.cores, load.count)
        let frequency = FrequencyReader.read(root, cores: cores, problems: &problems)
        let temperatures = ThermalReader.read(root, problems: &problems)
        let throttling = Throttling.signals(load: load, frequency: frequency, temperatures: temperatures)
            + Throttling.kernelSignals(root, cores: cores, problems: &problems)
        let energy = RAPL.read(root, problems: &problems)
        let power = RAPL.power(from: previousEnergy, to: energy, seconds: t - previousT)
            + HwmonPower.read(root, problems: &problems)
        previousEnergy = energy
        previousT = t
        return SystemSample(t: t, load: load, frequency: frequency, temperatures: temperatures,
                            throttling: throttling, power: power)
    }

    private func readStat() -> [Int: CPUTimes] {
        switch root.read("/proc/stat") {
        case .text(let text):
            let stat = ProcStat.parse(text) { problems.report("/proc/stat", $0) }
            if stat.isEmpty { problems.report("/proc/stat", "no per-core cpuN lines") }
            return stat
        case .missing:
            problems.report("/proc/stat", "missing"); return [:]
        case .unreadable(let why):
            problems.report("/proc/stat", why); return [:]
        }
    }
}
