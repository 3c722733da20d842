import EdgeTrace
import Prometheus

/// The event stream folded into Prometheus metrics: the same events the dashboard and a
/// trace see, so a scrape agrees with `edgetop stats` on the same session.
///
/// `fold` is called from one thread (the loop that polls the session); scrapes read the
/// registry from the server's tasks, which swift-prometheus makes safe. Every series carries
/// `device` and `origin`; inference series also `model`, `backend` and `threads`.
public final class EventMetrics: @unchecked Sendable {
    /// The collectors, for the exposition.
    public let registry = PrometheusCollectorRegistry()
    /// The labels every series carries.
    public let identity: MetricsIdentity

    /// Raw names as the events carry them: sanitized once, when the series is made.
    private struct WorkloadKey: Hashable { var model: String; var backend: String; var threads: Int? }
    private struct Workload {
        var latency: ValueHistogram
        var inferences: Counter
        var deadlineMisses: Counter
        var fps: Gauge
        /// Finish times within the last second of session time, oldest first.
        var recent: [Double] = []
        var recentStart = 0
    }

    private var workloads: [WorkloadKey: Workload] = [:]
    private var gauges: [String: Gauge] = [:]
    private var threads: Int?
    private var targetFPS = 0.0
    private let dropped: Counter
    private var droppedSoFar = 0
    private let badLines: Counter
    private var badLinesSoFar = 0
    private let sourceAge: Gauge
    private let process: ProcessMetrics

