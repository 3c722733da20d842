import EdgeDashboard
import EdgeEmulation
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
/// emitted time, so the stream never goes backwards. `poll` and `handle` are called from
/// one thread (the dashboard's or the recorder's main loop).
final class LiveSession: SessionSource {
    let header: TraceHeader
    private(set) var mode: SourceMode
    /// The configuration now in force.
    private(set) var setup: LiveSetup

    private let loop: InferenceLoop
    private let emulator: DeviceEmulator?
    private let worker: SamplerWorker
    private let startNs: UInt64
    private var pending: [Event] = []
    private var lastEmittedT = 0.0
    private var reportedQualities = Set<InferenceLoop.QualityKey>()
    private var started = false
    private var stopped = false
    /// Seconds an event is held before it is handed out.
    let holdback = 0.1
    /// Models `cycleModel` goes through.
    static let modelCycle: [ModelSpec] = [
        .mobileNetV1(width: 0.25, resolution: 128), .mobileNetV1(width: 1.0, resolution: 224),
        .mobileNetV2(resolution: 224), .resNet18(resolution: 224),
    ]
    /// Backends in the order of `selectBackend(0...)` and `cycleBackend`.
    static let backendCycle: [Backend] = [.int8, .fp32, .ref]

    /// A session ready to `start()`; probes the machine for the header.
    init(setup: LiveSetup, startTime: Date = Date()) {
        self.setup = setup
        let sampler = SystemSampler(root: setup.sysroot)
        let host = sampler.device
        if let profile = setup.profile {
            emulator = DeviceEmulator(profile: profile, threads: setup.threads)
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
        loop.targetFPS = setup.targetFPS > 0 ? setup.targetFPS : nil
        if let emulator { loop.slowdown = { emulator.slowdown(latencyNs: $0) } }
        loop.profileEvery = setup.profileEvery
        if let emulator { loop.emulateLayers = { LiveSession.emulatedLayers($0, on: emulator) } }
        startNs = MonotonicClock.now()
        worker = SamplerWorker(sampler: sampler, emulator: emulator, startNs: startNs, interval: setup.sampleInterval,
                               processes: setup.processInterval > 0 ? ProcessSampler(root: setup.sysroot, top: setup.processTop) : nil,
                               processInterval: setup.processInterval)
    }

    deinit { stop() }

    /// Seconds since the session start.
    var now: Double { seconds(MonotonicClock.now()) }

    /// Inference records lost because nobody polled for longer than the loop's ring holds.
    var droppedRecords: Int { loop.dropped }

    /// Problems the samplers met so far (bad or unreadable files), for a warning line.
    var samplerProblems: [TelemetryProblem] { worker.problems }

    /// Starts the inference loop and the sampler thread, and emits the starting configuration.
    func start() {
        guard !started else { return }
        started = true
        pending.append(.config(ConfigChange(t: 0, backend: setup.backend.rawValue, model: setup.model.name,
                                            threads: setup.threads, targetFPS: setup.targetFPS, paused: false)))
        loop.start()
        worker.start()
    }

    /// Stops the loop and the sampler and keeps whatever they produced for the last `poll`.
    func stop() {
        guard started, !stopped else { return }
        stopped = true
        worker.stop()
        loop.stop()
    }

    /// Events ready to hand out. After `stop()`, everything left, in order.
    func poll() -> SourcePoll {
        collect()
        let cutoff = stopped ? Double.infinity : now - holdback
        // Sorted by time, arrival order breaking ties (Swift's sort does not promise stability).
        pending = pending.enumerated().sorted { ($0.element.t, $0.offset) < ($1.element.t, $1.offset) }.map(\.element)
        let ready = pending.prefix { $0.t <= cutoff }
        pending.removeFirst(ready.count)
        var out: [Event] = []
        out.reserveCapacity(ready.count)
        for event in ready {
            if event.t < lastEmittedT { out.append(event.retimed(lastEmittedT)) }
            else { out.append(event); lastEmittedT = event.t }
        }
        return SourcePoll(events: out)
    }

    @discardableResult
    func handle(_ command: SourceCommand) -> Bool {
        switch command {
        case .cycleBackend:
            let i = LiveSession.backendCycle.firstIndex(of: setup.backend) ?? -1
            setBackend(LiveSession.backendCycle[(i + 1) % LiveSession.backendCycle.count])
        case .selectBackend(let i):
            guard LiveSession.backendCycle.indices.contains(i) else { return false }
            setBackend(LiveSession.backendCycle[i])
        case .cycleModel:
            var cycle = LiveSession.modelCycle
            if !cycle.contains(setup.model) { cycle.insert(setup.model, at: 0) }
            let i = cycle.firstIndex(of: setup.model)!
            setModel(cycle[(i + 1) % cycle.count])
        case .threads(let delta):
            setThreads(setup.threads + delta)
        case .togglePause:
            setPaused(!loop.isPaused)
        case .mark(let label):
            pending.append(.mark(Mark(t: now, label: label)))
        case .seek, .seekToStart, .seekToEnd, .speed:
            return false
        }
        return true
    }

    /// Switches the backend at the next inference boundary.
    func setBackend(_ backend: Backend) {
        guard backend != setup.backend else { return }
        setup.backend = backend
        applyConfiguration()
        pending.append(.config(ConfigChange(t: now, backend: backend.rawValue)))
    }

    /// Switches the model at the next inference boundary.
    func setModel(_ model: ModelSpec) {
        guard model != setup.model else { return }
        setup.model = model
        applyConfiguration()
        pending.append(.config(ConfigChange(t: now, model: model.name)))
    }

    /// Changes the thread count (1...256).
    func setThreads(_ threads: Int) {
        let n = min(256, max(1, threads))
        guard n != setup.threads else { return }
        setup.threads = n
        emulator?.threads = n
        applyConfiguration()
        pending.append(.config(ConfigChange(t: now, threads: n)))
    }

    /// Pauses or resumes inference.
    func setPaused(_ paused: Bool) {
        guard paused != loop.isPaused else { return }
        if paused { loop.pause() } else { loop.resume() }
        pending.append(.config(ConfigChange(t: now, paused: paused)))
    }

    private func applyConfiguration() {
        loop.configuration = LoopConfiguration(model: setup.model, backend: setup.backend, threads: setup.threads)
    }

    /// Moves records, samples and newly known quality figures into `pending`.
    private func collect() {
        for r in loop.drain() {
            pending.append(.inference(InferenceEvent(t: seconds(r.timestampNs), backend: r.backend.rawValue,
                                                     model: r.model, latencyNs: r.latencyNs, threads: r.threads)))
        }
        for r in loop.drainLayerProfiles() {
            pending.append(.layers(LayerProfile(
                t: seconds(r.timestampNs), backend: r.backend.rawValue, model: r.model, emulated: r.emulated,
                peakGMACs: r.peakGMACs,
                layers: r.layers.map { LayerSample(name: $0.name, kind: $0.kind, shape: $0.shape, macs: $0.macs,
                                                   kernel: $0.kernel, ns: $0.nanoseconds) })))
        }
        pending.append(contentsOf: worker.drain())
        let qualities = loop.qualities
        if qualities.count > reportedQualities.count {
            for (key, q) in qualities.sorted(by: { ($0.key.model, $0.key.backend.rawValue) < ($1.key.model, $1.key.backend.rawValue) })
            where !reportedQualities.contains(key) {
                reportedQualities.insert(key)
                pending.append(.quality(QualityReport(t: now, backend: key.backend.rawValue, model: key.model,
                                                      cosine: q.cosine, top1Agree: q.top1Agree)))
            }
        }
    }

    private func seconds(_ ns: UInt64) -> Double {
        ns >= startNs ? Double(ns - startNs) / 1e9 : 0
    }

    /// The emulated device's per-layer times. Its compute model is the step governor's clock
    /// cap over the host running at full speed (as `slowdown` stretches a whole inference),
    /// so every layer scales by the same factor; a per-layer compute model plugs in here.
    static func emulatedLayers(_ measured: [LayerTiming], on emulator: DeviceEmulator) -> [LayerTiming] {
        let factor = max(1, emulator.slowdown)
        return measured.map { l in
            var e = l
            e.nanoseconds = UInt64(min(1e18, (Double(l.nanoseconds) * factor).rounded()))
            return e
        }
    }

    static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}

/// The sampler thread: one system sample per interval until stopped. It owns the sampler
/// (and advances the emulator), and hands samples over under a lock; its wait is the stop
/// signal itself, so stopping never waits out an interval.
final class SamplerWorker: @unchecked Sendable {
    private let sampler: SystemSampler
    private let emulator: DeviceEmulator?
    private let startNs: UInt64
    private let intervalNs: UInt64
    private let stopSignal = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let shared = Mutex(Shared())
    private var running = false

