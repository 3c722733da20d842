/// The processes taking the most CPU over one sampling interval (top N only), so a user
/// sees what competed with inference for the cores. Recorded at a low rate.
public struct ProcessSample: Sendable, Equatable {
    /// Seconds since the session start at the end of the interval.
    public var t: Double
    /// Seconds the CPU shares cover.
    public var interval: Double
    /// Busiest first.
    public var processes: [ProcessEntry]

    /// A sample of the busiest processes.
    public init(t: Double, interval: Double, processes: [ProcessEntry]) {
        self.t = t; self.interval = interval; self.processes = processes
    }
}

/// One process (or one of edgetop's own threads) over a sampling interval.
public struct ProcessEntry: Sendable, Equatable {
    /// What kind of task a row is.
    public enum Kind: String, Sendable, Equatable {
        /// An ordinary process (all its threads together).
        case process
        /// A kernel thread (no user memory), as `ps` shows in brackets.
        case kernelThread = "kernel"
        /// One of edgetop's own threads: the inference loop or a worker of its pool.
        case ownThread = "own"
    }

    /// Process id (thread id for edgetop's own threads).
    public var pid: Int
    /// Command name from /proc/[pid]/stat, sanitised for the terminal.
    public var name: String
    /// CPU time over the interval as a share of one core (1.0 = one core fully busy).
    public var cpu: Double
    /// Resident memory in bytes (the whole process's, for an own thread too).
    public var rssBytes: UInt64
    public var kind: Kind

    /// One row.
    public init(pid: Int, name: String, cpu: Double, rssBytes: UInt64, kind: Kind = .process) {
        self.pid = pid; self.name = name; self.cpu = cpu; self.rssBytes = rssBytes; self.kind = kind
    }
}
