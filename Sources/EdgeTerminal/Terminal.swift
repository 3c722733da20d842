import CNcurses
import EdgeDashboard
#if canImport(Glibc)
import Glibc
#endif

/// Why the terminal could not be opened.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case cannotInitialise(term: String)

    public var description: String {
        switch self {
        case .notATerminal: return "standard output is not a terminal"
        case .cannotInitialise(let term): return "cannot start the terminal (TERM=\(term.isEmpty ? "unset" : term)); is its terminfo installed?"
        }
    }
}

/// The ncurses screen: draws `Buffer`s by writing only the cells that changed, reads keys,
/// and puts the terminal back the way it found it on every exit path.
///
/// One per process; everything runs on the thread that opened it.
public final class Terminal {
    /// What the terminal can show, decided at start-up.
    public let colorDepth: ColorDepth
    /// Whether UTF-8 symbols are drawn; false for a non-UTF-8 locale or `--ascii`.
    public let unicode: Bool

    private var previous: Buffer?
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private let maxPairs: Int32
    private var palette: [Color: Int32] = [:]
    private var nextPaletteSlot: Int32 = 255
    private var open = true

    private struct PairKey: Hashable { var fg: Int32; var bg: Int32 }

    /// Starts the screen on stdin/stdout. `ascii` forces ASCII symbols whatever the locale.
    public convenience init(ascii: Bool = false, environment: [String: String]) throws {
        try self.init(ascii: ascii, environment: environment, input: STDIN_FILENO, output: STDOUT_FILENO)
    }

    /// Starts the screen on the terminal open as `input`/`output` (a pseudo-terminal in
    /// tests), as `termType` (nil: `$TERM`). `signalHandlers: false` leaves the process's
    /// signal dispositions alone, for a host process such as a test runner.
    public init(ascii: Bool = false, environment: [String: String], input: Int32, output: Int32,
                termType: String? = nil, signalHandlers: Bool = true) throws {
        guard isatty(output) == 1 else { throw TerminalError.notATerminal }
        setlocale(LC_ALL, "")
        unicode = !ascii && edgetop_locale_is_utf8() != 0
        _ = edgetop_save_termios(isatty(input) == 1 ? input : output)
        // Before newterm: ncurses installs its own SIGINT/SIGTERM handlers only where none is set.
        if signalHandlers { edgetop_install_handlers() }
        let outFile = output == STDOUT_FILENO ? stdout : fdopen(dup(output), "w")
        let inFile = input == STDIN_FILENO ? stdin : fdopen(dup(input), "r")
        guard let outFile, let inFile, let screen = newterm(termType, outFile, inFile) else {
            throw TerminalError.cannotInitialise(term: termType ?? environment["TERM"] ?? "")
        }
        set_term(screen)
        edgetop_capture_reset()
        raw()          // Ctrl-C arrives as a key, so quitting goes through the normal path.
        noecho()
        nonl()
        keypad(edgetop_stdscr(), true)
        leaveok(edgetop_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        var depth = ColorDepth.none
        if has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth.detect(environment: environment, hasColors: true, colors: Int(edgetop_colors()),
                                      canChangeColor: can_change_color())
        }
        colorDepth = depth
        maxPairs = edgetop_color_pairs()
    }

    deinit { close() }

    /// The size in cells.
    public var size: (width: Int, height: Int) { (Int(edgetop_max_x()), Int(edgetop_max_y())) }

    /// The signal (SIGINT, SIGTERM, SIGHUP) that asked the program to stop, if any.
    public static var pendingStopSignal: Int32? {
        let s = edgetop_pending_stop_signal()
        return s == 0 ? nil : s
    }

    /// Waits at most `timeout` seconds (nil: forever) for a key or a resize; nil on timeout,
    /// on an interrupting signal, or for a key edgetop does not use.
    public func nextEvent(timeout: Double?) -> TerminalEvent? {
        let ms: Int32 = timeout.map { Int32(max(0, min(Double(Int32.max), ($0 * 1000).rounded(.up)))) } ?? -1
        var value: UInt32 = 0
        let rc = edgetop_get_wch(ms, &value)
        if rc == edgetop_key_code_yes() { return KeyDecoder.decode(keyCode: Int32(bitPattern: value)) }
        if rc == edgetop_ok() { return KeyDecoder.decode(character: value) }
        return nil
    }

    /// Forgets what is on screen, so the next `draw` repaints every cell (after a resize).
    public func invalidate() {
        previous = nil
        clearok(edgetop_stdscr(), true)
    }

    /// Draws `buffer`, writing only the cells that differ from the previous frame.
    /// Returns the number of cells written.
    @discardableResult
    public func draw(_ buffer: Buffer) -> Int {
        let changes = buffer.changes(from: previous)
        if previous == nil { werase(edgetop_stdscr()) }
        var wide: [wchar_t] = Array(repeating: 0, count: 6)
        for change in changes {
            let scalars = CellText.scalars(for: change.cell.symbol, unicode: unicode)
            for i in 0..<6 { wide[i] = i < scalars.count ? wchar_t(bitPattern: scalars[i].value) : 0 }
            let style = change.cell.style
            _ = edgetop_put_cell(Int32(change.y), Int32(change.x), wide, attributes(style), pair(for: style))
        }
        wnoutrefresh(edgetop_stdscr())
        doupdate()
        previous = buffer
        return changes.count
    }

    /// Ends the screen and restores the terminal modes saved at start-up; safe to call twice.
    public func close() {
        guard open else { return }
        open = false
        edgetop_normal_restore()
    }

    private func attributes(_ style: Style) -> attr_t {
        var a = edgetop_a_normal()
        if style.bold { a |= edgetop_a_bold() }
        if style.dim { a |= edgetop_a_dim() }
        if style.reverse { a |= edgetop_a_reverse() }
        if style.underline { a |= edgetop_a_underline() }
        return a
    }

    private func pair(for style: Style) -> Int32 {
        guard colorDepth != .none else { return 0 }
        let key = PairKey(fg: colorNumber(style.fg), bg: colorNumber(style.bg))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let p = pairs[key] { return p }
        guard nextPair < maxPairs else { return 0 }
        let p = nextPair
        nextPair += 1
        init_extended_pair(p, key.fg, key.bg)
        pairs[key] = p
        return p
    }

    private func colorNumber(_ color: Color) -> Int32 {
        guard colorDepth == .trueColor(direct: false), case .rgb(let r, let g, let b) = color else {
            return ColorMapping.colorNumber(color, depth: colorDepth)
        }
        // A redefinable palette: give each RGB colour its own slot, from the top of the
        // 256 down, and fall back to the nearest entry once the slots run out.
        if let slot = palette[color] { return slot }
        guard nextPaletteSlot >= 16 else { return Int32(ColorMapping.nearest256(r, g, b)) }
        let slot = nextPaletteSlot
        nextPaletteSlot -= 1
        init_extended_color(slot, Int32(r) * 1000 / 255, Int32(g) * 1000 / 255, Int32(b) * 1000 / 255)
        palette[color] = slot
        return slot
    }
}
