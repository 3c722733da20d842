import EdgeDashboard
import EdgeTerminal
import EdgeTrace

/// One loop drives the dashboard: each tick polls the source, folds, draws and flushes
/// the changed cells; in between it sleeps in the terminal's key wait, so an idle
/// dashboard costs next to nothing and a key is handled the moment it arrives.
final class DashboardLoop {
    private let terminal: Terminal
    private let source: SessionSource
    private(set) var state: DashboardState
    private let interval: Double
    private let recorder: TraceWriter?
    private var lastFlush = 0.0
    private var lastStatus: String?
    /// Session time of the newest recorded event: a replay seeking back hands out events
    /// again, and a recording must not hold them twice.
    private var recordedUpTo = -Double.infinity

    init(terminal: Terminal, source: SessionSource, state: DashboardState, interval: Double, recorder: TraceWriter?) {
        self.terminal = terminal; self.source = source; self.state = state
        self.interval = interval; self.recorder = recorder
    }

    /// Runs until `q`, Ctrl-C or a stop signal; returns that signal, if one ended it.
    func run() throws -> Int32? {
        var nextTick = MonotonicClock.seconds()
        var dirty = true
        while true {
            if let signal = Terminal.pendingStopSignal { return signal }
            let now = MonotonicClock.seconds()
            if now >= nextTick {
                try tick(now: now)
                // A late tick does not trigger a burst of catch-up ticks.
                nextTick = max(nextTick + interval, now + interval / 2)
                dirty = true
            }
            if dirty {
                let (w, h) = terminal.size
                terminal.draw(DashboardScreen.render(state, width: w, height: h))
                dirty = false
            }
            guard let event = terminal.nextEvent(timeout: max(0, nextTick - MonotonicClock.seconds())) else { continue }
            switch event {
            case .resize:
                terminal.invalidate()
                dirty = true
            case .key(let key):
                switch state.handle(key) {
                case .quit:
                    return nil
                case .source(let command):
                    if source.handle(command) {
                        // Show the effect now (a seek, a pause) rather than at the next tick.
                        try tick(now: MonotonicClock.seconds())
                    }
                    dirty = true
                case .none:
                    break
                default:
                    dirty = true
                }
            }
        }
    }

    private func tick(now: Double) throws {
        let poll = source.poll()
        state.ingest(poll)
        state.mode = source.mode
        // A followed app's counts and quiet time, shown when they change.
        if let status = (source as? StatusSource)?.statusLine, status != lastStatus {
            state.message = status
            lastStatus = status
        }
        if let recorder {
            for event in poll.events where event.t > recordedUpTo || (event.t == recordedUpTo && !poll.reset) {
                try recorder.write(event)
                recordedUpTo = event.t
            }
            if now - lastFlush >= 1 { try recorder.flush(); lastFlush = now }
        }
    }
}
