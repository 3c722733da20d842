import EdgeCore
import ArgumentParser
import Dispatch
import EdgeDashboard
import EdgeInference
import EdgeLive
import EdgeMetrics
import EdgeTrace
import Foundation
import Synchronization

/// `edgetop record`: runs the live session headless and writes its events to a trace.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Run the inference loop and the samplers headless and write the session to a trace.",
        discussion: """
            The trace is JSON Lines (docs/trace-format.md), `.gz` for gzip. It is flushed \
            several times a second, so a killed recording loses at most its last half second; \
            Ctrl-C, SIGTERM, SIGHUP or SIGQUIT end the recording with every event so far on \
            disk and exit 0. An existing OUTPUT is replaced only with --force.
            """)

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Trace file to write (.jsonl or .jsonl.gz).", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Seconds to record (default: until the schedule ends, or Ctrl-C).", valueName: "s"))
    var duration: Double?

    @Option(help: ArgumentHelp("Scripted session: comma-separated steps 'backend:seconds' or 'pause:seconds', e.g. int8:10,fp32:10,int8:10.", valueName: "steps"))
    var schedule: String?

    @OptionGroup var live: LiveOptions
    @OptionGroup(title: "Metrics and following an app") var feed: MetricsOptions

    @Flag(help: "Replace OUTPUT if it exists.")
    var force = false

    func validate() throws {
        if feed.follow != nil, schedule != nil { throw ValidationError("--schedule drives edgetop's own loop; it cannot be used with --follow") }
        if let duration, !(duration.isFinite && duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        if let schedule { _ = try ScheduleStep.parse(schedule) }
        if output.isEmpty { throw ValidationError("--output must name a file") }
    }

    mutating func run() throws {
        // Like `import`: an existing file (or device) is not overwritten unless asked.
        var st = stat()
        if !force && lstat(output, &st) == 0 {
            TraceCLI.error("\(output): already exists; pass --force to replace it")
            throw ExitCode(1)
        }
        let steps = try schedule.map(ScheduleStep.parse) ?? []
        var firstSetup = try live.setup(recordingTo: output)
        if case .backend(let b, _)? = steps.first { firstSetup.backend = b }
        let limit = duration ?? (steps.isEmpty ? nil : steps.reduce(0) { $0 + $1.seconds })

        // With --follow the app is the workload: its lines replace the loop; the schedule
        // (refused by validate) needs the loop.
        let followed = feed.follow.map { FollowSession(path: $0, setup: firstSetup) }
        let session = followed == nil ? LiveSession(setup: firstSetup) : nil
        let base: SessionSource & StoppableSource
        if let followed { base = followed } else { base = session! }
        let metrics = feed.metrics == nil ? nil : EventMetrics(identity: MetricsIdentity(device: feed.device, header: base.header))
        let source: SessionSource & StoppableSource
        if let metrics { source = MeteredSource(base, metrics: metrics) } else { source = base }
        let now = { session?.now ?? followed!.now }
        let writer: TraceWriter
        let server: MetricsServer?
        do {
            // The source first: a --follow that cannot be opened leaves OUTPUT untouched.
            try followed?.start()
            writer = try TraceWriter(path: output, header: source.header)
            server = try metrics.flatMap { try feed.startServer(for: $0) }
        } catch let e as ExitCode {
            base.stop()
            throw e
        } catch {
            base.stop()
            TraceCLI.error("error: \(error)")
            throw ExitCode(1)
        }
        let stopRequest = SignalStop()
        session?.start()

        var counts = (inferences: 0, samples: 0, other: 0)
        var lastFlush = now()
        var stepIndex = 0, stepEnds = steps.first?.seconds ?? .infinity
        var failure: Error?
        func write(_ events: [Event]) {
            guard failure == nil else { return }
            do {
                for e in events {
                    try writer.write(e)
                    switch e {
                    case .inference: counts.inferences += 1
                    case .system: counts.samples += 1
                    default: counts.other += 1
                    }
                }
            } catch { failure = error }
        }

        while failure == nil {
            if let signal = stopRequest.received {
                TraceCLI.error("\(signal) received at t=\(String(format: "%.1f", now())) s, finishing the trace")
                break
            }
            let t = now()
            if let limit, t >= limit { break }
            while t >= stepEnds, stepIndex + 1 < steps.count {
                stepIndex += 1
                stepEnds += steps[stepIndex].seconds
                switch steps[stepIndex] {
                case .backend(let b, _): session?.setPaused(false); session?.setBackend(b)
                case .pause: session?.setPaused(true)
                }
            }
            write(source.poll().events)
            // 0.3 s between flushes, plus the 0.1 s poll and the live merge's 0.1 s holdback:
            // a SIGKILL loses at most the last half second.
            if now() - lastFlush >= 0.3 {
                do { try writer.flush() } catch { failure = error }
                lastFlush = now()
            }
            stopRequest.sleep(seconds: 0.1)
        }
        source.stop()
        write(source.poll().events)
        metrics?.finish()
        do { try writer.close() } catch { if failure == nil { failure = error } }
        server?.stop()
        stopRequest.restore()
        if let failure {
            TraceCLI.error("error: \(failure)")
            throw ExitCode(1)
        }
        if let session, session.droppedRecords > 0 {
            TraceCLI.error("warning: \(session.droppedRecords) inference records were lost because writing fell behind")
        }
        if let followed, let status = followed.statusLine {
            TraceCLI.error(status)
        }
        for problem in (session?.samplerProblems ?? []).prefix(5) {
            TraceCLI.error("warning: \(problem)")
        }
        TraceCLI.error("wrote \(output): \(counts.inferences) inferences, \(counts.samples) system samples, \(counts.other) other events over \(String(format: "%.1f", now())) s")
    }
}

