import EdgeDashboard
import EdgeLive
import EdgeMetrics
import EdgeTrace

/// A session source whose events are also folded into Prometheus metrics on their way
/// to the dashboard or the trace: metrics hang on the event stream, not on the session.
final class MeteredSource: SessionSource, StoppableSource, StatusSource {
    private let inner: SessionSource
    /// The metrics the events are folded into.
    let metrics: EventMetrics
    /// The server of `metrics`, stopped with the source.
    private let server: MetricsServer?

    /// `inner`'s events, folded into `metrics` as they pass; `server`, if any, stops with it.
    init(_ inner: SessionSource, metrics: EventMetrics, server: MetricsServer? = nil) {
        self.inner = inner; self.metrics = metrics; self.server = server
    }

    var header: TraceHeader { inner.header }
    var mode: SourceMode { inner.mode }

    func poll() -> SourcePoll {
        let poll = inner.poll()
        for event in poll.events { metrics.fold(event) }
        if let live = inner as? LiveSession { metrics.setDroppedRecords(live.droppedRecords) }
        if let follow = inner as? FollowSession {
            metrics.setFollowStatus(badLines: follow.followStatus.badLines, ageSeconds: follow.sourceAge)
        }
        return poll
    }

    @discardableResult
    func handle(_ command: SourceCommand) -> Bool { inner.handle(command) }

    func stop() {
        (inner as? StoppableSource)?.stop()
        metrics.finish()
        server?.stop()
    }

    var statusLine: String? { (inner as? StatusSource)?.statusLine }
}

extension MetricsIdentity {
    /// The identity of a session with `header`, labelled `device`.
    init(device: String, header: TraceHeader) {
        self.init(device: device, emulated: header.source == .emulated)
    }
}
