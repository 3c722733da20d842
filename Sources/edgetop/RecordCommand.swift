import ArgumentParser
import Dispatch
import EdgeInference
import EdgeLive
import EdgeTrace
import Foundation
import Synchronization

/// `edgetop record`: runs the live session headless and writes its events to a trace.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Run the inference loop and the samplers headless and write the session to a trace.",
        discussion: """
            The trace is JSON Lines (docs/trace-format.md), `.gz` for gzip. It is flushed at \
            least every second; Ctrl-C or SIGTERM end the recording with every event so far on \
            disk and exit 0.
            """)

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Trace file to write (.jsonl or .jsonl.gz).", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Seconds to record (default: until the schedule ends, or Ctrl-C).", valueName: "s"))
    var duration: Double?

    @Option(help: ArgumentHelp("Scripted session: comma-separated steps 'backend:seconds' or 'pause:seconds', e.g. int8:10,fp32:10,int8:10.", valueName: "steps"))
    var schedule: String?

    @OptionGroup var live: LiveOptions

    func validate() throws {
        if let duration, !(duration.isFinite && duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        if let schedule { _ = try ScheduleStep.parse(schedule) }
        if output.isEmpty { throw ValidationError("--output must name a file") }
    }

    mutating func run() throws {
        let steps = try schedule.map(ScheduleStep.parse) ?? []
        var firstSetup = try live.setup(recordingTo: output)
        if case .backend(let b, _)? = steps.first { firstSetup.backend = b }
        let limit = duration ?? (steps.isEmpty ? nil : steps.reduce(0) { $0 + $1.seconds })

        let session = LiveSession(setup: firstSetup)
        let writer: TraceWriter
        do {
            writer = try TraceWriter(path: output, header: session.header)
        } catch {
            FileHandle.standardError.write(Data("edgetop: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let stopRequest = SignalStop()
        session.start()

        var counts = (inferences: 0, samples: 0, other: 0)
        var lastFlush = session.now
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
                FileHandle.standardError.write(Data("edgetop: \(signal) received at t=\(String(format: "%.1f", session.now)) s, finishing the trace\n".utf8))
                break
            }
            let t = session.now
            if let limit, t >= limit { break }
            while t >= stepEnds, stepIndex + 1 < steps.count {
                stepIndex += 1
                stepEnds += steps[stepIndex].seconds
                switch steps[stepIndex] {
                case .backend(let b, _): session.setPaused(false); session.setBackend(b)
                case .pause: session.setPaused(true)
                }
            }
            write(session.poll().events)
            if session.now - lastFlush >= 0.5 {
                do { try writer.flush() } catch { failure = error }
                lastFlush = session.now
            }
            stopRequest.sleep(seconds: 0.1)
        }
        session.stop()
        write(session.poll().events)
        do { try writer.close() } catch { if failure == nil { failure = error } }
        stopRequest.restore()
        if let failure {
            FileHandle.standardError.write(Data("edgetop: error: \(failure)\n".utf8))
            throw ExitCode(1)
        }
        if session.droppedRecords > 0 {
            FileHandle.standardError.write(Data("edgetop: warning: \(session.droppedRecords) inference records were lost because writing fell behind\n".utf8))
        }
        for problem in session.samplerProblems.prefix(5) {
            FileHandle.standardError.write(Data("edgetop: warning: \(problem)\n".utf8))
        }
        FileHandle.standardError.write(Data("edgetop: wrote \(output): \(counts.inferences) inferences, \(counts.samples) system samples, \(counts.other) other events over \(String(format: "%.1f", session.now)) s\n".utf8))
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

/// SIGINT and SIGTERM turned into a flag the main loop polls, so the recording ends at a
/// point of its choosing with the trace complete and closed.
final class SignalStop: @unchecked Sendable {
    private let state = Mutex<String?>(nil)
    private let wake = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "edgetop.signals")

    init() {
        for (sig, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
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
        signal(SIGINT, SIG_DFL); signal(SIGTERM, SIG_DFL)
    }
}