    private struct Shared {
        var samples: [Event] = []
        var dropped = 0
        var problems: [TelemetryProblem] = []
    }

    /// At most this many samples wait for a drain (an hour at the default interval).
    static let capacity = 7200

    private let processes: ProcessSampler?
    /// System samples between two process samples (a process scan reads every /proc/[pid]/stat).
    private let processEvery: Int

    init(sampler: SystemSampler, emulator: DeviceEmulator?, startNs: UInt64, interval: Double,
         processes: ProcessSampler? = nil, processInterval: Double = 2) {
        self.sampler = sampler; self.emulator = emulator; self.startNs = startNs
        intervalNs = UInt64(max(0.01, interval) * 1e9)
        self.processes = processes
        processEvery = max(1, Int((processInterval / max(0.01, interval)).rounded()))
    }

    /// Starts the thread (once).
    func start() {
        guard !running else { return }
        running = true
        let thread = Thread { [self] in run() }
        thread.name = "edgetop-sampler"
        thread.start()
    }

    /// Stops the thread and waits for it.
    func stop() {
        guard running else { return }
        running = false
        stopSignal.signal()
        done.wait()
    }

    /// Samples taken since the last drain, oldest first.
    func drain() -> [Event] {
        shared.withLock { s in
            defer { s.samples.removeAll(keepingCapacity: true) }
            return s.samples
        }
    }