    /// Metrics for the session described by `identity`, with build and process series.
    public init(identity: MetricsIdentity) {
        self.identity = identity
        let base = [("device", identity.device), ("origin", identity.origin)]
        dropped = registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "edgetop", metricName: "dropped_records", unitName: "total",
                                             helpText: "Inference records lost because the reader fell behind the loop's ring."),
            labels: base)
        badLines = registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "edgetop", metricName: "follow_bad_lines", unitName: "total",
                                             helpText: "Lines of a followed source that could not be read as an inference."),
            labels: base)
        sourceAge = registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "edgetop", metricName: "follow_source_age", unitName: "seconds",
                                             helpText: "Seconds since a followed source last produced a line (0 when not following)."),
            labels: base)
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "edgetop", metricName: "build", unitName: "info",
                                             helpText: "Always 1; the labels say which edgetop this is."),
            labels: base + [("version", identity.version)]).set(to: 1)
        process = ProcessMetrics(registry: registry, labels: base)
    }

    /// Folds one event of the session.
    public func fold(_ event: Event) {
        switch event {
        case .inference(let e): foldInference(e)
        case .system(let s): foldSystem(s)
        case .config(let c):
            if let t = c.threads { threads = t }
            if let f = c.targetFPS { targetFPS = f }
        case .quality(let q):
            let labels = [("model", sanitize(q.model)), ("backend", sanitize(q.backend))]
            gauge("quality_cosine", unit: "ratio", help: "Cosine similarity of the logits with the fp32 reference on a seeded input.",
                  labels: labels).set(to: q.cosine)
            gauge("quality_top1_agreement", unit: "ratio", help: "1 when the top-1 class equals the fp32 reference's, else 0.",
                  labels: labels).set(to: q.top1Agree ? 1 : 0)
        case .mark, .layers, .processes: break
        }
    }

    /// Sets the dropped-records counter to the session's running total.
    public func setDroppedRecords(_ total: Int) {
        if total > droppedSoFar { dropped.increment(by: Int64(total - droppedSoFar)); droppedSoFar = total }
    }

    /// Sets the followed source's bad-line counter to its running total and its age.
    public func setFollowStatus(badLines total: Int, ageSeconds: Double) {
        if total > badLinesSoFar { badLines.increment(by: Int64(total - badLinesSoFar)); badLinesSoFar = total }
        sourceAge.set(to: max(0, ageSeconds))
    }

    /// Ends the run: the FPS gauges fall to 0 (nothing runs any more) while counters and
    /// histograms keep their totals for the scrapes that follow.
    public func finish() {
        for key in workloads.keys {
            workloads[key]!.recent.removeAll()
            workloads[key]!.recentStart = 0
            workloads[key]!.fps.set(to: 0)
        }
    }

    /// The exposition of every metric: Prometheus text, or OpenMetrics when asked for.
    public func exposition(openMetrics: Bool) -> String {
        process.update()
        let text = registry.emitToString()
        return openMetrics ? OpenMetricsText.convert(text) : text
    }

    private func foldInference(_ e: InferenceEvent) {
        let key = WorkloadKey(model: e.model, backend: e.backend, threads: e.threads ?? threads)
        if workloads[key] == nil { workloads[key] = makeWorkload(key) }
        // In place: a copy out of the dictionary would copy the window's array on every event.
        record(e, into: &workloads[key]!)
    }

    private func record(_ e: InferenceEvent, into w: inout Workload) {
        let seconds = Double(e.latencyNs) / 1e9
        w.latency.record(seconds)
        w.inferences.increment()
        if targetFPS > 0, seconds > 1 / targetFPS { w.deadlineMisses.increment() }
        w.recent.append(e.t)
        advance(&w, to: e.t)
    }

    /// Drops finish times older than one second before `t` and sets the FPS gauge.
    private func advance(_ w: inout Workload, to t: Double) {
        while w.recentStart < w.recent.count, w.recent[w.recentStart] <= t - 1 { w.recentStart += 1 }
        if w.recentStart > 1024 { w.recent.removeFirst(w.recentStart); w.recentStart = 0 }
        w.fps.set(to: Double(w.recent.count - w.recentStart))
    }

    private func makeWorkload(_ key: WorkloadKey) -> Workload {
        let labels = [("device", identity.device), ("model", sanitize(key.model)), ("backend", sanitize(key.backend)),
                      ("threads", key.threads.map(String.init) ?? "unknown"), ("origin", identity.origin)]
        return Workload(
            latency: registry.makeValueHistogram(
                descriptor: MetricNameDescriptor(namespace: "edgetop", metricName: "inference_latency", unitName: "seconds",
                                                 helpText: "Wall latency of each inference."),
                labels: labels, buckets: LatencyBuckets.seconds),
            inferences: registry.makeCounter(
                descriptor: MetricNameDescriptor(namespace: "edgetop", metricName: "inferences", unitName: "total",
                                                 helpText: "Inferences finished."),
                labels: labels),
            deadlineMisses: registry.makeCounter(
                descriptor: MetricNameDescriptor(namespace: "edgetop", metricName: "deadline_misses", unitName: "total",
                                                 helpText: "Inferences slower than the frame interval of --target-fps."),
                labels: labels),
            fps: registry.makeGauge(
                descriptor: MetricNameDescriptor(namespace: "edgetop", metricName: "fps", unitName: "hertz",
                                                 helpText: "Inferences finished in the last second of session time."),
                labels: labels))
    }

    private func foldSystem(_ s: SystemSample) {
        // Session time moves on with every sample, so an idle workload's FPS falls to 0.
        for key in workloads.keys { advance(&workloads[key]!, to: s.t) }
        for (i, load) in s.load.enumerated() {
            gauge("core_busy", unit: "ratio", help: "Share of the last sampling interval a core was busy (not idle, not iowait).",
                  labels: [("core", String(i))]).set(to: load.busy)
        }
        for (i, f) in s.frequency.enumerated() {
            gauge("core_frequency", unit: "hertz", help: "Current core frequency.",
                  labels: [("core", String(i))], emulated: f.emulated).set(to: f.curMHz * 1e6)
        }
        for temp in s.temperatures {
            gauge("temperature", unit: "celsius", help: "Temperature per sensor.",
                  labels: [("sensor", sanitize(temp.sensor))], emulated: temp.emulated).set(to: temp.celsius)
        }
        gauge("throttling", unit: "", help: "1 while the latest sample shows throttling, else 0.",
              labels: []).set(to: s.throttling.isEmpty ? 0 : 1)
        for p in s.power {
            gauge("power", unit: "watts", help: "Power where measured (RAPL, a power analyzer) or emulated.",
                  labels: [("source", sanitize(p.source))], emulated: p.emulated).set(to: p.watts)
        }
    }

    /// The gauge `edgetop_NAME_UNIT` for `labels` plus device and origin, made on first use.
    private func gauge(_ name: String, unit: String, help: String, labels: [(String, String)], emulated: Bool = false) -> Gauge {
        let origin = identity.emulated || emulated ? "emulated" : "live"
        let all = [("device", identity.device)] + labels + [("origin", origin)]
        let key = name + "\u{1}" + all.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{1}")
        if let g = gauges[key] { return g }
        let g = registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "edgetop", metricName: name, unitName: unit, helpText: help),
            labels: all)
        gauges[key] = g
        return g
    }
}
