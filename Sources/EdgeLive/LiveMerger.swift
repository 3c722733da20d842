import EdgeInference
import EdgeTrace

/// The ordering half of the live source, free of threads and clocks: events from the
/// inference loop and the sampler arrive out of order, and come out sorted by time once
/// they are `holdback` seconds old.
///
/// A record pushed a moment after its timestamp still lands in order; one later than the
/// holdback is retimed to the last emitted time, so the stream never goes backwards.
public struct LiveMerger: Sendable {
    /// Seconds an event is held before it is handed out.
    public let holdback: Double
    private var pending: [Event] = []
    private var lastEmittedT = 0.0

    /// An empty merger that holds events back for `holdback` seconds.
    public init(holdback: Double = 0.1) { self.holdback = holdback }

    /// Events added and not yet handed out.
    public var pendingCount: Int { pending.count }

    /// Adds events from any channel, in any order.
    public mutating func add<S: Sequence>(_ events: S) where S.Element == Event { pending.append(contentsOf: events) }

    /// Adds one event.
    public mutating func add(_ event: Event) { pending.append(event) }

    /// The events at least `holdback` old at session time `now`, in time order (arrival
    /// order breaking ties); late ones are retimed to the last time handed out.
    public mutating func take(now: Double) -> [Event] { take(cutoff: now - holdback) }

    /// Everything still held, in order: the source has stopped, nothing earlier can come.
    public mutating func flush() -> [Event] { take(cutoff: .infinity) }

    private mutating func take(cutoff: Double) -> [Event] {
        // Swift's sort does not promise stability, so the arrival index breaks ties.
        pending = pending.enumerated().sorted { ($0.element.t, $0.offset) < ($1.element.t, $1.offset) }.map(\.element)
        let ready = pending.prefix { $0.t <= cutoff }
        pending.removeFirst(ready.count)
        var out: [Event] = []
        out.reserveCapacity(ready.count)
        for event in ready {
            if event.t < lastEmittedT { out.append(event.retimed(lastEmittedT)) }
            else { out.append(event); lastEmittedT = event.t }
        }
        return out
    }
}

/// Session time: seconds since a start reading of the monotonic clock, never negative.
public struct SessionTimeline: Sendable, Equatable {
    /// The clock reading (ns) that is t = 0.
    public let startNs: UInt64

    /// A timeline starting at `startNs`.
    public init(startNs: UInt64) { self.startNs = startNs }

    /// Session seconds at clock reading `ns`; readings before the start count as 0.
    public func seconds(_ ns: UInt64) -> Double {
        ns >= startNs ? Double(ns - startNs) / 1e9 : 0
    }

    /// The trace event for one profiled inference of the loop.
    public func event(_ record: LayerRecord) -> Event {
        .layers(LayerProfile(
            t: seconds(record.timestampNs), backend: record.backend.rawValue, model: record.model, emulated: record.emulated,
            peakGMACs: record.peakGMACs,
            layers: record.layers.map { LayerSample(name: $0.name, kind: $0.kind, shape: $0.shape, macs: $0.macs,
                                                    kernel: $0.kernel, ns: $0.nanoseconds) }))
    }

    /// The trace event for one record of the inference loop.
    public func event(_ record: InferenceRecord) -> Event {
        .inference(InferenceEvent(t: seconds(record.timestampNs), backend: record.backend.rawValue,
                                  model: record.model, latencyNs: record.latencyNs, threads: record.threads))
    }
}
