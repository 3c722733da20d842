import DequeModule
import EdgeTrace

/// Session statistics as a pure fold over `Event`s.
///
/// Time comes only from event timestamps, never from the wall clock, so the same events
/// always give the same figures. Every collection is bounded (series rings, at most
/// `maxBackends` backends, `maxSensors` sensors, `maxCores` cores, `maxMarks` marks), so
/// folding an hour of events keeps the same memory, and each event costs O(1) amortized
/// (a whole second closing costs O(cores + sensors + backends) once per second).
///
/// Missed frames: with a target FPS set (`.config` targetFPS > 0), a frame is missed when
/// its latency exceeds the frame period 1/target — the deadline a paced, camera-like loop
/// must meet. Gaps between frames (pauses, backend switches) are not counted as misses.
/// The dashboard's "missed" is another figure, a configuration's `missedFrames`: the frames
/// a camera at the target rate would drop (frames due in its running time less frames run).
///
/// Configurations: latencies, frame rates and dropped frames are also kept per
/// (model, backend, threads) in `configurations`, so a switch starts figures of its own and
/// returning to a configuration continues its figures; the dashboard shows the current one.
public struct SessionStats: Sendable, Equatable {
    /// Points kept per time series (seconds).
    public let seriesCapacity: Int
    /// Backends tracked at most; a log with more names is cut, not grown without end.
    public static let maxBackends = 16
    /// Temperature sensors tracked at most.
    public static let maxSensors = 64
    /// Cores tracked at most.
    public static let maxCores = 1024
    /// Newest marks kept.
    public static let maxMarks = 32
    /// Configurations tracked at most.
    public static let maxConfigurations = 32
    /// Power sources tracked at most.
    public static let maxPowerSources = 16

    // Current configuration.
    /// Backend running now: from the newest `.config`, or the first inference's backend
    /// when the session never announced one.
    public private(set) var backend: String?
    /// Model running now.
    public private(set) var model: String?
    /// Worker threads of the running backend.
    public private(set) var threads: Int?
    /// Pacing target in frames per second; nil or 0 means as fast as possible.
    public private(set) var targetFPS: Double?
    /// Whether inference is paused (live pause key).
    public private(set) var paused = false
    private var backendFromConfig = false

    // Rates and latencies.
    /// Instantaneous and average FPS.
    public private(set) var fps: FPSMeter
    /// Frames per second, one point per second.
    public private(set) var fpsSeries: SecondSeries
    private var framesThisSecond = 0
    /// Per-backend latency statistics, by name.
    public private(set) var latency: [String: BackendLatency] = [:]
    /// Backends in order of first appearance (stable for keys `1` `2` `3` and drawing).
    public private(set) var backends: [String] = []
    /// Statistics per configuration, in order of first inference.
    public private(set) var configurations: [ConfigurationStats] = []
    private var configurationIndex: [ConfigurationKey: Int] = [:]
    /// Index in `configurations` of the previous inference's configuration, nil after a
    /// pause (the next inference starts a new segment).
    private var runningConfiguration: Int?

    // Quality.
    /// Newest quality report per backend.
    public private(set) var quality: [String: QualityReport] = [:]
    /// Backends with a quality report, in order of first report.
    public private(set) var qualityOrder: [String] = []
    /// Newest quality report per (model, backend), in order of first report, so returning
    /// to a model finds its own figures again.
    public private(set) var qualityReports: [QualityReport] = []

    // System.
    /// Cores in index order.
    public private(set) var cores: [CoreState] = []
    /// Temperature sensors in order of first appearance.
    public private(set) var sensors: [SensorState] = []
    private var sensorIndex: [String: Int] = [:]
    /// Power sources in order of first reading.
    public private(set) var power: [PowerState] = []
    /// Throttling signals of the newest system sample.
    public private(set) var throttling: [String] = []
    /// Session time of the newest system sample.
    public private(set) var lastSystemSample: Double?

    // Where the time goes.
    /// Per-layer tables of each model and backend profiled, each a recent median over the
    /// newest `layerWindow` profiles.
    public private(set) var layerTables = LayerTables(window: SessionStats.layerWindow)
    /// Profiles a layer table's medians are taken over.
    public static let layerWindow = 15
    /// The newest sample of the busiest processes.
    public private(set) var processes: ProcessSample?

    // Bookkeeping.
    /// Newest marks, oldest first.
    public private(set) var marks: Deque<Mark> = []
    /// Events folded since the start or the last reset.
    public private(set) var eventCount: UInt64 = 0
    /// Events dropped because a bound was hit (too many backends or sensors).
    public private(set) var dropped: UInt64 = 0
    /// Newest session time seen.
    public private(set) var now: Double = 0
    private var currentSecond: Int?

