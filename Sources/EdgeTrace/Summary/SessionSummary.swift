/// The figures `edgetop stats` prints for one session. It is a pure fold over the events
/// (`SummaryBuilder`), so the same trace always gives the same summary.
public struct SessionSummary: Sendable {
    /// The file the session was read from.
    public var file: String
    public var header: TraceHeader
    /// Seconds from the session start to its last event.
    public var duration: Double
    public var inferenceCount: Int
    /// Session-average frames per second: inferences / duration (0 for an empty session).
    public var fps: Double
    /// Latency per backend, in order of first appearance.
    public var backends: [(name: String, stats: LatencyStats)]
    /// Models seen in inference events, in order of first appearance.
    public var models: [String]
    /// Latency per (model, backend, threads), in order of first appearance: a backend that
    /// ran two models or thread counts is two distributions, shown apart.
    public var configurations: [(configuration: RunConfiguration, stats: LatencyStats)] = []
    /// Seconds each configuration ran, keyed like `configurations`: the time from the event
    /// before each of its inferences (the previous inference or a change) to that inference,
    /// so a paused stretch or another configuration's time never counts.
    public var configurationSeconds: [RunConfiguration: Double] = [:]
    public var temperatures: [SensorRange]
    /// Mean busy share (0...1) per core over all system samples.
    public var meanCoreLoad: [Double]
    /// Mean frequency per core in MHz, and whether any of it was emulated.
    public var meanCoreMHz: [Double]
    public var frequencyEmulated: Bool
    public var power: [PowerRange]
    public var markCount: Int
    public var configChangeCount: Int
    public var systemSampleCount: Int
    /// Warnings from reading the file.
    public var warnings: [String]
    /// Per-layer tables from the trace's `layers` events (every profile kept).
    public var layers = LayerTables()
    /// `processes` events in the trace.
    public var processSampleCount = 0
}

/// Lowest and highest reading of one temperature sensor.
public struct SensorRange: Sendable, Equatable {
    public var sensor: String
    public var minC: Double
    public var maxC: Double
    /// True when any reading came from device emulation rather than a sensor.
    public var emulated: Bool
}

/// Lowest, mean and highest reading of one power source.
public struct PowerRange: Sendable, Equatable {
    public var source: String
    public var minW: Double
    public var meanW: Double
    public var maxW: Double
    public var emulated: Bool
}

/// Folds events into a `SessionSummary`. Every latency is kept (8 bytes each) so the
/// percentiles are exact; everything else is a running figure.
public struct SummaryBuilder {
    private var latencies: [String: [UInt64]] = [:]
    private var configLatencies: [RunConfiguration: [UInt64]] = [:]
    private var configOrder: [RunConfiguration] = []
    private var configSeconds: [RunConfiguration: Double] = [:]
    /// When the frame now running started: the previous inference or change, nil while paused.
    private var frameStart: Double? = 0
    private var backendOrder: [String] = []
    private var models: [String] = []
    private var lastT = 0.0
    private var temps: [String: SensorRange] = [:]
    private var tempOrder: [String] = []
    private var loadSum: [Double] = []
    private var loadCount: [Int] = []
    private var freqSum: [Double] = []
    private var freqCount: [Int] = []
    private var freqEmulated = false
    private var power: [String: (min: Double, sum: Double, max: Double, n: Int, emulated: Bool)] = [:]
    private var powerOrder: [String] = []
    private var marks = 0, configs = 0, systems = 0
    private var layerTables = LayerTables()
    private var processSamples = 0
    /// Only inferences of this backend count, when set.
    public let backendFilter: String?

    /// An empty fold, optionally restricted to one backend's inferences.
    public init(backend: String? = nil) { backendFilter = backend }

