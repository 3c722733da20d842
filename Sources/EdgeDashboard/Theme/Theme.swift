/// Colours for every part of the dashboard, read from btop's theme file format so any btop
/// theme works unchanged.
///
/// btop's keys map onto edgetop's panels as follows (`_start/_mid/_end` keys are gradients):
/// - `main_bg`, `main_fg`: screen background and text; `title`: panel titles; `hi_fg`: keys
///   in the status line and help, percentile markers; `selected_bg`/`selected_fg`: the chosen
///   backend; `inactive_fg`: absent or stale data ("no sensor"); `graph_text`: axis labels;
///   `meter_bg`: the empty part of meters; `div_line`: separators in the header and status line.
/// - Boxes: `cpu_box` the per-core panel, `net_box` the FPS panel, `proc_box` the latency
///   panel, `mem_box` the temperature and quality panels; `proc_misc` the header's mode badge.
/// - Gradients: `cpu_*` core load (user time), `used_*` core system time and disagreement,
///   `temp_*` temperatures, `download_*` the FPS graph, `upload_*` the deadline line and missed
///   frames, `process_*` the latency histogram, `cached_*` the second backend in an overlay,
///   `available_*` quality agreement, `free_*` the recent-window figures.
public struct Theme: Sendable, Equatable {
    /// The theme's name (its file name without `.theme`).
    public var name: String
    /// Colours by btop key; a key set to "" maps to `.default` (the terminal's own colour).
    public private(set) var colors: [String: Color] {
        didSet { stops = Self.stops(colors) }
    }
    /// Each family's start, mid and end, resolved once so drawing never hashes a key per cell.
    private var stops: [(Color, Color?, Color?)] = []

    /// Every key edgetop reads, in btop's order; others in a file are ignored.
    public static let keys: [String] = {
        var k = ["main_bg", "main_fg", "title", "hi_fg", "selected_bg", "selected_fg", "inactive_fg",
                 "graph_text", "meter_bg", "proc_misc", "cpu_box", "mem_box", "net_box", "proc_box", "div_line"]
        for g in gradients { k += ["\(g)_start", "\(g)_mid", "\(g)_end"] }
        return k
    }()

    /// Gradient families.
    public static let gradients = GradientKey.allCases.map(\.name)

    /// A theme from colours by key; missing keys fall back to `fallback`'s.
    public init(name: String, colors: [String: Color], fallback: Theme? = nil) {
        self.name = name
        var c = fallback?.colors ?? [:]
        for (k, v) in colors { c[k] = v }
        self.colors = c
        self.stops = Self.stops(c)
    }

    private static func stops(_ c: [String: Color]) -> [(Color, Color?, Color?)] {
        GradientKey.allCases.map { g in
            let some: (String) -> Color? = { c[$0].flatMap { $0 == .default ? nil : $0 } }
            return (c["\(g.name)_start"] ?? .default, some("\(g.name)_mid"), some("\(g.name)_end"))
        }
    }

    /// Equal when named alike with the same colours (the resolved gradient stops follow from them).
    public static func == (a: Theme, b: Theme) -> Bool { a.name == b.name && a.colors == b.colors }

    /// The colour of `key`, `.default` when unset.
    public func color(_ key: String) -> Color { colors[key] ?? .default }

    /// The colour at `fraction` (0...1) along gradient `family` (e.g. "temp"). With only a
    /// start colour the gradient is flat; with start and end it runs between them; with a mid
    /// colour too, through it. Palette and default colours are not blended: the nearest stop wins.
    public func gradient(_ family: GradientKey, _ fraction: Double) -> Color {
        let f = fraction.isFinite ? Swift.max(0, Swift.min(1, fraction)) : 0
        let (start, mid, end) = stops[family.rawValue]
        switch (mid, end) {
        case (nil, nil): return start
        case (nil, let e?): return Self.blend(start, e, f)
        case (let m?, nil): return Self.blend(start, m, f)
        case (let m?, let e?): return f < 0.5 ? Self.blend(start, m, f * 2) : Self.blend(m, e, (f - 0.5) * 2)
        }
    }

    /// True when every colour is the terminal default (a monochrome theme).
    public var isMonochrome: Bool { colors.values.allSatisfy { $0 == .default } }

    static func blend(_ a: Color, _ b: Color, _ f: Double) -> Color {
        guard case let .rgb(r0, g0, b0) = a, case let .rgb(r1, g1, b1) = b else { return f < 0.5 ? a : b }
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * f).rounded()) }
        return .rgb(mix(r0, r1), mix(g0, g1), mix(b0, b1))
    }
}

/// btop's gradient families, in btop's order.
public enum GradientKey: Int, CaseIterable, Sendable {
    case temp, cpu, free, cached, available, used, download, upload, process

    /// The key prefix in a theme file, e.g. "temp" for temp_start/temp_mid/temp_end.
    public var name: String {
        switch self {
        case .temp: return "temp"
        case .cpu: return "cpu"
        case .free: return "free"
        case .cached: return "cached"
        case .available: return "available"
        case .used: return "used"
        case .download: return "download"
        case .upload: return "upload"
        case .process: return "process"
        }
    }
}

extension Theme {
    /// The built-in dark theme, identical to `themes/default.theme`; used when no theme file
    /// can be found or a chosen one is broken.
    public static let builtinDefault: Theme = {
        let hex: [String: String] = [
            "main_bg": "#12151a", "main_fg": "#d0d4da", "title": "#eef0f3", "hi_fg": "#5fb3ff",
            "selected_bg": "#2a3340", "selected_fg": "#ffffff", "inactive_fg": "#5a616b",
            "graph_text": "#8a929c", "meter_bg": "#2c323a", "proc_misc": "#7ad4a0",
            "cpu_box": "#3f7fbf", "mem_box": "#8f6fbf", "net_box": "#4f9f6f", "proc_box": "#bf7f3f",
            "div_line": "#3a414a",
            "temp_start": "#4fb0ff", "temp_mid": "#e0c040", "temp_end": "#ff4040",
            "cpu_start": "#50c878", "cpu_mid": "#e0d040", "cpu_end": "#ff5050",
            "free_start": "#3f9f6f", "free_mid": "#5fbf8f", "free_end": "#7fdfaf",
            "cached_start": "#3f6fbf", "cached_mid": "#5f8fdf", "cached_end": "#7fafff",
            "available_start": "#50c878", "available_mid": "", "available_end": "#a0f0b0",
            "used_start": "#d04040", "used_mid": "", "used_end": "#ff8080",
            "download_start": "#3fa0ff", "download_mid": "#6fc0ff", "download_end": "#bfe0ff",
            "upload_start": "#ff9f3f", "upload_mid": "#ffbf6f", "upload_end": "#ffdfaf",
            "process_start": "#7f6fdf", "process_mid": "#af8fff", "process_end": "#dfb0ff",
        ]
        var c: [String: Color] = [:]
        for (k, v) in hex { c[k] = (try? ThemeParser.parseColor(v)) ?? .default }
        return Theme(name: "default", colors: c)
    }()
}