    /// Empty statistics keeping `seriesCapacity` seconds of history per series.
    public init(seriesCapacity: Int = 600) {
        self.seriesCapacity = seriesCapacity
        fps = FPSMeter()
        fpsSeries = SecondSeries(capacity: seriesCapacity)
    }

    /// Empty statistics with `events` folded in.
    public init(events: [Event], seriesCapacity: Int = 600) {
        self.init(seriesCapacity: seriesCapacity)
        for e in events { apply(e) }
    }

    /// Folds one event.
    public mutating func apply(_ event: Event) {
        eventCount += 1
        // A time no session can have (NaN, negative, past 30 years) is taken as "now", so a
        // bad value from a file or an importer cannot break the clock or the series.
        let t = event.t.isFinite && event.t >= 0 && event.t < 1e9 ? event.t : now
        advanceClock(to: t)
        switch event {
        case .inference(var e):
            e.t = t
            applyInference(e)
        case .system(let s): applySystem(s)
        case .config(let c): applyConfig(c)
        case .quality(let q): applyQuality(q)
        case .mark(let m):
            if marks.count == Self.maxMarks { marks.removeFirst() }
            marks.append(m)
        case .layers(let l): layerTables.add(l)
        case .processes(let p): processes = p
        }
    }

    /// Folds events in order.
    public mutating func apply<S: Sequence>(_ events: S) where S.Element == Event {
        for e in events { apply(e) }
    }

    /// Clears the statistics (histograms, counts, series, extremes) at the current session
    /// time, keeping what describes the present: configuration, newest readings, quality.
    public mutating func reset() {
        fps.reset(at: now)
        fpsSeries.removeAll()
        framesThisSecond = 0
        for k in backends { latency[k]?.reset() }
        configurations.removeAll()
        configurationIndex.removeAll()
        runningConfiguration = nil
        for i in power.indices { power[i].series.removeAll() }
        for i in cores.indices {
            cores[i].loadSeries.removeAll(); cores[i].frequencySeries.removeAll()
        }
        for i in sensors.indices {
            sensors[i].series.removeAll()
            sensors[i].minC = sensors[i].latest.celsius; sensors[i].maxC = sensors[i].latest.celsius
        }
        marks.removeAll()
        layerTables = LayerTables(window: Self.layerWindow)
        eventCount = 0
        dropped = 0
    }

    // MARK: Figures

    /// Deadline of one frame in nanoseconds when pacing to a target FPS.
    public var deadlineNs: UInt64? {
        guard let f = targetFPS, f > 0 else { return nil }
        return UInt64((1e9 / f).rounded())
    }

    /// Missed frames of every backend.
    public var missedFrames: UInt64 { latency.values.reduce(0) { $0 + $1.missed } }

    /// Inferences of every backend since the start or the last reset.
    public var inferenceCount: UInt64 { fps.total }

    /// The configuration in force: the newest `.config` (or first inference) figures.
    public var currentKey: ConfigurationKey? {
        guard let model, let backend else { return nil }
        return ConfigurationKey(model: model, backend: backend, threads: threads)
    }

    /// Figures of the configuration in force; nil before its first inference. A source that
    /// never said its thread count matches on model and backend.
    public var current: ConfigurationStats? {
        guard let key = currentKey else { return nil }
        if let i = configurationIndex[key] { return configurations[i] }
        if let i = runningConfiguration, configurations[i].key.model == key.model, configurations[i].key.backend == key.backend {
            return configurations[i]
        }
        return configurations.last { $0.key.model == key.model && $0.key.backend == key.backend }
    }

    /// Quality reports of the model in use (each backend's newest), in report order.
    public var currentQuality: [QualityReport] {
        qualityReports.filter { model == nil || $0.model == model }
    }

    /// True when any temperature comes from device emulation.
    public var temperaturesEmulated: Bool { sensors.contains { $0.latest.emulated } }

    /// True when any frequency comes from device emulation.
    public var frequenciesEmulated: Bool { cores.contains { $0.frequency?.emulated == true } }

    /// True when the newest sample reports throttling or a sensor is past its passive trip.
    public var isThrottling: Bool { !throttling.isEmpty || sensors.contains { $0.aboveTrip } }

    // MARK: Folding

    private mutating func advanceClock(to t: Double) {
        if t > now { now = t }
        fps.advance(to: now)
        let sec = Int(now.rounded(.down))
        guard let cur = currentSecond else { currentSecond = sec; return }
        guard sec > cur else { return }
        // Recent windows turn over on whole seconds (their slots are whole seconds), so
        // moving them here, not on every event, is the same and keeps an event O(1).
        for k in backends { latency[k]!.rotate(to: now) }
        for i in configurations.indices { configurations[i].latency.rotate(to: now) }
        closeSecond(cur)
        // Seconds with no event at all: no frames, no latency, readings held.
        let gap = min(sec - cur - 1, seriesCapacity)
        if gap > 0 { for s in (sec - gap)..<sec { closeSecond(s) } }
        currentSecond = sec
    }

