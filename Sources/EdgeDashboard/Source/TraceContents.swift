import EdgeTrace

/// Which kinds of figure a whole trace holds. A replay knows this before it plays, so a
/// panel can say "not recorded" for what the file will never show, instead of waiting.
public struct TraceContents: OptionSet, Sendable, Equatable {
    /// The kinds as bits.
    public let rawValue: Int
    /// An option set from its bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Per-inference latencies.
    public static let inference = TraceContents(rawValue: 1 << 0)
    /// Per-core load.
    public static let load = TraceContents(rawValue: 1 << 1)
    /// Temperatures.
    public static let temperature = TraceContents(rawValue: 1 << 2)
    /// Power readings.
    public static let power = TraceContents(rawValue: 1 << 3)
    /// Quality reports.
    public static let quality = TraceContents(rawValue: 1 << 4)

    /// What `events` hold, in one pass.
    public init<S: Sequence>(of events: S) where S.Element == Event {
        var c: TraceContents = []
        for e in events {
            switch e {
            case .inference: c.insert(.inference)
            case .quality: c.insert(.quality)
            case .system(let s):
                if !s.load.isEmpty { c.insert(.load) }
                if !s.temperatures.isEmpty { c.insert(.temperature) }
                if !s.power.isEmpty { c.insert(.power) }
            default: break
            }
        }
        self = c
    }
}

extension ReplaySource {
    /// What the replayed trace holds.
    public var contents: TraceContents { TraceContents(of: events) }
}
