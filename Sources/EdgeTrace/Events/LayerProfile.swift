/// The per-layer times of one profiled inference: one compact event per profiled run
/// (the loop profiles one inference in N), so a replay rebuilds the same layer table and
/// `stats` can print and compare it.
public struct LayerProfile: Sendable, Equatable {
    /// Seconds since the session start at which the profiled inference finished.
    public var t: Double
    /// Backend that ran it, e.g. "int8".
    public var backend: String
    /// Catalog name of the model.
    public var model: String
    /// True when the times are the emulated device's (its compute model), not measured here.
    public var emulated: Bool
    /// This CPU's measured multiply-accumulate peak for the backend's data type, in GMAC/s,
    /// when a probe for that data type exists; layers quote their rate as a share of it.
    public var peakGMACs: Double?
    /// Every operator of the model, in graph order.
    public var layers: [LayerSample]

    /// A profile of one inference.
    public init(t: Double, backend: String, model: String, emulated: Bool = false, peakGMACs: Double? = nil,
                layers: [LayerSample]) {
        self.t = t; self.backend = backend; self.model = model; self.emulated = emulated
        self.peakGMACs = peakGMACs; self.layers = layers
    }

    /// Wall time of all the layers together, ns.
    public var totalNs: UInt64 { layers.reduce(0) { $0 &+ $1.ns } }
}

/// One operator's part of a profiled inference.
public struct LayerSample: Sendable, Equatable {
    /// Layer name in the model graph, e.g. "conv_dw_3".
    public var name: String
    /// Operator kind, e.g. "conv1x1s1", "dw3x3s2", "fc", "add".
    public var kind: String
    /// Output shape, height x width x channels, e.g. "56x56x128".
    public var shape: String
    /// Multiply-accumulates of one run (0 for pools and adds).
    public var macs: Int
    /// The microkernel (or operator) that ran it, by its true name.
    public var kernel: String
    /// Time of the operator in this inference, ns (monotonic clock around the operator).
    public var ns: UInt64

    /// One layer's figures.
    public init(name: String, kind: String, shape: String, macs: Int, kernel: String, ns: UInt64) {
        self.name = name; self.kind = kind; self.shape = shape; self.macs = macs; self.kernel = kernel; self.ns = ns
    }
}
