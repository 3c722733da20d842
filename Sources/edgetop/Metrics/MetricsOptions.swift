import ArgumentParser
import EdgeDashboard
import EdgeLive
import EdgeMetrics
import EdgeTrace
import Foundation

/// `--metrics ADDR:PORT`, `--device NAME` and `--follow SOURCE`: what the dashboard,
/// `record` and `agent` share to serve Prometheus metrics and to watch an external app.
struct MetricsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Serve Prometheus metrics on /metrics at ADDR:PORT (a bare PORT binds 127.0.0.1; port 0 picks a free one).",
                               valueName: "addr:port"))
    var metrics: String?

    @Option(name: .customLong("device"), help: ArgumentHelp("The device label of the metrics (default: the host name).", valueName: "name"))
    var deviceName: String?

    @Option(help: ArgumentHelp("Follow an app's inferences from SOURCE instead of running the loop: '-' (stdin), a FIFO or a growing file (docs/follow.md).",
                               valueName: "source"))
    var follow: String?

    func validate() throws {
        if let metrics, case .failure(let e) = MetricsAddress.parse(metrics) { throw ValidationError("--metrics: \(e)") }
        if let deviceName, deviceName.isEmpty || deviceName != sanitize(deviceName) {
            throw ValidationError("--device must be a non-empty name without control characters")
        }
        if let follow, follow.isEmpty { throw ValidationError("--follow must name '-', a FIFO or a file") }
    }

    /// The address of --metrics, if given.
    var address: MetricsAddress? {
        metrics.flatMap { try? MetricsAddress.parse($0).get() }
    }

    /// The device label: --device, else the host name.
    var device: String {
        deviceName ?? ProcessInfo.processInfo.hostName
    }

    /// The session to run: an app followed with --follow, or the live loop.
    func makeSession(live: LiveOptions, recordingTo: String? = nil) throws -> SessionSource & StoppableSource {
        if let follow {
            let session = FollowSession(path: follow, setup: try live.setup(recordingTo: recordingTo))
            do { try session.start() } catch let e as TraceError {
                TraceCLI.error("error: \(e)")
                throw ExitCode(1)
            }
            return session
        }
        let session = try live.makeSession(recordingTo: recordingTo)
        session.start()
        return session
    }

    /// Starts the metrics server for `metrics` when --metrics was given, telling stderr
    /// where it listens; a port that cannot be bound is an error (exit 1).
    func startServer(for metrics: EventMetrics) throws -> MetricsServer? {
        guard let address else { return nil }
        do {
            let server = try MetricsServer(metrics: metrics, address: address)
            try server.start()
            TraceCLI.error("serving metrics on http://\(server.boundAddress)/metrics")
            return server
        } catch {
            TraceCLI.error("error: \(error)")
            throw ExitCode(1)
        }
    }
}
