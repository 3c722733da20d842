#if canImport(Glibc)
import EdgeCore
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EdgeKernels
import EdgeImages
import Synchronization

/// What the loop runs: a model, a backend and a thread count.
public struct LoopConfiguration: Sendable, Equatable {
    public var model: ModelSpec
    public var backend: Backend
    public var threads: Int

    /// A configuration; `threads` below 1 is taken as 1.
    public init(model: ModelSpec, backend: Backend, threads: Int) {
        self.model = model; self.backend = backend; self.threads = max(1, threads)
    }
}

/// Runs inferences back to back (or paced like a camera) on its own thread and reports
/// each one as an `InferenceRecord` in a bounded ring.
///
/// Every setter may be called from any thread while the loop runs. A new model, backend
/// or thread count is applied at the next inference boundary (the plan is rebuilt then,
/// on the loop's thread; an inference in flight always finishes with the plan it began
/// with). Records are drained without ever blocking the loop; a consumer that falls
/// behind loses the oldest records, counted in `dropped`.
public final class InferenceLoop: @unchecked Sendable {
    /// Where the loop is in its life.
    public enum State: Sendable, Equatable {
        case idle, preparing, running, paused, stopped
    }

    private struct Control {
        var configuration: LoopConfiguration
        var paused = false
        var stopping = false
        var targetFPS: Double?
        var slowdown: (@Sendable (LoopConfiguration, UInt64) -> UInt64)?
        var profileEvery = 0
        var emulateLayers: (@Sendable (LoopConfiguration, [LayerTiming]) -> [UInt64])?
        var applied: LoopConfiguration?
        var state: State = .idle
        var inferences = 0
        var qualities: [QualityKey: Quality] = [:]
        var labelled: LabelledInputs?
        var accuracies: [QualityKey: ImageAccuracy] = [:]
        var topClasses: [QualityKey: [Int]] = [:]
        /// The inference thread, taken out by the one `stop()` that joins it.
        var thread: pthread_t?
    }

    /// Identifies one quality figure: a model name and a backend.
    public struct QualityKey: Hashable, Sendable {
        public var model: String
        public var backend: Backend
        /// A key for `model` on `backend`.
        public init(model: String, backend: Backend) { self.model = model; self.backend = backend }
    }

    private let control: Locked<Control>
    private let ring: RecordRing
    private let layerRing = Locked(LayerRing())
    private let wake = WakeSignal()
    private let makePlan: @Sendable (LoopConfiguration) -> InferencePlan
    private let measureQuality: Bool
    private let threadStarted = Atomic<Bool>(false)

    /// A loop that will run `configuration` once started.
    ///
    /// - Parameters:
    ///   - capacity: records held between two drains before the oldest are dropped.
    ///   - measureQuality: compare each new (model, backend) with the reference once, when
    ///     its plan is built (a reference inference of the model, cached per model).
    ///   - makePlan: builds a plan; the default compiles the model for the backend.
    public init(configuration: LoopConfiguration, capacity: Int = 4096, measureQuality: Bool = true,
                makePlan: (@Sendable (LoopConfiguration) -> InferencePlan)? = nil) {
        control = Locked(Control(configuration: configuration))
        ring = RecordRing(capacity: capacity)
        self.measureQuality = measureQuality
        self.makePlan = makePlan ?? { PlanFactory.plan(for: $0.model, backend: $0.backend, threads: $0.threads) }
    }

    deinit { stop() }

    // MARK: Controls

    /// The configuration the loop should run; a change takes effect at the next boundary.
    public var configuration: LoopConfiguration {
        get { control.withLock { $0.configuration } }
        set { control.withLock { $0.configuration = newValue }; wake.notify() }
    }

    /// The configuration of the plan that ran the latest inference (nil before the first).
    public var appliedConfiguration: LoopConfiguration? { control.withLock { $0.applied } }

    /// Frames per second to pace to, like a camera: after each inference the loop sleeps
    /// to the next frame slot, skipping slots it has missed. nil or ≤ 0: back to back.
    public var targetFPS: Double? {
        get { control.withLock { $0.targetFPS } }
        set { control.withLock { $0.targetFPS = newValue }; wake.notify() }
    }

    /// Device-emulation hook: called after each inference with the configuration that ran it
    /// and its latency in ns; the loop then idles for the returned number of ns before the
    /// next one (0: no idle). Lets an emulated device take as long as it would for that
    /// model without touching the kernels; the records hold the latency with the idle.
    public var slowdown: (@Sendable (_ configuration: LoopConfiguration, _ latencyNs: UInt64) -> UInt64)? {
        get { control.withLock { $0.slowdown } }
        set { control.withLock { $0.slowdown = newValue } }
    }

