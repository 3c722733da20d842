import ArgumentParser
import EdgeMetrics
import EdgeTrace
import Foundation

/// `edgetop agent`: the session headless, for a device in a lab or a fleet: serves its
/// Prometheus metrics, optionally records its trace, and stops cleanly on SIGTERM.
struct Agent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the inference loop (or follow an app) headless and serve Prometheus metrics.",
        discussion: """
            Metrics are served on /metrics in the Prometheus text format, or OpenMetrics when the \
            scraper asks for it (docs/metrics.md); the default address is \(Agent.defaultAddress). \
            SIGTERM or Ctrl-C end the run with the trace (--record) complete and exit 0.
            """)

    /// Where metrics are served when --metrics is not given.
    static let defaultAddress = "127.0.0.1:9478"

    @Option(help: ArgumentHelp("Seconds to run (default: until SIGTERM or Ctrl-C).", valueName: "s"))
    var duration: Double?

    @Option(name: .customLong("serve-after"),
            help: ArgumentHelp("After --duration, keep serving the final metrics this many seconds (or until a signal), so scrapers see the totals.", valueName: "s"))
    var serveAfter: Double = 0

    @Option(help: ArgumentHelp("Also write the session to this trace (.jsonl or .jsonl.gz).", valueName: "file"))
    var record: String?

    @Flag(help: "Replace the --record file if it exists.")
    var force = false

    @OptionGroup var metricsOptions: MetricsOptions
    @OptionGroup var live: LiveOptions

    func validate() throws {
        if let duration, !(duration.isFinite && duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        if !(serveAfter.isFinite && serveAfter >= 0) { throw ValidationError("--serve-after must be 0 or more seconds") }
        if let record, record.isEmpty { throw ValidationError("--record must name a file") }
    }

    mutating func run() throws {
        // Like `record`: a trace already on disk is not overwritten unless asked.
        if let record, !force, FileManager.default.fileExists(atPath: record) {
            FileHandle.standardError.write(Data("edgetop: \(sanitize(record)): already exists; pass --force to replace it\n".utf8))
            throw ExitCode(1)
        }
        var options = metricsOptions
        if options.metrics == nil { options.metrics = Agent.defaultAddress }
        let session = try options.makeSession(live: live, recordingTo: record)
        let metrics = EventMetrics(identity: MetricsIdentity(device: options.device, header: session.header))
        let source = MeteredSource(session, metrics: metrics)
        let writer: TraceWriter?
        let server: MetricsServer?
        do {
            writer = try record.map { try TraceWriter(path: $0, header: session.header) }
            server = try options.startServer(for: metrics)
        } catch {
            session.stop()
            if let e = error as? ExitCode { throw e }
            TraceCLI.error("error: \(error)")
            throw ExitCode(1)
        }
        let stopRequest = SignalStop()
        let start = MonotonicClock.seconds()
        var inferences = 0
        var failure: Error?
        func pass(_ events: [Event]) {
            for e in events {
                if case .inference = e { inferences += 1 }
                guard failure == nil, let writer else { continue }
                do { try writer.write(e) } catch { failure = error }
            }
        }
        var lastFlush = start
        while failure == nil, stopRequest.received == nil {
            let now = MonotonicClock.seconds()
            if let duration, now - start >= duration { break }
            pass(source.poll().events)
            if now - lastFlush >= 0.5, let writer {
                do { try writer.flush() } catch { failure = error }
                lastFlush = now
            }
            stopRequest.sleep(seconds: 0.1)
        }
        session.stop()
        pass(source.poll().events)
        metrics.finish()
        do { try writer?.close() } catch { if failure == nil { failure = error } }
        if let signal = stopRequest.received {
            TraceCLI.error("\(signal) received, stopping")
        }
        let elapsed = String(format: "%.1f", MonotonicClock.seconds() - start)
        var summary = "edgetop: run finished: \(inferences) inferences over \(elapsed) s"
        if let record { summary += ", trace \(record)" }
        FileHandle.standardError.write(Data((sanitize(summary) + "\n").utf8))
        if failure == nil, stopRequest.received == nil, serveAfter > 0 {
            let until = MonotonicClock.seconds() + serveAfter
            while stopRequest.received == nil, MonotonicClock.seconds() < until { stopRequest.sleep(seconds: min(0.5, until - MonotonicClock.seconds())) }
        }
        server?.stop()
        stopRequest.restore()
        if let failure {
            TraceCLI.error("error: \(failure)")
            throw ExitCode(1)
        }
    }
}
