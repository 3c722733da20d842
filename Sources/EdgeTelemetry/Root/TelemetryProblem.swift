/// A file the samplers could not use: it was garbage, empty or unreadable. Samplers skip it
/// and carry on; the problem is kept so it can be shown or tested, never thrown.
public struct TelemetryProblem: Sendable, Equatable, CustomStringConvertible {
    /// Path relative to the sysroot, e.g. "/sys/class/thermal/thermal_zone3/temp".
    public var path: String
    /// What was wrong, in words a user can act on.
    public var problem: String
    /// How many times it was seen (a bad file is usually bad on every tick).
    public var count: Int

    public init(path: String, problem: String, count: Int = 1) {
        self.path = path; self.problem = problem; self.count = count
    }

    public var description: String { "\(path): \(problem)" + (count > 1 ? " (×\(count))" : "") }
}

/// Problems seen so far, one entry per (path, problem), with bounded size so a sampler
/// running for hours on a broken tree cannot grow without limit.
public struct ProblemLog: Sendable, Equatable {
    /// The distinct problems, first seen first.
    public private(set) var entries: [TelemetryProblem] = []
    /// Every problem reported, repeats included.
    public private(set) var total = 0
    private let capacity: Int

    /// An empty log keeping at most `capacity` distinct problems.
    public init(capacity: Int = 256) { self.capacity = capacity }

    /// Records one occurrence.
    public mutating func report(_ path: String, _ problem: String) {
        total += 1
        if let i = entries.firstIndex(where: { $0.path == path && $0.problem == problem }) {
            entries[i].count += 1
        } else if entries.count < capacity {
            entries.append(TelemetryProblem(path: path, problem: problem))
        }
    }

    /// Whether any problem names `path`.
    public func mentions(_ path: String) -> Bool { entries.contains { $0.path == path } }
}
