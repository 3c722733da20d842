/// What a key press asks for: a command for the source, or a change of the dashboard itself.
public enum DashboardAction: Sendable, Equatable {
    /// Nothing bound to this key in this mode.
    case none
    /// Leave the dashboard (`q`, Ctrl-C).
    case quit
    /// Show or hide the help overlay (`?`, `h`; Escape closes it).
    case toggleHelp
    /// Switch to the next theme (`t`).
    case nextTheme
    /// Clear the statistics, keeping the present state (`r`).
    case resetStatistics
    /// Replay: show the next backend's latency, or two overlaid (`b`, Tab).
    case cycleLatencyView
    /// Replay: show the i-th backend's latency (0-based; keys `1` `2` `3`).
    case selectLatencyView(Int)
    /// A command for the source (live loop or replay).
    case source(SourceCommand)
    /// Show or hide the table of every configuration seen (`c`).
    case toggleConfigurations
    /// Show or hide the layer table over the whole body (`l`).
    case toggleLayerView
    /// Show or hide the process table over the whole body (`o`; Escape closes it).
    case toggleProcessView
    /// Back from a full-screen table to the panels (Escape).
    case closeView
    /// Sort the layer table by the next column (`>`, F6).
    case sortNext
    /// Sort the layer table by the previous column (`<`).
    case sortPrevious
    /// Scroll the table shown by this many rows (arrows, page keys).
    case scroll(Int)
}

/// Which key set applies: the live loop or a replay.
public enum InputMode: Sendable, Equatable {
    case live, replay

    /// The input mode of a source mode.
    public init(_ mode: SourceMode) {
        if case .replay = mode { self = .replay } else { self = .live }
    }
}

/// One line of the key table: the keys, what they do, and in which modes.
public struct KeyBinding: Sendable, Equatable {
    /// The keys, as decoded by the terminal layer.
    public var keys: [Key]
    /// The keys as the help overlay spells them, e.g. "b Tab".
    public var label: String
    /// What they do, as the help overlay says it.
    public var help: String
    /// Modes where they apply.
    public var modes: [InputMode]
    /// The action they map to.
    public var action: DashboardAction
}

/// The whole key map as one table, so the mapping, the help overlay and the status line
/// can never disagree. Mapping a key is a pure lookup in this table.
///
/// Live: `b`/Tab cycle backend, `1` `2` `3` select backend (as `selectBackend(0...2)`),
/// `m` cycle model, `+`/`=` and `-`/`_` add or remove a thread, `p`/space pause inference.
/// Replay: space/`p` pause, ←/→ seek ∓5 s, `[`/`]` slower/faster, Home/End jump to the ends,
/// `b`/Tab and `1` `2` `3` choose whose latency the panels show (the source is not asked:
/// a recording cannot change backend). Both: `q`/Ctrl-C quit, `?`/`h` help, `t` theme,
/// `r` reset statistics. Escape closes the help overlay when it is open.
public enum KeyMap {
    /// Seconds a seek key moves the replay.
    public static let seekStep: Double = 5

