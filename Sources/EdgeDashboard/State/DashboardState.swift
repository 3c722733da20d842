import EdgeSession
import EdgeTrace

/// Whose latency the latency panel shows.
public enum LatencyView: Sendable, Equatable {
    /// The backend running now (live, and replay until `b` is pressed).
    case current
    /// One backend by name.
    case backend(String)
    /// Two backends' histograms drawn over each other (replay of a trace holding several).
    case overlay(String, String)
}

/// Everything the screen shows: the folded session statistics plus the state of the UI
/// itself. Rendering is a pure function of this value and the buffer size.
public struct DashboardState: Sendable {
    /// The session's header (device, where the data came from).
    public var header: TraceHeader
    /// Live or replay, with the replay position; updated by the app loop from the source.
    public var mode: SourceMode
    /// Statistics folded from the source's events.
    public private(set) var stats: SessionStats
    /// Themes `t` cycles through; never empty.
    public private(set) var themes: [Theme]
    /// Index of the theme in use.
    public private(set) var themeIndex: Int
    /// Symbols and colour availability of the terminal.
    public var capabilities: RenderCapabilities
    /// Whether the help overlay is shown.
    public private(set) var helpShown = false
    /// Whether the table of every configuration seen is shown (`c`).
    public private(set) var configurationsShown = false
    /// Whose latency the panels show.
    public private(set) var latencyView: LatencyView = .current
    /// A short note for the status line (a theme that failed to load, the theme chosen).
    public var message: String?
    /// The target FPS asked for on the command line, shown until the source announces one.
    public var targetFPS: Double?
    /// What a replayed trace holds (nil live): lets panels say "not recorded".
    public var traceContents: TraceContents?
    /// The layer and process tables: full-screen view, sort, scrolling.
    public internal(set) var tables = TableViewState()

    /// A state for `header` in `mode`, with `themes` (the first one in use; the built-in
    /// default when empty).
    public init(header: TraceHeader, mode: SourceMode, themes: [Theme] = [], themeIndex: Int = 0,
                capabilities: RenderCapabilities = .full, seriesCapacity: Int = 600) {
        self.header = header
        self.mode = mode
        self.stats = SessionStats(seriesCapacity: seriesCapacity)
        self.themes = themes.isEmpty ? [.builtinDefault] : themes
        self.themeIndex = min(max(0, themeIndex), self.themes.count - 1)
        self.capabilities = capabilities
    }

    /// The theme in use.
    public var theme: Theme { themes[themeIndex] }

    /// Whether keys follow the live or the replay table.
    public var inputMode: InputMode { InputMode(mode) }

    /// Folds what a source's `poll()` returned; a reset starts the statistics afresh (a
    /// replay seeking backwards), keeping the UI state.
    public mutating func ingest(_ poll: SourcePoll) {
        if poll.reset { stats = SessionStats(seriesCapacity: stats.seriesCapacity) }
        for e in poll.events { stats.apply(e) }
    }

    /// Folds events directly (tests and headless use).
    public mutating func ingest<S: Sequence>(_ events: S) where S.Element == Event {
        for e in events { stats.apply(e) }
    }

    /// Maps `key` to an action and applies the UI part of it. The caller forwards
    /// `.source(command)` to the source and leaves on `.quit`; other actions are done here.
    @discardableResult
    public mutating func handle(_ key: Key) -> DashboardAction {
        // Escape leaves a full-screen table (the help overlay, when open, takes it first).
        let action = key == .escape && !helpShown && tables.view != .panels
            ? .closeView : KeyMap.action(for: key, mode: inputMode, helpShown: helpShown)
        // A note is read once: the next key that does something clears it.
        if action != .none { message = nil }
        apply(action)
        return action
    }

    /// Applies the UI part of `action`.
    public mutating func apply(_ action: DashboardAction) {
        switch action {
        case .toggleHelp: helpShown.toggle()
        case .toggleConfigurations: configurationsShown.toggle()
        case .nextTheme:
            themeIndex = (themeIndex + 1) % themes.count
            message = "theme \(theme.name)"
        case .resetStatistics:
            stats.reset()
            message = "statistics reset"
        case .cycleLatencyView: latencyView = nextLatencyView()
        case .selectLatencyView(let i):
            if i < stats.backends.count { latencyView = .backend(stats.backends[i]) }
        case .none, .quit, .source: break
        default: _ = applyTableAction(action)
        }
    }

    /// Replaces the theme list (e.g. after loading theme files), keeping the one in use by name.
    public mutating func setThemes(_ list: [Theme], select name: String? = nil) {
        let keep = name ?? theme.name
        themes = list.isEmpty ? [.builtinDefault] : list
        themeIndex = themes.firstIndex { $0.name == keep } ?? 0
    }

    /// The backends whose latency is shown: one, or two for an overlay.
    public var shownBackends: [String] {
        switch latencyView {
        case .current:
            if let b = stats.backend, stats.latency[b] != nil { return [b] }
            return stats.backends.first.map { [$0] } ?? []
        case .backend(let b): return [b]
        case .overlay(let a, let b): return [a, b]
        }
    }

    /// The latencies the latency panel shows, one per name of `shownBackends`: the current
    /// configuration's, or for a backend chosen by name its newest configuration's, so
    /// latencies of different models or thread counts are never pooled.
    public var shownLatencies: [BackendLatency] {
        if case .current = latencyView {
            if let c = stats.current { return [c.latency] }
            if stats.currentKey != nil { return [] }
        }
        return shownBackends.compactMap { name in
            stats.configurations.filter { $0.key.backend == name }.max { $0.lastT < $1.lastT }?.latency
        }
    }

    /// Whether the source will never have `kind` of figure: a replayed trace without it,
    /// or, when the contents are not known, any imported log (what it lacks, it never had).
    public func notRecorded(_ kind: TraceContents) -> Bool {
        if let c = traceContents { return !c.contains(kind) }
        return header.source == .imported
    }

    /// Whether the replay has played its last event.
    public var atEndOfTrace: Bool {
        if case .replay(let position, let length, _, _) = mode { return position >= length }
        return false
    }

    /// Order of `b` in replay: the running backend, each backend by name, then the first
    /// two overlaid, then back.
    private func nextLatencyView() -> LatencyView {
        let names = stats.backends
        guard names.count > 1 else { return .current }
        switch latencyView {
        case .current:
            let cur = shownBackends.first ?? names[0]
            let i = names.firstIndex(of: cur) ?? 0
            return i + 1 < names.count ? .backend(names[i + 1]) : .overlay(names[0], names[1])
        case .backend(let b):
            let i = names.firstIndex(of: b) ?? 0
            return i + 1 < names.count ? .backend(names[i + 1]) : .overlay(names[0], names[1])
        case .overlay:
            return .backend(names[0])
        }
    }
}
