import EdgeDashboard
import EdgeEmulation
import EdgeImages
import EdgeInference
import EdgeTelemetry
import EdgeTrace
import Foundation
import Synchronization

/// The live source: the inference loop and the system sampler (or the emulated device)
/// turned into one ordered stream of `Event`s, with `t` in seconds since the session start
/// on the monotonic clock. The dashboard polls it; `edgetop record` writes it down.
///
/// Inference records come from the loop's ring, samples from a sampler thread. They are
/// merged by time and held back for `holdback` seconds, so a record pushed a moment after
/// its timestamp still lands in order; anything later than that is clamped to the last
/// emitted time, so the stream never goes backwards (`LiveMerger`). `poll` and `handle`
/// are called from one thread (the dashboard's or the recorder's main loop).
///
/// The clock is injected for tests; it must read the same timeline as the loop's record
/// timestamps (CLOCK_MONOTONIC, `MonotonicClock.now`), which is the default.
public final class LiveSession: SessionSource {
    /// Nanoseconds on the monotonic clock.
    public typealias Clock = @Sendable () -> UInt64

    /// The device, source kind and model, probed at creation.
    public let header: TraceHeader
    /// Live, and the trace being recorded if any.
    public private(set) var mode: SourceMode
    /// The configuration now in force.
    public private(set) var setup: LiveSetup

    private let loop: InferenceLoop
    private let emulator: DeviceEmulator?
    private let worker: SamplerWorker
    private let clock: Clock
    private let timeline: SessionTimeline
    private var merger: LiveMerger
    private var reportedQualities = Set<InferenceLoop.QualityKey>()
    private var reportedAccuracies: [InferenceLoop.QualityKey: Int] = [:]
    private var reportedAgreements: [InferenceLoop.QualityKey: Int] = [:]
    private var started = false
    private var stopped = false
    private var marksMade = 0
    /// Seconds an event is held before it is handed out.
    public var holdback: Double { merger.holdback }
    /// Models `cycleModel` goes through.
    public static let modelCycle: [ModelSpec] = [
        .mobileNetV1(width: 0.25, resolution: 128), .mobileNetV1(width: 1.0, resolution: 224),
        .mobileNetV2(resolution: 224), .resNet18(resolution: 224),
    ]
    /// Backends in the order of `selectBackend(0...)` and `cycleBackend`.
    public static let backendCycle: [Backend] = [.int8, .fp32, .ref]

    /// A session ready to `start()`; probes the machine for the header.
    public init(setup: LiveSetup, startTime: Date = Date(), holdback: Double = 0.1,
                clock: @escaping Clock = { MonotonicClock.now() }) {
        self.setup = setup
        self.clock = clock
        merger = LiveMerger(holdback: holdback)
        let sampler = SystemSampler(root: setup.sysroot)
        let host = sampler.device
        if let profile = setup.profile {
            emulator = DeviceEmulator(profile: profile)
            header = TraceHeader(
                device: DeviceInfo(cpuModel: "\(profile.name) (emulated on \(host.cpuModel))", cores: profile.cores,
                                   os: host.os, kernel: host.kernel, hasThermalSensors: false),
                source: .emulated, model: setup.model.name, startTime: LiveSession.iso8601(startTime),
                emulationProfile: profile.name)
        } else {
            emulator = nil
            header = TraceHeader(device: host, source: .recorded, model: setup.model.name,
                                 startTime: LiveSession.iso8601(startTime))
        }
        mode = .live(recordingTo: setup.recordingTo)
        loop = InferenceLoop(configuration: LoopConfiguration(model: setup.model, backend: setup.backend, threads: setup.threads))
        loop.labelledInputs = setup.labelledInputs
        loop.targetFPS = setup.targetFPS > 0 ? setup.targetFPS : nil
        if let emulator {
            // The device's time for the layers of the configuration that actually ran.
            loop.slowdown = { configuration, latencyNs in
                emulator.idle(after: DeviceWorkload(spec: configuration.model, backend: configuration.backend),
                              threads: configuration.threads, hostLatencyNs: latencyNs)
            }
        }
        loop.profileEvery = setup.profileEvery
        if let emulator {
            loop.emulateLayers = { configuration, _ in
                emulator.layerLatenciesNs(DeviceWorkload.layers(spec: configuration.model, backend: configuration.backend),
                                          threads: configuration.threads)
            }
        }
        timeline = SessionTimeline(startNs: clock())
        worker = SamplerWorker(sampler: sampler, emulator: emulator, timeline: timeline, clock: clock,
                               interval: setup.sampleInterval,
                               processes: setup.processInterval > 0 ? ProcessSampler(root: setup.sysroot, top: setup.processTop) : nil,
                               processInterval: setup.processInterval)
    }

