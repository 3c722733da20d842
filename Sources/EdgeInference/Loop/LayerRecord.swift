import EdgeKernels

/// One profiled inference as the loop reports it: every layer's time, labelled.
public struct LayerRecord: Sendable {
    /// Monotonic clock when the inference finished, ns.
    public var timestampNs: UInt64
    public var backend: Backend
    /// Catalog name of the model.
    public var model: String
    /// Every layer in graph order, with its time in this inference.
    public var layers: [LayerTiming]
    /// True when `emulateLayers` turned the measured times into the emulated device's.
    public var emulated: Bool
    /// This core's measured peak for the backend's data type, GMAC/s (nil for the
    /// reference, for a CPU without a probe, and for emulated times: the host's peak is
    /// not the emulated device's).
    public var peakGMACs: Double?

    /// A profiled inference.
    public init(timestampNs: UInt64, backend: Backend, model: String, layers: [LayerTiming], emulated: Bool = false,
                peakGMACs: Double? = nil) {
        self.timestampNs = timestampNs; self.backend = backend; self.model = model
        self.layers = layers; self.emulated = emulated; self.peakGMACs = peakGMACs
    }

    /// `layers` with their times replaced by `ns` (layer by layer; missing ones are 0).
    public static func retimed(_ layers: [LayerTiming], _ ns: [UInt64]) -> [LayerTiming] {
        layers.enumerated().map { i, l in
            var e = l
            e.nanoseconds = i < ns.count ? ns[i] : 0
            return e
        }
    }

    /// The measured peak for `backend`'s data type, nil for the plain reference (whose
    /// scalar loops no peak describes) or where this CPU has no probe.
    public static func peak(for backend: Backend) -> Double? {
        switch backend {
        case .int8: return PeakProbe.gmacs(.int8)
        case .fp32: return PeakProbe.gmacs(.fp32)
        case .ref: return nil
        }
    }
}

/// The newest layer profiles between the loop and one consumer; older ones are dropped
/// when nobody drains (a profile holds a label per layer, so the ring stays short).
struct LayerRing {
    static let capacity = 64
    var records: [LayerRecord] = []
    var dropped = 0

    mutating func push(_ r: LayerRecord) {
        if records.count >= Self.capacity { records.removeFirst(); dropped += 1 }
        records.append(r)
    }
}