    /// The sampler's problems as of its latest sample.
    var problems: [TelemetryProblem] { shared.withLock { $0.problems } }

    private func run() {
        defer { done.signal() }
        _ = processes?.sample(t: 0)  // the baseline the first interval is measured from
        var tick = 0
        var next = MonotonicClock.now() &+ intervalNs
        while true {
            let now = MonotonicClock.now()
            let waitNs = next > now ? next - now : 0
            if stopSignal.wait(timeout: .now() + .nanoseconds(Int(min(waitNs, UInt64(Int.max))))) == .success { return }
            next &+= intervalNs
            // Skip slots missed while the machine was too busy, rather than bursting.
            while next < MonotonicClock.now() { next &+= intervalNs }
            let tickNs = MonotonicClock.now()
            let t = tickNs >= startNs ? Double(tickNs - startNs) / 1e9 : 0
            let sample = emulator?.sample(t: t) ?? sampler.sample(t: t)
            tick += 1
            // The processes are the host's, emulated or not: what competes for these cores.
            let top = tick % processEvery == 0 ? processes?.sample(t: t) : nil
            let problems = sampler.problems.entries + (processes?.problems.entries ?? [])
            shared.withLock { s in
                s.problems = problems
                if s.samples.count >= SamplerWorker.capacity { s.samples.removeFirst(); s.dropped += 1 }
                s.samples.append(.system(sample))
                if let top { s.samples.append(.processes(top)) }
            }
        }
    }
}
