import EdgeTrace

/// Plays a recorded trace back as a `SessionSource`: events come out when the replay
/// clock passes their `t`, at 0.25× to 16× speed, with pause and seeking.
///
/// The clock is injected so tests can drive time by hand; the replay position itself only
/// ever moves by what the clock says, so the same key presses at the same clock readings
/// give the same events.
public final class ReplaySource: SessionSource {
    /// Seconds on a monotonic clock; the default is CLOCK_MONOTONIC.
    public typealias Clock = () -> Double

    /// Speeds the `[`/`]` keys step through (each step halves or doubles).
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16]

    public let header: TraceHeader
    /// The trace's events in time order.
    public let events: [Event]
    /// Session time of the last event: the end of the replay.
    public let length: Double

    private let clock: Clock
    private var lastClock: Double
    private(set) var position: Double
    private var speedIndex: Int
    private(set) var paused = false
    /// Index of the first event not yet handed out.
    private var cursor = 0
    private var pendingReset = false

    /// A replay of `events` (sorted here by `t`; the sort is stable so equal times keep
    /// their file order), starting at the beginning at `speed`, paused or not.
    public init(header: TraceHeader, events: [Event], speed: Double = 1, paused: Bool = false,
                clock: @escaping Clock = MonotonicClock.seconds) {
        self.header = header
        let ordered = events.enumerated().sorted { ($0.element.t, $0.offset) < ($1.element.t, $1.offset) }.map(\.element)
        self.events = ordered
        self.length = max(0, ordered.last?.t ?? 0)
        self.clock = clock
        self.lastClock = clock()
        self.position = 0
        self.speedIndex = ReplaySource.speeds.enumerated().min { abs($0.element - speed) < abs($1.element - speed) }!.offset
        self.paused = paused
    }

    /// The playback speed factor.
    public var speed: Double { ReplaySource.speeds[speedIndex] }

    public var mode: SourceMode {
        .replay(position: position, length: length, speed: speed, paused: paused)
    }

    public func poll() -> SourcePoll {
        advanceClock()
        let reset = pendingReset
        if reset { cursor = 0; pendingReset = false }
        var out: [Event] = []
        while cursor < events.count && events[cursor].t <= position {
            out.append(events[cursor])
            cursor += 1
        }
        return SourcePoll(reset: reset, events: out)
    }

    @discardableResult
    public func handle(_ command: SourceCommand) -> Bool {
        advanceClock()
        switch command {
        case .togglePause:
            paused.toggle()
        case .speed(let faster):
            speedIndex = max(0, min(ReplaySource.speeds.count - 1, speedIndex + (faster ? 1 : -1)))
        case .seek(let seconds):
            move(to: position + seconds)
        case .seekToStart:
            move(to: 0)
        case .seekToEnd:
            move(to: length)
        case .cycleBackend, .selectBackend, .cycleModel, .threads, .mark:
            // A recording cannot change what ran; choosing which backend the panels show
            // is the dashboard's business.
            return false
        }
        return true
    }

    /// Whether the replay has reached the last event.
    public var atEnd: Bool { position >= length }

    private func move(to target: Double) {
        let clamped = max(0, min(length, target))
        if clamped < position {
            // Events already handed out cannot be taken back: the caller drops its state
            // and folds again from the start up to the new position.
            pendingReset = true
        }
        position = clamped
    }

    private func advanceClock() {
        let now = clock()
        let elapsed = max(0, now - lastClock)
        lastClock = now
        if !paused { position = min(length, position + elapsed * speed) }
    }
}