    /// Profile one inference in `profileEvery` (time each operator with the monotonic
    /// clock); 0 turns profiling off. Sampled so that profiling costs the loop little.
    public var profileEvery: Int {
        get { control.withLock { $0.profileEvery } }
        set { control.withLock { $0.profileEvery = max(0, newValue) } }
    }

    /// Device-emulation hook for profiles: handed the configuration that ran and the layer
    /// times measured here, returns the emulated device's time of each layer in ns (from its
    /// compute model); the profile is then marked emulated.
    public var emulateLayers: (@Sendable (_ configuration: LoopConfiguration, _ measured: [LayerTiming]) -> [UInt64])? {
        get { control.withLock { $0.emulateLayers } }
        set { control.withLock { $0.emulateLayers = newValue } }
    }

    /// Takes the layer profiles since the last drain, oldest first (the newest
    /// `LayerRing.capacity` at most: a profile is a few kilobytes).
    public func drainLayerProfiles() -> [LayerRecord] {
        layerRing.withLock { r in
            defer { r.records.removeAll(keepingCapacity: true) }
            return r.records
        }
    }

    /// Starts the inference thread. A loop runs once: calls after the first, or after
    /// `stop()`, do nothing (make a new loop to start again).
    public func start() {
        guard threadStarted.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        let context = Unmanaged.passRetained(self).toOpaque()
        // Created under the lock, so a concurrent stop() always finds the handle to join
        // (the new thread's first step takes the same lock, so it simply waits a moment).
        control.withLock { c in
            var handle = pthread_t()
            let rc = pthread_create(&handle, nil, { raw in
                let loop = Unmanaged<InferenceLoop>.fromOpaque(raw!).takeRetainedValue()
                loop.runLoop()
                return nil
            }, context)
            precondition(rc == 0, "pthread_create failed with \(rc)")
            c.thread = handle
        }
    }

    /// Stops after the current inference; no records follow until `resume()`.
    public func pause() {
        control.withLock { $0.paused = true }
        wake.notify()
    }

    /// Continues after `pause()`.
    public func resume() {
        control.withLock { $0.paused = false }
        wake.notify()
    }

    /// Whether the loop is asked to be paused.
    public var isPaused: Bool { control.withLock { $0.paused } }

    /// Ends the loop after the current inference and joins its thread.
    public func stop() {
        let thread = control.withLock { c -> pthread_t? in
            c.stopping = true
            defer { c.thread = nil }
            return c.thread
        }
        wake.notify()
        if let thread {
            // The loop's own thread may drop the last reference (and so call stop from deinit).
            if pthread_equal(thread, pthread_self()) == 0 { pthread_join(thread, nil) } else { pthread_detach(thread) }
        }
    }

    // MARK: Reading

    /// Takes every record since the last drain, oldest first; never blocks the loop for
    /// longer than a copy.
    public func drain() -> [InferenceRecord] { ring.drain() }

    /// Records lost because the consumer drained too slowly.
    public var dropped: Int { ring.dropped }

    /// Inferences run since start.
    public var inferences: Int { control.withLock { $0.inferences } }

    /// Where the loop is now.
    public var state: State { control.withLock { $0.state } }

    /// The latest quality figure of `model` (catalog name) on `backend`, once measured.
    public func quality(model: String, backend: Backend) -> Quality? {
        control.withLock { $0.qualities[QualityKey(model: model, backend: backend)] }
    }

    /// Every quality figure measured so far.
    public var qualities: [QualityKey: Quality] { control.withLock { $0.qualities } }

    /// Labelled inputs to feed in turn instead of the seeded input (nil: the seeded input);
    /// taken up when the next plan is built, so set it before `start()`.
    public var labelledInputs: LabelledInputs? {
        get { control.withLock { $0.labelled } }
        set { control.withLock { $0.labelled = newValue } }
    }

    /// Running top-1/top-5 accuracy on the labelled inputs, per model and backend: each
    /// input scored once per plan, the count growing as the first pass goes on.
    public var accuracies: [QualityKey: ImageAccuracy] { control.withLock { $0.accuracies } }

    /// The top class of each labelled input scored so far, per model and backend, in
    /// feeding order: what two variants of one model are compared on.
    public var topClasses: [QualityKey: [Int]] { control.withLock { $0.topClasses } }

    // MARK: The loop