    deinit { stop() }

    /// Seconds since the session start.
    public var now: Double { timeline.seconds(clock()) }

    /// Inference records lost because nobody polled for longer than the loop's ring holds.
    public var droppedRecords: Int { loop.dropped }

    /// Problems the samplers met so far (bad or unreadable files), for a warning line.
    public var samplerProblems: [TelemetryProblem] { worker.problems }

    /// Starts the inference loop and the sampler thread, and emits the starting configuration.
    public func start() {
        guard !started else { return }
        started = true
        merger.add(.config(ConfigChange(t: 0, backend: setup.backend.rawValue, model: setup.model.name,
                                            threads: setup.threads, targetFPS: setup.targetFPS, paused: false)))
        loop.start()
        worker.start()
    }

    /// Stops the loop and the sampler and keeps whatever they produced for the last `poll`.
    public func stop() {
        guard started, !stopped else { return }
        stopped = true
        worker.stop()
        loop.stop()
    }

    /// Events ready to hand out. After `stop()`, everything left, in order.
    public func poll() -> SourcePoll {
        collect()
        return SourcePoll(events: stopped ? merger.flush() : merger.take(now: now))
    }

    /// Applies a keyboard command to the loop; seeking and speed are not live commands.
    @discardableResult
    public func handle(_ command: SourceCommand) -> Bool {
        switch command {
        case .cycleBackend:
            // Only the backends the model runs on: a file has its own precision and ref.
            let cycle = LiveSession.backendCycle.filter(setup.model.backends.contains)
            let i = cycle.firstIndex(of: setup.backend) ?? -1
            setBackend(cycle[(i + 1) % cycle.count])
        case .selectBackend(let i):
            guard LiveSession.backendCycle.indices.contains(i),
                  setup.model.backends.contains(LiveSession.backendCycle[i]) else { return false }
            setBackend(LiveSession.backendCycle[i])
        case .cycleModel:
            var cycle = setup.models.isEmpty ? LiveSession.modelCycle : setup.models
            if !cycle.contains(setup.model) { cycle.insert(setup.model, at: 0) }
            let i = cycle.firstIndex(of: setup.model)!
            setModel(cycle[(i + 1) % cycle.count])
        case .threads(let delta):
            setThreads(setup.threads + delta)
        case .togglePause:
            setPaused(!loop.isPaused)
        case .mark(let label):
            // The `k` key sends no label: number the marks so a trace can tell them apart.
            marksMade += 1
            merger.add(.mark(Mark(t: now, label: label.isEmpty ? "mark \(marksMade)" : label)))
        case .seek, .seekToStart, .seekToEnd, .speed:
            return false
        }
        return true
    }

    /// Switches the backend at the next inference boundary.
    public func setBackend(_ backend: Backend) {
        guard backend != setup.backend else { return }
        setup.backend = backend
        applyConfiguration()
        merger.add(.config(ConfigChange(t: now, backend: backend.rawValue)))
    }

