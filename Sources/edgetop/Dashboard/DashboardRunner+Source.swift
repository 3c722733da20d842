import EdgeDashboard
import EdgeMetrics
import EdgeLive
import EdgeTrace

extension DashboardRunner {
    /// The source the dashboard watches: a replay of `--replay FILE` (edgetop traces and
    /// imported logs alike, told apart by content), or the live session.
    func makeSource() throws -> SessionSource {
        if let path = options.replay {
            let reader = try SessionFile.open(path)
            let replay = try ReplaySource(reading: reader)
            for warning in reader.warnings { TraceCLI.error("\(warning)") }
            return replay
        }
        return try metered(feed.makeSession(live: live, recordingTo: options.record))
    }

    /// `source` with its events folded into metrics served on --metrics, when given.
    private func metered(_ source: SessionSource) throws -> SessionSource {
        guard feed.metrics != nil else { return source }
        let metrics = EventMetrics(identity: MetricsIdentity(device: feed.device, header: source.header))
        do {
            return MeteredSource(source, metrics: metrics, server: try feed.startServer(for: metrics))
        } catch {
            (source as? StoppableSource)?.stop()
            throw error
        }
    }
}

extension LiveSession: StoppableSource {}
extension FollowSession: StoppableSource {}