    private func runLoop() {
        // Named so the process panel (/proc/self/task) marks it as edgetop's inference thread.
        ThreadNaming.name("edgetop-infer")
        var plan: InferencePlan?
        var applied: LoopConfiguration?
        var nextFrameNs: UInt64 = 0
        var sinceProfile = 0
        var peakGMACs: Double?
        var peakMeasured = false
        var feed: LabelledFeed?
        while true {
            let snapshot = control.withLock { c -> (LoopConfiguration, Bool, Bool) in
                (c.configuration, c.paused, c.stopping)
            }
            let (wanted, paused, stopping) = snapshot
            if stopping { break }
            if paused {
                control.withLock { $0.state = .paused }
                wake.wait(untilNs: nil)
                nextFrameNs = 0
                continue
            }
            if applied != wanted || plan == nil {
                control.withLock { $0.state = .preparing }
                plan = nil  // release the old buffers and pool before building the next ones
                let fresh = makePlan(wanted)
                if measureQuality {
                    let figure = PlanFactory.quality(of: fresh)
                    control.withLock { $0.qualities[QualityKey(model: fresh.model.name, backend: wanted.backend)] = figure }
                }
                feed = LabelledFeed(control.withLock { $0.labelled }, model: fresh.model)
                plan = fresh
                applied = wanted
                peakMeasured = false
                sinceProfile = 0
                control.withLock { $0.applied = wanted; $0.state = .running }
                nextFrameNs = 0
                continue  // re-check pause and stop: building may have taken a while
            }
            let every = control.withLock { c -> Int in c.state = .running; return c.profileEvery }
            sinceProfile += 1
            let profiled = every > 0 && sinceProfile >= every
            var layerTimes: [UInt64] = []
            feed?.load(into: plan!)  // outside the timed span: a camera frame is already in memory
            let start = MonotonicClock.now()
            if profiled { layerTimes = plan!.runProfiled() } else { plan!.run() }
            let end = MonotonicClock.now()
            let latency = end - start
            if feed?.scoring == true {
                feed!.finish(plan!)
                let key = QualityKey(model: plan!.model.name, backend: wanted.backend), tally = feed!.accuracy
                let tops = feed!.topClasses
                control.withLock { $0.accuracies[key] = tally; $0.topClasses[key] = tops }
            } else {
                feed?.finish(plan!)
            }
            let (fps, slowdown, emulateLayers) = control.withLock {
                c -> (Double?, (@Sendable (LoopConfiguration, UInt64) -> UInt64)?,
                      (@Sendable (LoopConfiguration, [LayerTiming]) -> [UInt64])?) in
                c.inferences += 1
                return (c.targetFPS, c.slowdown, c.emulateLayers)
            }
            // Under emulation the frame lasts as long as it would at the emulated clock: the
            // idle the emulator asks for is part of the latency a user of that device sees.
            // The record is pushed once that idle is over, so its timestamp is never ahead of the clock.
            let extra = slowdown?(wanted, latency) ?? 0
            var resumeAt = end &+ extra
            if extra > 0 { sleepUntil(resumeAt) }
            let finished = extra > 0 ? min(MonotonicClock.now(), resumeAt) : end
            ring.push(InferenceRecord(timestampNs: finished, backend: wanted.backend, model: plan!.model.name,
                                      threads: wanted.threads, latencyNs: latency &+ extra))
            // A file model's plan has no layers of edgetop's graph: no layer table to record.
            if profiled && plan!.model.layers.isEmpty { sinceProfile = 0 }
            if profiled && !plan!.model.layers.isEmpty {
                sinceProfile = 0
                // Probed once per plan, after the profiled run's record is out, so the probe's
                // milliseconds never land in a measured latency.
                if !peakMeasured { peakGMACs = LayerRecord.peak(for: wanted.backend); peakMeasured = true }
                let measured = plan!.label(layerTimes)
                let record = LayerRecord(timestampNs: finished, backend: wanted.backend, model: plan!.model.name,
                                         layers: emulateLayers.map { LayerRecord.retimed(measured, $0(wanted, measured)) } ?? measured,
                                         emulated: emulateLayers != nil,
                                         peakGMACs: emulateLayers == nil ? peakGMACs : nil)
                layerRing.withLock { $0.push(record) }
            }
            if let fps, fps > 0 {
                let period = UInt64(1e9 / fps)
                if nextFrameNs == 0 { nextFrameNs = start }
                nextFrameNs &+= period
                // A camera does not queue missed frames: skip to the first slot still ahead.
                if nextFrameNs < resumeAt {
                    let behind = (resumeAt - nextFrameNs + period - 1) / period
                    nextFrameNs &+= behind * period
                }
                resumeAt = nextFrameNs
            } else {
                nextFrameNs = 0
            }
            if resumeAt > MonotonicClock.now() { sleepUntil(resumeAt) }
        }
        control.withLock { $0.state = .stopped }
    }

    /// Sleeps to `deadline` unless pause or stop is asked for; other notifications
    /// (a new configuration, a new pace) do not cut a frame slot short.
    private func sleepUntil(_ deadline: UInt64) {
        while MonotonicClock.now() < deadline {
            if wake.wait(untilNs: deadline) {
                let interrupt = control.withLock { $0.paused || $0.stopping }
                if interrupt { wake.notify(); return }  // leave the notification for the main check
            }
        }
    }
}
