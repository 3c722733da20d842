#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EdgeTrace

/// The busiest processes over the interval since the previous call, from /proc/[pid]/stat
/// under a `SysRoot`, with one process's threads (edgetop's own: the inference loop and its
/// workers, from /proc/[pid]/task) listed one by one and marked.
///
/// CPU shares are measured against the /proc/stat tick counters, not the wall clock, so a
/// fixture tree gives the same figures every time. A pid whose start time changed is a new
/// process (pid reuse) and has no share until its next interval; a process that appeared
/// since the previous call likewise. Not thread-safe: one sampling thread owns it.
public final class ProcessSampler {
    /// Where /proc is read.
    public let root: SysRoot
    /// The process whose threads are listed apart and marked as edgetop's own.
    public let ownPid: Int?
    /// Rows kept per sample (edgetop's busy threads are kept beyond it).
    public let top: Int
    /// Files that could not be used so far (a vanished process is not a problem).
    public private(set) var problems = ProblemLog()
    private var previous: [Int: TaskStat] = [:]
    private var previousThreads: [Int: TaskStat] = [:]
    private var previousTicks: (total: UInt64, cores: Int)?
    private let pageSize = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
    /// USER_HZ: ticks per second of the counters.
    private let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))

    /// A sampler over `root`, marking `ownPid`'s threads; the first `sample` only sets the baseline.
    public init(root: SysRoot = SysRoot(), ownPid: Int? = Int(getpid()), top: Int = 8) {
        self.root = root; self.ownPid = ownPid; self.top = max(1, top)
    }

    /// The busiest tasks since the previous call, at session time `t`; nil for the first
    /// call (or when /proc/stat cannot say how long the interval was).
    public func sample(t: Double) -> ProcessSample? {
        let ticks = readTicks()
        let tasks = readTasks("/proc")
        let threads = ownPid.map { readTasks("/proc/\($0)/task") } ?? [:]
        defer { previous = tasks; previousThreads = threads; previousTicks = ticks }
        guard let now = ticks, let before = previousTicks, now.total > before.total else { return nil }
        // Ticks of one core over the interval: the share of one core is a task's ticks over it.
        let perCore = Double(now.total - before.total) / Double(max(1, now.cores))
        func share(_ task: TaskStat, _ old: [Int: TaskStat]) -> Double? {
            guard let o = old[task.pid], o.startTime == task.startTime, task.cpuTicks >= o.cpuTicks else { return nil }
            return Double(task.cpuTicks - o.cpuTicks) / perCore
        }
        var rows: [ProcessEntry] = []
        for task in tasks.values where task.pid != ownPid {
            guard let cpu = share(task, previous) else { continue }
            rows.append(ProcessEntry(pid: task.pid, name: task.name, cpu: cpu, rssBytes: task.rssPages &* pageSize,
                                     kind: task.kernelThread ? .kernelThread : .process))
        }
        var own: [ProcessEntry] = []
        for thread in threads.values {
            guard let cpu = share(thread, previousThreads) else { continue }
            // A thread's stat repeats its process's RSS: the memory is shared by all of them.
            own.append(ProcessEntry(pid: thread.pid, name: thread.name, cpu: cpu, rssBytes: thread.rssPages &* pageSize,
                                    kind: .ownThread))
        }
        let order: (ProcessEntry, ProcessEntry) -> Bool = { ($0.cpu, -$0.pid) > ($1.cpu, -$1.pid) }
        var kept = Array((rows + own).sorted(by: order).prefix(top))
        // edgetop's busy threads stay in view even when others fill the top rows.
        for o in own.sorted(by: order) where o.cpu >= 0.05 && !kept.contains(o) { kept.append(o) }
        return ProcessSample(t: t, interval: perCore / ticksPerSecond, processes: kept)
    }

    private func readTicks() -> (total: UInt64, cores: Int)? {
        guard let text = root.read("/proc/stat").text else { return nil }
        let cores = ProcStat.parse(text)
        guard !cores.isEmpty else { return nil }
        return (cores.values.reduce(0) { $0 &+ $1.total }, cores.count)
    }

    /// Every numeric entry of `dir` whose stat parses, by pid. An entry without a stat file
    /// (a process that exited while the directory was read) is skipped quietly.
    private func readTasks(_ dir: String) -> [Int: TaskStat] {
        var out: [Int: TaskStat] = [:]
        for name in root.list(dir) {
            guard let pid = Int(name), pid > 0 else { continue }
            let path = "\(dir)/\(name)/stat"
            switch root.read(path, limit: 4096) {
            case .text(let text):
                if let s = TaskStat.parse(text, problem: { problems.report(path, $0) }) { out[pid] = s }
            case .missing:
                continue
            case .unreadable(let why):
                problems.report(path, why)
            }
        }
        return out
    }
}
