import EdgeDashboard
import EdgeTrace

extension DashboardRunner {
    /// The source the dashboard watches: a replay of `--replay FILE` (edgetop traces and
    /// imported logs alike, told apart by content), or the live session.
    func makeSource() throws -> SessionSource {
        if let path = options.replay {
            let reader = try SessionFile.open(path)
            let replay = try ReplaySource(reading: reader)
            for warning in reader.warnings { FileHandleStderr.write("edgetop: \(warning)\n") }
            return replay
        }
        throw DashboardError.liveUnavailable
    }
}

/// Why the dashboard could not start.
enum DashboardError: Error, CustomStringConvertible {
    case liveUnavailable

    var description: String {
        switch self {
        case .liveUnavailable: return "the live dashboard is not available in this build; use --replay FILE"
        }
    }
}
