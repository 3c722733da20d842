import EdgeTrace

/// What the dashboard watches: the live inference loop or a replayed trace. Both hand over
/// the same `Event`s; the dashboard folds them and never asks which one it is.
public protocol SessionSource: AnyObject {
    /// The session's header (device, source kind, model).
    var header: TraceHeader { get }
    /// Where the source stands now, for the header line.
    var mode: SourceMode { get }
    /// Events that became available since the last call; never blocks. `reset` asks the
    /// caller to drop its folded state first (a replay seek backwards).
    func poll() -> SourcePoll
    /// Applies a user command; returns false when this source does not support it.
    @discardableResult func handle(_ command: SourceCommand) -> Bool
}

/// The result of one `poll()`.
public struct SourcePoll: Sendable {
    public var reset: Bool
    public var events: [Event]
    public init(reset: Bool = false, events: [Event] = []) { self.reset = reset; self.events = events }
}

/// Where a source stands.
public enum SourceMode: Sendable, Equatable {
    case live(recordingTo: String?)
    /// Replay position and length in seconds, speed factor, paused or not.
    case replay(position: Double, length: Double, speed: Double, paused: Bool)
}

/// A command from the keyboard to the source.
public enum SourceCommand: Sendable, Equatable {
    case cycleBackend
    case selectBackend(Int)
    case cycleModel
    case threads(delta: Int)
    case togglePause
    case seek(seconds: Double)
    case seekToStart
    case seekToEnd
    case speed(faster: Bool)
    case mark(String)
}
