/// One thing that happened in a session. Live sessions, recorded traces and imported logs
/// all produce this same type, so the dashboard and the statistics never know the source.
///
/// Every event carries `t`: seconds since the session start (the trace header's
/// `startTime`), taken from a monotonic clock when live. State derived from events uses
/// these timestamps only, never the wall clock, so a replay always folds to the same state.
public enum Event: Sendable, Equatable {
    case inference(InferenceEvent)
    case system(SystemSample)
    case config(ConfigChange)
    case quality(QualityReport)
    case mark(Mark)
    case layers(LayerProfile)
    case processes(ProcessSample)

    /// The same event at time `t` (seconds since the session start).
    public func retimed(_ t: Double) -> Event {
        switch self {
        case .inference(var e): e.t = t; return .inference(e)
        case .system(var e): e.t = t; return .system(e)
        case .config(var e): e.t = t; return .config(e)
        case .quality(var e): e.t = t; return .quality(e)
        case .mark(var e): e.t = t; return .mark(e)
        case .layers(var e): e.t = t; return .layers(e)
        case .processes(var e): e.t = t; return .processes(e)
        }
    }

    /// Seconds since the session start.
    public var t: Double {
        switch self {
        case .inference(let e): return e.t
        case .system(let e): return e.t
        case .config(let e): return e.t
        case .quality(let e): return e.t
        case .mark(let e): return e.t
        case .layers(let e): return e.t
        case .processes(let e): return e.t
        }
    }
}

/// One finished inference.
public struct InferenceEvent: Sendable, Equatable {
    /// Seconds since the session start at which the inference finished.
    public var t: Double
    /// Backend name as shown to users: "int8", "fp32", "ref", or an imported label.
    public var backend: String
    /// Model name, e.g. "mobilenet-v1-1.0-224".
    public var model: String
    /// Wall latency of the inference in nanoseconds.
    public var latencyNs: UInt64
    /// Worker threads used, when known.
    public var threads: Int?

    /// A finished inference.
    public init(t: Double, backend: String, model: String, latencyNs: UInt64, threads: Int? = nil) {
        self.t = t; self.backend = backend; self.model = model
        self.latencyNs = latencyNs; self.threads = threads
    }
}

/// Load of one core over the interval since the previous sample, as fractions of that
/// interval (0...1). Idle is what remains; iowait counts as not busy but is shown apart.
public struct CoreLoad: Sendable, Equatable {
    public var user: Double
    public var nice: Double
    public var system: Double
    public var irq: Double
    public var softirq: Double
    public var steal: Double
    public var iowait: Double

    /// Shares of one sampling interval, each 0...1.
    public init(user: Double = 0, nice: Double = 0, system: Double = 0, irq: Double = 0,
                softirq: Double = 0, steal: Double = 0, iowait: Double = 0) {
        self.user = user; self.nice = nice; self.system = system; self.irq = irq
        self.softirq = softirq; self.steal = steal; self.iowait = iowait
    }

    /// Busy share: everything but idle and iowait.
    public var busy: Double { user + nice + system + irq + softirq + steal }
}

/// Frequency of one core in MHz, with its limits where known.
public struct CoreFrequency: Sendable, Equatable {
    public var curMHz: Double
    public var maxMHz: Double?
    public var governor: String?
    /// True when the value comes from device emulation, not from cpufreq.
    public var emulated: Bool

    /// A frequency reading.
    public init(curMHz: Double, maxMHz: Double? = nil, governor: String? = nil, emulated: Bool = false) {
        self.curMHz = curMHz; self.maxMHz = maxMHz; self.governor = governor; self.emulated = emulated
    }
}

/// One temperature reading in degrees Celsius.
public struct Temperature: Sendable, Equatable {
    /// Sensor name as shown, e.g. "cpu-0-0-usr", "k10temp Tctl", "soc (emulated)".
    public var sensor: String
    public var celsius: Double
    /// Lowest passive trip point (where throttling starts), if the kernel exposes one.
    public var passiveC: Double?
    /// Critical trip point, if any.
    public var criticalC: Double?
    /// True when the value comes from device emulation, not from a sensor.
    public var emulated: Bool

    /// A temperature reading.
    public init(sensor: String, celsius: Double, passiveC: Double? = nil, criticalC: Double? = nil, emulated: Bool = false) {
        self.sensor = sensor; self.celsius = celsius; self.passiveC = passiveC
        self.criticalC = criticalC; self.emulated = emulated
    }
}

