/// The checks that keep one import to one run: logs of different runs merged into one
/// trace would line up unrelated latencies, power and temperatures as if they belonged
/// together, and nothing downstream could tell.
extension Importer {
    /// Seconds two logs' wall-clock spans may miss each other by and still be one run
    /// (power and temperature loggers are often started a little before the benchmark).
    public static let runTimeSlack = 300.0

    /// Every reason why `logs` look like more than one run, each naming the files involved.
    public static func runConflicts(_ logs: [ImportedLog]) -> [TraceError] {
        var out: [TraceError] = []
        // Two logs of one kind (two traces, two detail logs) are two runs by construction.
        for (i, log) in logs.enumerated() {
            if let j = logs[..<i].firstIndex(where: { $0.format == log.format }) {
                out.append(TraceError(file: log.path, problem: "a second \(log.format.rawValue) (the first is \(sanitize(logs[j].path))): "
                    + "one import holds the logs of one run"))
            }
        }
        // Facts that both logs state must agree.
        for (i, log) in logs.enumerated() {
            for other in logs[..<i] {
                for key in log.runFacts.keys.sorted() {
                    guard let mine = log.runFacts[key], let theirs = other.runFacts[key], mine != theirs else { continue }
                    out.append(TraceError(file: log.path, problem: "\(key) is \"\(sanitize(mine))\" but \"\(sanitize(theirs))\" in "
                        + "\(sanitize(other.path)): these logs come from different runs"))
                }
            }
        }
        // Logs that know their wall-clock time must overlap in time.
        let spans = logs.compactMap { log -> (path: String, start: Double, end: Double)? in
            guard let w = log.wallStart else { return nil }
            return (log.path, w, w + (log.events.map(\.t).max() ?? 0))
        }
        for (i, a) in spans.enumerated() {
            for b in spans[..<i] {
                let gap = max(a.start - b.end, b.start - a.end)
                if gap > runTimeSlack {
                    out.append(TraceError(file: a.path, problem: "its times (\(CivilTime.format(a.start)) to \(CivilTime.format(a.end))) are "
                        + "\(Int(gap.rounded())) s away from those of \(sanitize(b.path)) (\(CivilTime.format(b.start)) to "
                        + "\(CivilTime.format(b.end))): these logs come from different runs"))
                }
            }
        }
        return out
    }
}
