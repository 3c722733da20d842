import EdgeDashboard
import EdgeEmulation
import EdgeInference
import EdgeLive
import EdgeTelemetry
import EdgeTrace
import Foundation

/// The session of `--follow SOURCE`: an external app's inferences, read from its lines,
/// beside this machine's samplers (or the emulated device), merged into one ordered event
/// stream like `LiveSession`'s, so the dashboard, `record` and the metrics see no difference.
/// edgetop's own inference loop does not run: the app is the workload.
final class FollowSession: SessionSource, StoppableSource, StatusSource {
    let header: TraceHeader
    let mode: SourceMode
    private let follow: FollowSource
    private let worker: SamplerWorker
    private let timeline: SessionTimeline
    /// Holds events 0.1 s, so lines read a moment late still land in order.
    private var merger = LiveMerger(holdback: 0.1)
    private var started = false
    private var stopped = false

    /// A session following `path` (`-` for stdin), sampling as `setup` says.
    init(path: String, setup: LiveSetup, startTime: Date = Date()) {
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
        let timeline = SessionTimeline(startNs: MonotonicClock.now())
        self.timeline = timeline
        follow = FollowSource(path: path, clock: { timeline.seconds(MonotonicClock.now()) })
        worker = SamplerWorker(sampler: sampler, emulator: emulator, timeline: timeline,
                               clock: MonotonicClock.now, interval: setup.sampleInterval)
    }

    deinit { stop() }

    /// Seconds since the session start.
    var now: Double { timeline.seconds(MonotonicClock.now()) }

    /// The source's counts so far.
    var followStatus: FollowSource.Status { follow.status }

    /// Opens the source (a `TraceError` names it when it cannot be) and starts the sampler.
    func start() throws {
        guard !started else { return }
        try follow.start()
        started = true
        worker.start()
    }

    /// Stops reading and sampling; the last `poll` hands out what is left.
    func stop() {
        guard started, !stopped else { return }
        stopped = true
        follow.stop()
        worker.stop()
    }

    func poll() -> SourcePoll {
        merger.add(follow.drain())
        merger.add(worker.drain())
        return SourcePoll(events: stopped ? merger.flush() : merger.take(now: now))
    }

    @discardableResult
    func handle(_ command: SourceCommand) -> Bool {
        if case .mark(let label) = command { merger.add(.mark(Mark(t: now, label: label))); return true }
        return false   // the app decides its own backend, model and pace
    }

    /// "following PATH: N inferences, B bad lines (latest problem), quiet for S s".
    var statusLine: String? {
        let s = follow.status
        var line = "following \(follow.path): \(s.inferences) inferences"
        if s.badLines > 0 { line += ", \(s.badLines) bad lines (latest: \(s.lastProblem ?? "?"))" }
        if s.ended { line += ", source ended" }
        else {
            let age = follow.age(now: now)
            if age >= FollowSession.stalledAfter { line += ", no line for \(String(format: "%.0f", age)) s" }
        }
        return sanitize(line)
    }

    /// Seconds without a line after which the source is shown as stalled.
    static let stalledAfter = 2.0

    /// Seconds since the source last produced a line.
    var sourceAge: Double { follow.age(now: now) }
}

/// A source with a line of its own to show (a followed app's counts and age).
protocol StatusSource: AnyObject {
    /// The line to show, nil for none.
    var statusLine: String? { get }
}
