/// Anything that yields a session's events in time order: a trace being read, or a log
/// converted by an importer. `stats`, replay and `import` work on this alone.
public protocol EventSource: AnyObject {
    /// What the session is and where it came from.
    var header: TraceHeader { get }
    /// Problems that did not stop reading (a cut-off last line...), as `file:line: problem`.
    var warnings: [String] { get }
    /// The next event, nil at the end; throws `TraceError` on bad data.
    func next() throws -> Event?
}

/// Events already in memory (an imported log), served in order.
public final class MemoryEventSource: EventSource {
    public let header: TraceHeader
    public let warnings: [String]
    private let events: [Event]
    private var index = 0

    /// Serves `events` (already sorted by time) under `header`.
    public init(header: TraceHeader, events: [Event], warnings: [String] = []) {
        self.header = header; self.events = events; self.warnings = warnings
    }

    /// The next event in order, nil after the last.
    public func next() throws -> Event? {
        guard index < events.count else { return nil }
        defer { index += 1 }
        return events[index]
    }
}