    /// Folds in one event.
    public mutating func add(_ event: Event) {
        lastT = max(lastT, event.t)
        switch event {
        case .inference(let e):
            let start = frameStart
            frameStart = e.t
            if let f = backendFilter, f != e.backend { return }
            if latencies[e.backend] == nil { backendOrder.append(e.backend); latencies[e.backend] = [] }
            latencies[e.backend]!.append(e.latencyNs)
            let c = RunConfiguration(model: e.model, backend: e.backend, threads: e.threads)
            if configLatencies[c] == nil { configOrder.append(c); configLatencies[c] = [] }
            configLatencies[c]!.append(e.latencyNs)
            if let start { configSeconds[c, default: 0] += max(0, e.t - start) }
            if !models.contains(e.model) { models.append(e.model) }
        case .system(let s):
            systems += 1
            for (i, l) in s.load.enumerated() {
                if loadSum.count <= i { loadSum.append(0); loadCount.append(0) }
                loadSum[i] += l.busy; loadCount[i] += 1
            }
            for (i, f) in s.frequency.enumerated() {
                if freqSum.count <= i { freqSum.append(0); freqCount.append(0) }
                freqSum[i] += f.curMHz; freqCount[i] += 1
                freqEmulated = freqEmulated || f.emulated
            }
            for t in s.temperatures {
                if var r = temps[t.sensor] {
                    r.minC = min(r.minC, t.celsius); r.maxC = max(r.maxC, t.celsius); r.emulated = r.emulated || t.emulated
                    temps[t.sensor] = r
                } else {
                    temps[t.sensor] = SensorRange(sensor: t.sensor, minC: t.celsius, maxC: t.celsius, emulated: t.emulated)
                    tempOrder.append(t.sensor)
                }
            }
            for p in s.power {
                if var r = power[p.source] {
                    r.min = min(r.min, p.watts); r.max = max(r.max, p.watts); r.sum += p.watts; r.n += 1
                    r.emulated = r.emulated || p.emulated
                    power[p.source] = r
                } else {
                    power[p.source] = (p.watts, p.watts, p.watts, 1, p.emulated)
                    powerOrder.append(p.source)
                }
            }
        case .config(let c):
            configs += 1
            // A change restarts the clock of the frame in flight; a pause stops it until resumed.
            frameStart = c.paused == true ? nil : c.t
        case .mark: marks += 1
        case .quality: break
        case .layers(let l):
            if let f = backendFilter, f != l.backend { return }
            layerTables.add(l)
        case .processes: processSamples += 1
        }
    }

    /// The latencies kept for `backend`, in arrival order (for A/B comparison).
    public func latencies(of backend: String) -> [UInt64] { latencies[backend] ?? [] }

    /// The latencies kept for one (model, backend, threads) configuration, in arrival order.
    public func latencies(of configuration: RunConfiguration) -> [UInt64] { configLatencies[configuration] ?? [] }

    /// Every configuration seen, in order of first appearance.
    public var configurations: [RunConfiguration] { configOrder }

    /// Every backend seen, in order of first appearance.
    public var backendNames: [String] { backendOrder }

    /// The per-layer tables folded so far.
    public var layers: LayerTables { layerTables }

    /// The summary of everything folded so far.
    public func finish(file: String, header: TraceHeader, warnings: [String] = []) -> SessionSummary {
        let backends = backendOrder.compactMap { name in LatencyStats(latencies: latencies[name]!).map { (name, $0) } }
        let count = backends.reduce(0) { $0 + $1.1.count }
        var summary = SessionSummary(
            file: file, header: header, duration: lastT, inferenceCount: count,
            fps: lastT > 0 ? Double(count) / lastT : 0,
            backends: backends, models: models,
            temperatures: tempOrder.map { temps[$0]! },
            meanCoreLoad: zip(loadSum, loadCount).map { $1 > 0 ? $0 / Double($1) : 0 },
            meanCoreMHz: zip(freqSum, freqCount).map { $1 > 0 ? $0 / Double($1) : 0 },
            frequencyEmulated: freqEmulated,
            power: powerOrder.map { let r = power[$0]!; return PowerRange(source: $0, minW: r.min, meanW: r.sum / Double(r.n), maxW: r.max, emulated: r.emulated) },
            markCount: marks, configChangeCount: configs, systemSampleCount: systems, warnings: warnings,
            layers: layerTables, processSampleCount: processSamples)
        summary.configurations = configOrder.compactMap { c in LatencyStats(latencies: configLatencies[c]!).map { (c, $0) } }
        summary.configurationSeconds = configSeconds
        return summary
    }
}

extension SessionSummary {
    /// Reads every event of `source` and summarises it, keeping the builder for A/B use.
    public static func compute(_ source: EventSource, file: String, backend: String? = nil) throws -> (SessionSummary, SummaryBuilder) {
        var b = SummaryBuilder(backend: backend)
        while let e = try source.next() { b.add(e) }
        return (b.finish(file: file, header: source.header, warnings: source.warnings), b)
    }
}
