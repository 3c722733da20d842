/// One finished inference, as the loop reports it.
public struct InferenceRecord: Sendable, Equatable {
    /// Monotonic clock (`MonotonicClock.now()`) when the inference finished, in ns.
    public var timestampNs: UInt64
    /// Backend that ran it.
    public var backend: Backend
    /// Catalog name of the model, e.g. `mobilenet-v1-1.0-224`.
    public var model: String
    /// Threads of the pool that ran it.
    public var threads: Int
    /// Wall time of the inference alone, pacing excluded, in ns. Under device emulation it
    /// includes the idle the emulator adds, so it is the latency at the emulated clock.
    public var latencyNs: UInt64

    /// A record with every field given.
    public init(timestampNs: UInt64, backend: Backend, model: String, threads: Int, latencyNs: UInt64) {
        self.timestampNs = timestampNs; self.backend = backend; self.model = model
        self.threads = threads; self.latencyNs = latencyNs
    }
}