/// One step of `--schedule`.
enum ScheduleStep: Equatable {
    case backend(Backend, seconds: Double)
    case pause(seconds: Double)

    var seconds: Double {
        switch self { case .backend(_, let s), .pause(let s): return s }
    }

    /// Parses "int8:10,fp32:10,pause:5".
    static func parse(_ text: String) throws -> [ScheduleStep] {
        var steps: [ScheduleStep] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let s = Double(parts[1]), s.isFinite, s > 0 else {
                throw ValidationError("--schedule: '\(item)' is not 'backend:seconds' or 'pause:seconds' with seconds > 0")
            }
            if parts[0] == "pause" { steps.append(.pause(seconds: s)); continue }
            guard let b = Backend(rawValue: parts[0]) else {
                throw ValidationError("--schedule: unknown backend '\(parts[0])' (known: \(Backend.allCases.map(\.rawValue).joined(separator: ", ")), or pause)")
            }
            steps.append(.backend(b, seconds: s))
        }
        if case .pause? = steps.first { throw ValidationError("--schedule must start with a backend step") }
        return steps
    }
}

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT turned into a flag the main loop polls, so the recording ends at a
/// point of its choosing with the trace complete and closed.
final class SignalStop: @unchecked Sendable {
    private let state = Locked<String?>(nil)
    private let wake = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "edgetop.signals")

    init() {
        for (sig, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP"), (SIGQUIT, "SIGQUIT")] {
            signal(sig, SIG_IGN)   // the default action would kill us before the source runs
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.state.withLock { if $0 == nil { $0 = name } }
                self.wake.signal()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal received, if any.
    var received: String? { state.withLock { $0 } }

    /// Sleeps up to `seconds`, cut short by a signal.
    func sleep(seconds: Double) { _ = wake.wait(timeout: .now() + seconds) }

    /// Puts the default signal actions back.
    func restore() {
        for s in sources { s.cancel() }
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { signal(sig, SIG_DFL) }
    }
}
