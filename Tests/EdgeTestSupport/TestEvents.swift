import EdgeTrace

/// Builders for the headers and events tests feed to folds, sources and writers: one place
/// for the fields a test does not care about.
public enum TestEvents {
    /// A trace header for a made-up device; only what a test names differs.
    public static func header(cpuModel: String = "Test CPU", cores: Int = 2, sensors: Bool = false, model: String = "m",
                              source: TraceSource = .recorded, kernel: String = "6.1",
                              startTime: String = "2026-01-01T00:00:00Z") -> TraceHeader {
        TraceHeader(device: DeviceInfo(cpuModel: cpuModel, cores: cores, os: "Linux", kernel: kernel, hasThermalSensors: sensors),
                    source: source, model: model, startTime: startTime)
    }
}

/// One inference at `t` seconds taking `ms` milliseconds. Short names (`inf`, `sys`)
/// because tests write long tables of them.
public func inf(_ t: Double, _ backend: String = "int8", model: String = "mobilenet-v1", ms: Double,
                threads: Int? = nil) -> Event {
    .inference(InferenceEvent(t: t, backend: backend, model: model, latencyNs: UInt64(ms * 1e6), threads: threads))
}

/// One system sample at `t` seconds.
public func sys(_ t: Double, load: [CoreLoad] = [], freq: [CoreFrequency] = [],
                temps: [Temperature] = [], throttling: [String] = []) -> Event {
    .system(SystemSample(t: t, load: load, frequency: freq, temperatures: temps, throttling: throttling))
}

/// A user mark at `t` seconds.
public func mark(_ t: Double, _ label: String) -> Event { .mark(Mark(t: t, label: label)) }