    /// Every binding, in the order the help overlay lists them.
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.char("q"), .ctrlC], label: "q Ctrl-C", help: "quit", modes: [.live, .replay], action: .quit),
        KeyBinding(keys: [.char("?"), .char("h")], label: "? h", help: "show or hide this help", modes: [.live, .replay], action: .toggleHelp),
        KeyBinding(keys: [.char("t")], label: "t", help: "next theme", modes: [.live, .replay], action: .nextTheme),
        KeyBinding(keys: [.char("r")], label: "r", help: "reset statistics", modes: [.live, .replay], action: .resetStatistics),
        KeyBinding(keys: [.char("b"), .tab], label: "b Tab", help: "cycle backend", modes: [.live], action: .source(.cycleBackend)),
        KeyBinding(keys: [.char("1")], label: "1", help: "backend 1", modes: [.live], action: .source(.selectBackend(0))),
        KeyBinding(keys: [.char("2")], label: "2", help: "backend 2", modes: [.live], action: .source(.selectBackend(1))),
        KeyBinding(keys: [.char("3")], label: "3", help: "backend 3", modes: [.live], action: .source(.selectBackend(2))),
        KeyBinding(keys: [.char("m")], label: "m", help: "cycle model", modes: [.live], action: .source(.cycleModel)),
        KeyBinding(keys: [.char("+"), .char("=")], label: "+", help: "one more thread", modes: [.live], action: .source(.threads(delta: 1))),
        KeyBinding(keys: [.char("-"), .char("_")], label: "-", help: "one thread fewer", modes: [.live], action: .source(.threads(delta: -1))),
        KeyBinding(keys: [.char("p"), .char(" ")], label: "p Space", help: "pause or resume inference", modes: [.live], action: .source(.togglePause)),
        KeyBinding(keys: [.char(" "), .char("p")], label: "Space p", help: "pause or resume replay", modes: [.replay], action: .source(.togglePause)),
        KeyBinding(keys: [.left], label: "Left", help: "seek back 5 s", modes: [.replay], action: .source(.seek(seconds: -seekStep))),
        KeyBinding(keys: [.right], label: "Right", help: "seek forward 5 s", modes: [.replay], action: .source(.seek(seconds: seekStep))),
        KeyBinding(keys: [.char("[")], label: "[", help: "slower (down to 0.25x)", modes: [.replay], action: .source(.speed(faster: false))),
        KeyBinding(keys: [.char("]")], label: "]", help: "faster (up to 16x)", modes: [.replay], action: .source(.speed(faster: true))),
        KeyBinding(keys: [.home], label: "Home", help: "go to the start", modes: [.replay], action: .source(.seekToStart)),
        KeyBinding(keys: [.end], label: "End", help: "go to the end", modes: [.replay], action: .source(.seekToEnd)),
        KeyBinding(keys: [.char("b"), .tab], label: "b Tab", help: "latency view: next/overlay", modes: [.replay], action: .cycleLatencyView),
        KeyBinding(keys: [.char("1")], label: "1", help: "latency view: backend 1", modes: [.replay], action: .selectLatencyView(0)),
        KeyBinding(keys: [.char("2")], label: "2", help: "latency view: backend 2", modes: [.replay], action: .selectLatencyView(1)),
        KeyBinding(keys: [.char("3")], label: "3", help: "latency view: backend 3", modes: [.replay], action: .selectLatencyView(2)),
        KeyBinding(keys: [.char("c")], label: "c", help: "all configurations seen", modes: [.live, .replay], action: .toggleConfigurations),
        KeyBinding(keys: [.char("k")], label: "k", help: "mark now (saved by --record)", modes: [.live], action: .source(.mark(""))),
        // Two lines in the help: the key picks the variant (see `resolve`), so the overlay still fits 64x20.
        KeyBinding(keys: [.char("l"), .char("o")], label: "l o", help: "layer/process table (Esc)", modes: [.live, .replay], action: .toggleLayerView),
        KeyBinding(keys: [.char("<"), .char(">"), .char(","), .char("."), .function(6), .up, .down, .pageUp, .pageDown],
                   label: "<> Up Dn", help: "table: sort / scroll", modes: [.live, .replay], action: .sortNext),
    ]

    /// The action for `key` in `mode`; `helpShown` lets Escape close the overlay.
    public static func action(for key: Key, mode: InputMode, helpShown: Bool = false) -> DashboardAction {
        if helpShown && key == .escape { return .toggleHelp }
        for b in bindings where b.modes.contains(mode) && b.keys.contains(key) { return resolve(b.action, key) }
        return .none
    }

    /// The variant of a table binding's action that `key` asks for: `o` the process table,
    /// `<` the previous sort column, the arrow and page keys a scroll of their own distance.
    static func resolve(_ action: DashboardAction, _ key: Key) -> DashboardAction {
        switch action {
        case .toggleLayerView where key == .char("o"): return .toggleProcessView
        case .sortNext:
            switch key {
            case .char("<"), .char(","): return .sortPrevious
            case .up: return .scroll(-1)
            case .down: return .scroll(1)
            case .pageUp: return .scroll(-tablePage)
            case .pageDown: return .scroll(tablePage)
            default: return .sortNext
            }
        default: return action
        }
    }

    /// Rows a page key scrolls a table by.
    public static let tablePage = 10

    /// The bindings of `mode`, in help order.
    public static func bindings(for mode: InputMode) -> [KeyBinding] {
        bindings.filter { $0.modes.contains(mode) }
    }
}
