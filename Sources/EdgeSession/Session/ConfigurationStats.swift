/// What one set of figures is about: a model (its name carries width and resolution, e.g.
/// "mobilenet-v1-1.0-224"), a backend and a thread count. Latencies of different keys are
/// never pooled.
public struct ConfigurationKey: Sendable, Hashable {
    /// Model name, resolution included.
    public var model: String
    /// Backend name.
    public var backend: String
    /// Worker threads, nil where the source did not say.
    public var threads: Int?

    /// A key from its parts.
    public init(model: String, backend: String, threads: Int?) {
        self.model = model; self.backend = backend; self.threads = threads
    }

    /// The key as one short line, e.g. "mobilenet-v1-1.0-224 int8 2thr".
    public var label: String {
        "\(model) \(backend)" + (threads.map { " \($0)thr" } ?? "")
    }
}

/// Statistics of one configuration: its latencies, its frame rate over the time it ran, and
/// the frames a camera at the target rate would have dropped while it ran.
///
/// Running time is made of segments: consecutive inferences of this configuration with no
/// pause and no other configuration between them. A segment adds the time between its
/// inferences, never the time around it, so the average does not fall while paused or while
/// another configuration runs.
public struct ConfigurationStats: Sendable, Equatable {
    /// What these figures are about.
    public let key: ConfigurationKey
    /// Latency histograms and series of this configuration only.
    public internal(set) var latency: BackendLatency
    /// Inferences of this configuration.
    public internal(set) var frames: UInt64 = 0
    /// Runs of back-to-back inferences (each pause or switch away starts another).
    public internal(set) var segments: UInt64 = 0
    /// Seconds between the first and the last inference of each segment, summed.
    public internal(set) var runningSeconds: Double = 0
    /// Frames a camera at the target rate produced while this configuration ran (the first
    /// frame of each segment, then target × running time); 0 without a target.
    public internal(set) var framesDue: Double = 0
    /// Session time of the newest inference.
    public internal(set) var lastT: Double = 0
    /// Session time of the first inference.
    public internal(set) var firstT: Double = 0

    init(key: ConfigurationKey, seriesCapacity: Int) {
        self.key = key
        latency = BackendLatency(backend: key.backend, seriesCapacity: seriesCapacity)
    }

    /// Average frames per second over the running time (frames after each segment's first,
    /// over the time they took); nil until two back-to-back inferences give a time.
    public var averageFPS: Double? {
        guard runningSeconds > 0, frames > segments else { return nil }
        return Double(frames - segments) / runningSeconds
    }

    /// Frames the camera produced that no inference took: frames due less frames run, never
    /// below zero. Nil without a target rate.
    public var missedFrames: UInt64? {
        guard framesDue > 0 else { return nil }
        let due = wholeFramesDue
        return due > Double(frames) ? UInt64(due) - frames : 0
    }

    /// `missedFrames` as a share (0...1) of the frames due; nil without a target rate.
    public var missedShare: Double? {
        guard let missed = missedFrames else { return nil }
        return Double(missed) / max(1, wholeFramesDue)
    }

    /// Frames due as a whole number; sums of frame periods land a hair under the integer.
    private var wholeFramesDue: Double { (framesDue + 1e-6).rounded(.down) }

    /// Folds one inference at session time `t`; `continues` when the previous inference
    /// was of this configuration with no pause between, `targetFPS` the pace in force.
    mutating func record(latencyNs: UInt64, at t: Double, continues: Bool, targetFPS: Double?, deadlineNs: UInt64?) {
        if frames == 0 { firstT = t }
        if continues {
            let dt = max(0, t - lastT)
            runningSeconds += dt
            if let f = targetFPS { framesDue += dt * f }
        } else {
            segments += 1
            if targetFPS != nil { framesDue += 1 }
        }
        frames += 1
        lastT = t
        latency.record(latencyNs, at: t, deadlineNs: deadlineNs)
    }
}
