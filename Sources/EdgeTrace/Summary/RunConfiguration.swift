/// What one latency was measured under: statistics are kept per configuration because
/// pooling two backends or two models mixes two distributions into one that describes
/// neither.
public struct RunConfiguration: Hashable, Sendable {
    public var model: String
    public var backend: String
    /// Worker threads, when the trace records them.
    public var threads: Int?

    /// A configuration as named in a trace.
    public init(model: String, backend: String, threads: Int?) {
        self.model = model; self.backend = backend; self.threads = threads
    }

    /// "mobilenet-v1-0.25-128 int8, 1 thread".
    public var label: String {
        "\(model) \(backend)" + (threads.map { ", \($0) thread\($0 == 1 ? "" : "s")" } ?? "")
    }
}

/// The factors a run differs in, compared before two runs are: a comparison answers a
/// question only when a single factor differs.
public struct RunFactors: Sendable, Equatable {
    /// The factors' names, in the order they are reported.
    public static let names = ["model", "resolution", "backend", "threads", "device", "origin"]
    /// Values in the order of `names`.
    public var values: [String]

    /// The factors of `configuration` recorded under `header`.
    public init(_ configuration: RunConfiguration, header: TraceHeader) {
        let (model, resolution) = RunFactors.splitResolution(configuration.model)
        let d = header.device
        let origin = header.source.rawValue + (header.emulationProfile.map { " (\($0))" } ?? "")
        values = [model, resolution ?? "unknown", configuration.backend, configuration.threads.map { "\($0)" } ?? "unknown",
                  "\(d.cpuModel), \(d.cores) cores", origin]
    }

    /// The factors that differ from `other`: name, this run's value, the other's.
    public func differences(from other: RunFactors) -> [(factor: String, a: String, b: String)] {
        zip(RunFactors.names, zip(values, other.values)).compactMap { $1.0 == $1.1 ? nil : ($0, $1.0, $1.1) }
    }

    /// "mobilenet-v1-0.25-128" → ("mobilenet-v1-0.25", "128"): edgetop's model names end in
    /// the input resolution, which is a factor of its own.
    public static func splitResolution(_ name: String) -> (model: String, resolution: String?) {
        guard let dash = name.lastIndex(of: "-"), let r = Int(name[name.index(after: dash)...]), (16...8192).contains(r) else {
            return (name, nil)
        }
        return (String(name[..<dash]), "\(r)")
    }
}
