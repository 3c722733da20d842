import EdgeDashboard
import EdgeLive
import EdgeTrace

extension DashboardRunner {
    /// The source the dashboard watches: a replay of `--replay FILE` (edgetop traces and
    /// imported logs alike, told apart by content), or the live session.
    func makeSource() throws -> SessionSource {
        if let path = options.replay {
            let reader = try SessionFile.open(path)
            let replay = try ReplaySource(reading: reader)
            for warning in reader.warnings { StandardError.write("edgetop: \(warning)\n") }
            return replay
        }
        let session = try live.makeSession(recordingTo: options.record)
        session.start()
        return session
    }
}

extension LiveSession: StoppableSource {}