    /// Switches the model at the next inference boundary.
    public func setModel(_ model: ModelSpec) {
        guard model != setup.model else { return }
        setup.model = model
        // A backend the new model does not run on gives way to its first (native) one.
        var backendChange: String?
        if !model.backends.contains(setup.backend) {
            setup.backend = model.backends[0]
            backendChange = setup.backend.rawValue
        }
        applyConfiguration()
        merger.add(.config(ConfigChange(t: now, backend: backendChange, model: model.name)))
    }

    /// Changes the thread count (1...256).
    public func setThreads(_ threads: Int) {
        let n = min(256, max(1, threads))
        guard n != setup.threads else { return }
        setup.threads = n
        applyConfiguration()
        merger.add(.config(ConfigChange(t: now, threads: n)))
    }

    /// Pauses or resumes inference.
    public func setPaused(_ paused: Bool) {
        guard paused != loop.isPaused else { return }
        if paused { loop.pause() } else { loop.resume() }
        merger.add(.config(ConfigChange(t: now, paused: paused)))
    }

    private func applyConfiguration() {
        loop.configuration = LoopConfiguration(model: setup.model, backend: setup.backend, threads: setup.threads)
    }

    /// Moves records, samples and newly known quality figures into the merger.
    private func collect() {
        merger.add(loop.drain().map(timeline.event))
        merger.add(loop.drainLayerProfiles().map(timeline.event))
        merger.add(worker.drain())
        let qualities = loop.qualities
        if qualities.count > reportedQualities.count {
            for (key, q) in qualities.sorted(by: { ($0.key.model, $0.key.backend.rawValue) < ($1.key.model, $1.key.backend.rawValue) })
            where !reportedQualities.contains(key) {
                reportedQualities.insert(key)
                merger.add(.quality(QualityReport(t: now, backend: key.backend.rawValue, model: key.model,
                                                      cosine: q.cosine, top1Agree: q.top1Agree)))
            }
        }
        // Running accuracy: a new quality event each time more images have been scored.
        for (key, a) in loop.accuracies.sorted(by: { ($0.key.model, $0.key.backend.rawValue) < ($1.key.model, $1.key.backend.rawValue) })
        where reportedAccuracies[key] != a.count {
            guard let q = qualities[key] else { continue }  // the event carries both figures
            reportedAccuracies[key] = a.count
            merger.add(.quality(QualityReport(t: now, backend: key.backend.rawValue, model: key.model,
                                              cosine: q.cosine, top1Agree: q.top1Agree,
                                              accuracy: ImageAccuracyCount(images: a.count, top1: a.top1, top5: a.top5))))
        }
        reportAgreements(qualities)
    }

    /// int8-vs-fp32 agreement of each pair of file variants (see `ModelSpec.pairs`), on
    /// their kernels: an event on the int8 side each time more images have been scored by both.
    private func reportAgreements(_ qualities: [InferenceLoop.QualityKey: Quality]) {
        guard setup.labelledInputs != nil else { return }
        let tops = loop.topClasses, accuracies = loop.accuracies
        for (int8, fp32) in ModelSpec.pairs(setup.models) {
            let a = InferenceLoop.QualityKey(model: int8.name, backend: .int8)
            let b = InferenceLoop.QualityKey(model: fp32.name, backend: .fp32)
            guard let ta = tops[a], let tb = tops[b], let q = qualities[a] else { continue }
            let n = min(ta.count, tb.count)
            guard n > 0, reportedAgreements[a] != n else { continue }
            reportedAgreements[a] = n
            var report = QualityReport(t: now, backend: a.backend.rawValue, model: a.model, cosine: q.cosine, top1Agree: q.top1Agree,
                                       accuracy: accuracies[a].flatMap { ImageAccuracyCount(images: $0.count, top1: $0.top1, top5: $0.top5) })
            report.agreement = ImageAgreementCount(with: b.model, images: n, top1: (0..<n).filter { ta[$0] == tb[$0] }.count)
            merger.add(.quality(report))
        }
    }

    /// `date` as the trace header writes it (UTC, fractional seconds).
    public static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}
