import EdgeDashboard
import EdgeEmulation
import EdgeInference
import EdgeTelemetry
import EdgeTrace
import Foundation

/// The session of `--follow SOURCE`: an external app's inferences, read from its lines,
/// beside this machine's samplers (or the emulated device), merged by time like
/// `LiveSession`'s stream, so the dashboard, `record` and the metrics see no difference.
/// edgetop's own inference loop does not run: the app is the workload.
public final class FollowSession: SessionSource, StatusSource {
    /// This machine (or the emulated device); no model, since the app names its own.
    public let header: TraceHeader
    /// Always live.
    public let mode: SourceMode
    private let follow: FollowSource
    private let worker: SamplerWorker
    private let clock: LiveSession.Clock
    private let timeline: SessionTimeline
    private var merger = LiveMerger()
    private var started = false
    private var stopped = false

    /// Seconds without a line after which the source is shown as stalled.
    public static let stalledAfter = 2.0

    /// A session following `path` (`-` for stdin), sampling as `setup` says (its model,
    /// backend and threads are not used: the app runs what it runs).
    public init(path: String, setup: LiveSetup, startTime: Date = Date(), clock: @escaping LiveSession.Clock = { MonotonicClock.now() }) {
        let sampler = SystemSampler(root: setup.sysroot)
        let host = sampler.device
        let emulator = setup.profile.map { DeviceEmulator(profile: $0) }
        if let profile = setup.profile {
            header = TraceHeader(
                device: DeviceInfo(cpuModel: "\(profile.name) (emulated on \(host.cpuModel))", cores: profile.cores,
                                   os: host.os, kernel: host.kernel, hasThermalSensors: false),
                source: .emulated, model: nil, startTime: LiveSession.iso8601(startTime), emulationProfile: profile.name)
        } else {
            header = TraceHeader(device: host, source: .recorded, model: nil, startTime: LiveSession.iso8601(startTime))
        }
        mode = .live(recordingTo: setup.recordingTo)
        self.clock = clock
        let timeline = SessionTimeline(startNs: clock())
        self.timeline = timeline
        follow = FollowSource(path: path, clock: { timeline.seconds(clock()) })
        worker = SamplerWorker(sampler: sampler, emulator: emulator, timeline: timeline, clock: clock,
                               interval: setup.sampleInterval)
    }

    deinit { stop() }

    /// Seconds since the session start.
    public var now: Double { timeline.seconds(clock()) }

    /// The source's counts so far.
    public var followStatus: FollowSource.Status { follow.status }

    /// Seconds since the source last produced a line.
    public var sourceAge: Double { follow.age(now: now) }

    /// Opens the source (a `TraceError` names it when it cannot be) and starts the sampler.
    public func start() throws {
        guard !started else { return }
        try follow.start()
        started = true
        worker.start()
    }

    /// Stops reading and sampling; the last `poll` hands out what is left.
    public func stop() {
        guard started, !stopped else { return }
        stopped = true
        follow.stop()
        worker.stop()
    }

    /// The app's inferences and the samples at least the holdback old, in time order.
    public func poll() -> SourcePoll {
        merger.add(follow.drain())
        merger.add(worker.drain())
        return SourcePoll(events: stopped ? merger.flush() : merger.take(now: now))
    }

    /// Marks only: the app decides its own backend, model and pace.
    @discardableResult
    public func handle(_ command: SourceCommand) -> Bool {
        if case .mark(let label) = command { merger.add(.mark(Mark(t: now, label: label))); return true }
        return false   // the app decides its own backend, model and pace
    }

    /// "app.log: no line for 3 s, 1 bad line (line 31: not a JSON object), 30 inferences":
    /// what needs attention first, as the footer may cut the end off.
    public var statusLine: String? {
        let s = follow.status
        let name = follow.path == "-" ? "stdin" : (follow.path as NSString).lastPathComponent
        var parts: [String] = []
        if s.ended { parts.append("ended") }
        else if sourceAge >= FollowSession.stalledAfter { parts.append("no line for \(String(format: "%.0f", sourceAge)) s") }
        if s.badLines > 0 {
            var latest = s.lastProblem ?? ""
            if latest.hasPrefix(follow.path + ":") { latest = "line " + latest.dropFirst(follow.path.count + 1) }
            parts.append("\(s.badLines) bad line\(s.badLines == 1 ? "" : "s") (\(latest))")
        }
        parts.append("\(s.inferences) inferences")
        return sanitize("\(name): " + parts.joined(separator: ", "))
    }
}