/// A snapshot of the machine: per-core load and frequency, and every temperature.
public struct SystemSample: Sendable, Equatable {
    public var t: Double
    /// One entry per core, in core order (empty when unknown).
    public var load: [CoreLoad]
    /// One entry per core where cpufreq (or emulation) reports it; empty when unknown.
    public var frequency: [CoreFrequency]
    public var temperatures: [Temperature]
    /// Throttling signals seen in this sample (human-readable, e.g. "cpu0 at 60% of max under load").
    public var throttling: [String]
    /// Power readings (RAPL, a wall power analyzer...), empty when none.
    public var power: [PowerReading]

    /// A snapshot; every part may be empty when the machine does not expose it.
    public init(t: Double, load: [CoreLoad] = [], frequency: [CoreFrequency] = [],
                temperatures: [Temperature] = [], throttling: [String] = [], power: [PowerReading] = []) {
        self.t = t; self.load = load; self.frequency = frequency
        self.temperatures = temperatures; self.throttling = throttling; self.power = power
    }
}

/// One power reading in watts.
public struct PowerReading: Sendable, Equatable {
    /// What was measured, e.g. "package-0" or "wall (power analyzer)".
    public var source: String
    public var watts: Double
    /// True when the value comes from device emulation, not from a meter.
    public var emulated: Bool

    /// A power reading.
    public init(source: String, watts: Double, emulated: Bool = false) {
        self.source = source; self.watts = watts; self.emulated = emulated
    }
}

/// The workload changed: backend, model, threads or pacing. Fields left nil did not change.
public struct ConfigChange: Sendable, Equatable {
    public var t: Double
    public var backend: String?
    public var model: String?
    public var threads: Int?
    /// Frame pacing target (frames per second), 0 for "as fast as possible".
    public var targetFPS: Double?
    /// Whether inference is paused (live pause key).
    public var paused: Bool?

    /// A change; fields left nil did not change.
    public init(t: Double, backend: String? = nil, model: String? = nil, threads: Int? = nil,
                targetFPS: Double? = nil, paused: Bool? = nil) {
        self.t = t; self.backend = backend; self.model = model; self.threads = threads
        self.targetFPS = targetFPS; self.paused = paused
    }
}

/// Agreement of a backend's output with the fp32 reference on the same seeded input.
public struct QualityReport: Sendable, Equatable {
    public var t: Double
    public var backend: String
    public var model: String
    /// Cosine similarity of the logits, -1...1.
    public var cosine: Double
    /// Whether the top-1 class equals the reference's.
    public var top1Agree: Bool
    /// Running accuracy on labelled real images, when the loop fed them (nil: noise input only).
    public var accuracy: ImageAccuracyCount?
    /// Top-1 agreement with another variant of the model on the same images (nil: none).
    public var agreement: ImageAgreementCount?

    /// A quality check against the reference.
    public init(t: Double, backend: String, model: String, cosine: Double, top1Agree: Bool,
                accuracy: ImageAccuracyCount? = nil) {
        self.t = t; self.backend = backend; self.model = model
        self.cosine = cosine; self.top1Agree = top1Agree; self.accuracy = accuracy
    }
}

/// Top-1 and top-5 hits over the labelled images scored so far: counts, not rates, so a
/// reader always sees the sample size behind a share.
public struct ImageAccuracyCount: Sendable, Equatable {
    /// Images scored.
    public var images: Int
    /// Images whose label was the top class.
    public var top1: Int
    /// Images whose label was among the five top classes.
    public var top5: Int

    /// A tally; `nil` unless 0 ≤ top1 ≤ top5 ≤ images, since no other tally can happen.
    public init?(images: Int, top1: Int, top5: Int) {
        guard top1 >= 0, top1 <= top5, top5 <= images else { return nil }
        self.images = images; self.top1 = top1; self.top5 = top5
    }
}

/// Images on which two variants of one model (an int8 and an fp32 file) chose the same top
/// class, out of the images both have scored.
public struct ImageAgreementCount: Sendable, Equatable {
    /// The other variant's model name.
    public var with: String
    /// Images both variants have scored.
    public var images: Int
    /// Images on which their top classes are the same.
    public var top1: Int

    /// A tally; `nil` unless 0 ≤ top1 ≤ images.
    public init?(with: String, images: Int, top1: Int) {
        guard top1 >= 0, top1 <= images else { return nil }
        self.with = with; self.images = images; self.top1 = top1
    }
}

/// A user mark (a key press while recording, or a note in an imported log).
public struct Mark: Sendable, Equatable {
    public var t: Double
    public var label: String

    /// A mark with its label.
    public init(t: Double, label: String) { self.t = t; self.label = label }
}
