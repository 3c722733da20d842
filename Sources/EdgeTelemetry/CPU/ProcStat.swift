import EdgeTrace

/// Cumulative time counters of one core from a `cpuN` line of /proc/stat, in USER_HZ ticks.
///
/// Guest time is already included in `user` (and guest_nice in `nice`) by the kernel, so the
/// guest columns are read but not added again.
public struct CPUTimes: Sendable, Equatable {
    public var user: UInt64
    public var nice: UInt64
    public var system: UInt64
    public var idle: UInt64
    public var iowait: UInt64
    public var irq: UInt64
    public var softirq: UInt64
    public var steal: UInt64

    public init(user: UInt64 = 0, nice: UInt64 = 0, system: UInt64 = 0, idle: UInt64 = 0,
                iowait: UInt64 = 0, irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0) {
        self.user = user; self.nice = nice; self.system = system; self.idle = idle
        self.iowait = iowait; self.irq = irq; self.softirq = softirq; self.steal = steal
    }

    /// Every tick counted, idle included.
    public var total: UInt64 { user &+ nice &+ system &+ idle &+ iowait &+ irq &+ softirq &+ steal }
}

/// Parser for /proc/stat and the per-core load between two of its snapshots.
public enum ProcStat {
    /// The per-core counters of one /proc/stat snapshot, keyed by core number. The aggregate
    /// `cpu` line is left out; offline cores have no line (Android hot-unplugs cores).
    /// Lines that do not parse are skipped and reported through `problem`.
    public static func parse(_ text: String, problem: (String) -> Void = { _ in }) -> [Int: CPUTimes] {
        var cores: [Int: CPUTimes] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard line.hasPrefix("cpu") else { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let name = fields.first, name != "cpu" else { continue }
            guard let core = Int(name.dropFirst(3)), core >= 0, core < 65536 else {
                problem("line \(index + 1): unknown CPU name \"\(SysText.cleanName(String(name), maxLength: 20))\"")
                continue
            }
            // Kernels before 2.6.11 have no steal column; at least user..idle must be there.
            let numbers = fields.dropFirst().prefix(8).map { UInt64($0) }
            guard numbers.count >= 4, !numbers.contains(nil) else {
                problem("line \(index + 1): cpu\(core) counters are not numbers")
                continue
            }
            let v = numbers.map { $0! } + Array(repeating: 0, count: 8 - numbers.count)
            cores[core] = CPUTimes(user: v[0], nice: v[1], system: v[2], idle: v[3],
                                   iowait: v[4], irq: v[5], softirq: v[6], steal: v[7])
        }
        return cores
    }

    /// Per-core load between two snapshots, one entry per core from 0 to the highest core
    /// seen. A core missing from either snapshot (offline) or whose counters went backwards
    /// (hot-plugged back, counters restarted) reads as zero load rather than a made-up share.
    public static func load(from old: [Int: CPUTimes], to new: [Int: CPUTimes]) -> [CoreLoad] {
        guard let highest = Set(old.keys).union(new.keys).max() else { return [] }
        return (0...highest).map { core in
            guard let a = old[core], let b = new[core], b.total > a.total else { return CoreLoad() }
            func d(_ k: KeyPath<CPUTimes, UInt64>) -> UInt64? {
                b[keyPath: k] >= a[keyPath: k] ? b[keyPath: k] - a[keyPath: k] : nil
            }
            let parts = [\CPUTimes.user, \.nice, \.system, \.idle, \.iowait, \.irq, \.softirq, \.steal].map(d)
            if parts.contains(nil) { return CoreLoad() }
            let p = parts.map { $0! }
            let total = Double(p.reduce(0, +))
            guard total > 0 else { return CoreLoad() }
            return CoreLoad(user: Double(p[0]) / total, nice: Double(p[1]) / total,
                            system: Double(p[2]) / total, irq: Double(p[5]) / total,
                            softirq: Double(p[6]) / total, steal: Double(p[7]) / total,
                            iowait: Double(p[4]) / total)
        }
    }
}