    private mutating func closeSecond(_ sec: Int) {
        fpsSeries.append(Double(framesThisSecond), second: sec)
        framesThisSecond = 0
        for k in backends { latency[k]!.closeSecond(sec) }
        for i in configurations.indices { configurations[i].latency.closeSecond(sec) }
        for i in power.indices { power[i].series.append(power[i].latest.watts, second: sec) }
        for i in cores.indices {
            cores[i].loadSeries.append(cores[i].load.busy, second: sec)
            cores[i].frequencySeries.append(cores[i].frequency?.curMHz ?? .nan, second: sec)
        }
        for i in sensors.indices { sensors[i].series.append(sensors[i].latest.celsius, second: sec) }
    }

    private mutating func applyInference(_ e: InferenceEvent) {
        if latency[e.backend] == nil {
            guard backends.count < Self.maxBackends else { dropped += 1; return }
            var b = BackendLatency(backend: e.backend, seriesCapacity: seriesCapacity)
            b.rotate(to: now)
            latency[e.backend] = b
            backends.append(e.backend)
        }
        fps.frame(at: e.t)
        framesThisSecond += 1
        latency[e.backend]!.record(e.latencyNs, at: now, deadlineNs: deadlineNs)
        if !backendFromConfig { backend = e.backend }
        if model == nil { model = e.model }
        if threads == nil, let th = e.threads { threads = th }
        recordConfiguration(e)
    }

    private mutating func recordConfiguration(_ e: InferenceEvent) {
        let key = ConfigurationKey(model: e.model, backend: e.backend, threads: e.threads ?? threads)
        let i: Int
        if let known = configurationIndex[key] {
            i = known
        } else {
            guard configurations.count < Self.maxConfigurations else { dropped += 1; return }
            var c = ConfigurationStats(key: key, seriesCapacity: seriesCapacity)
            c.latency.rotate(to: now)
            i = configurations.count
            configurations.append(c)
            configurationIndex[key] = i
        }
        configurations[i].record(latencyNs: e.latencyNs, at: e.t, continues: runningConfiguration == i,
                                 targetFPS: deadlineNs == nil ? nil : targetFPS, deadlineNs: deadlineNs)
        runningConfiguration = i
    }

    private mutating func applyConfig(_ c: ConfigChange) {
        if let b = c.backend { backend = b; backendFromConfig = true }
        if let m = c.model { model = m }
        if let th = c.threads { threads = th }
        // Pacing from a file may be anything; outside one frame per 1000 s to a million per second it means none.
        if let f = c.targetFPS { targetFPS = f.isFinite && f >= 1e-3 && f <= 1e6 ? f : nil }
        if let p = c.paused {
            // A pause ends the running segment: its time is not the configuration's.
            if p != paused { runningConfiguration = nil }
            paused = p
        }
    }

    private mutating func applyQuality(_ q: QualityReport) {
        if quality[q.backend] == nil {
            guard qualityOrder.count < Self.maxBackends else { dropped += 1; return }
            qualityOrder.append(q.backend)
        }
        quality[q.backend] = q
        if let i = qualityReports.firstIndex(where: { $0.model == q.model && $0.backend == q.backend }) {
            qualityReports[i] = q
        } else if qualityReports.count < Self.maxConfigurations {
            qualityReports.append(q)
        }
    }

    private mutating func applySystem(_ s: SystemSample) {
        lastSystemSample = s.t
        throttling = s.throttling
        for r in s.power {
            if let i = power.firstIndex(where: { $0.source == r.source }) {
                power[i].latest = r
                power[i].maxWatts = max(power[i].maxWatts, r.watts.isFinite ? r.watts : 0)
            } else {
                guard power.count < Self.maxPowerSources else { dropped += 1; continue }
                power.append(PowerState(reading: r, capacity: seriesCapacity))
            }
        }
        let n = min(max(s.load.count, s.frequency.count), Self.maxCores)
        if cores.count < n {
            for i in cores.count..<n { cores.append(CoreState(index: i, capacity: seriesCapacity)) }
        }
        for i in 0..<n {
            if i < s.load.count { cores[i].load = s.load[i] }
            cores[i].frequency = i < s.frequency.count ? s.frequency[i] : nil
        }
        for r in s.temperatures {
            if let i = sensorIndex[r.sensor] {
                sensors[i].latest = r
                sensors[i].minC = min(sensors[i].minC, r.celsius)
                sensors[i].maxC = max(sensors[i].maxC, r.celsius)
                sensors[i].lastSeen = s.t
            } else {
                guard sensors.count < Self.maxSensors else { dropped += 1; continue }
                sensorIndex[r.sensor] = sensors.count
                sensors.append(SensorState(reading: r, at: s.t, capacity: seriesCapacity))
            }
        }
    }
}
