import EdgeCore
import Synchronization

/// A fixed-capacity ring of records between the inference thread and one consumer.
///
/// The producer never waits for the consumer and never allocates: when the ring is full
/// the oldest record is overwritten and counted in `dropped`, so a stalled consumer costs
/// a bounded amount of memory and the records it does read are the freshest ones.
public final class RecordRing: Sendable {
    private struct State {
        var slots: [InferenceRecord?]
        var head = 0      // index of the oldest record
        var count = 0
        var dropped = 0
    }

    private let state: Locked<State>
    /// Most records held at once.
    public let capacity: Int

    /// An empty ring for at most `capacity` records (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Locked(State(slots: Array(repeating: nil, count: max(1, capacity))))
    }

    /// Appends a record, overwriting the oldest one when full.
    public func push(_ record: InferenceRecord) {
        state.withLock { s in
            let cap = s.slots.count
            if s.count == cap {
                s.slots[s.head] = record
                s.head = (s.head + 1) % cap
                s.dropped += 1
            } else {
                s.slots[(s.head + s.count) % cap] = record
                s.count += 1
            }
        }
    }

    /// Takes every held record, oldest first, and empties the ring.
    public func drain() -> [InferenceRecord] {
        state.withLock { s in
            var out: [InferenceRecord] = []
            out.reserveCapacity(s.count)
            let cap = s.slots.count
            for i in 0..<s.count {
                let slot = (s.head + i) % cap
                out.append(s.slots[slot]!)
                s.slots[slot] = nil
            }
            s.head = 0
            s.count = 0
            return out
        }
    }

    /// Records overwritten before anyone drained them, since the ring was made.
    public var dropped: Int { state.withLock { $0.dropped } }

    /// Records currently held.
    public var count: Int { state.withLock { $0.count } }
}
