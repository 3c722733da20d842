import DequeModule

/// Frames per second from inference timestamps: instantaneous over a sliding one-second
/// window and the session average.
///
/// The window keeps one bin per millisecond that saw a frame, never the frames themselves,
/// so it holds at most 1001 bins at any frame rate and each frame costs O(1) amortized.
public struct FPSMeter: Sendable, Equatable {
    /// Window length in seconds.
    public static let window: Double = 1
    private static let binsPerSecond: Double = 1000

    private var bins: Deque<(bin: Int64, count: Int)> = []
    private var inWindow = 0
    /// Frames since `origin`.
    public private(set) var total: UInt64 = 0
    /// Session time from which the average is taken (0, or the time of the last reset).
    public private(set) var origin: Double
    /// Newest session time seen (any event moves it, so FPS falls to 0 while paused).
    public private(set) var now: Double

    /// An empty meter starting at session time `origin`.
    public init(origin: Double = 0) {
        self.origin = origin
        self.now = origin
    }

    /// Counts one frame finished at `t`.
    public mutating func frame(at t: Double) {
        advance(to: t)
        total += 1
        let b = Self.bin(t)
        if let last = bins.last, last.bin >= b {
            bins[bins.count - 1].count += 1
        } else {
            bins.append((b, 1))
        }
        inWindow += 1
    }

    /// Moves the clock to `t` (never backwards) and drops frames older than the window.
    public mutating func advance(to t: Double) {
        if t > now { now = t }
        let oldest = Self.bin(now - Self.window)
        while let first = bins.first, first.bin <= oldest {
            inWindow -= first.count
            bins.removeFirst()
        }
    }

    /// Frames in the last second; in the first second of the session, scaled to the time so far.
    public var current: Double {
        let span = min(Self.window, now - origin)
        guard span > 0 else { return 0 }
        return Double(inWindow) / span
    }

    /// Frames per second since `origin`.
    public var average: Double {
        let span = now - origin
        guard span > 0 else { return 0 }
        return Double(total) / span
    }

    /// Forgets every frame; the average restarts at `t`.
    public mutating func reset(at t: Double) {
        bins.removeAll()
        inWindow = 0
        total = 0
        origin = t
        now = t
    }

    private static func bin(_ t: Double) -> Int64 { Int64((t * binsPerSecond).rounded(.down)) }

    /// Equality of the figures (the bins are an implementation detail of the same figures).
    public static func == (a: FPSMeter, b: FPSMeter) -> Bool {
        a.total == b.total && a.origin == b.origin && a.now == b.now && a.inWindow == b.inWindow
    }
}

extension FPSMeter {
    /// Millisecond bins held now (bounded by 1001); exposed for the bound's test.
    var binCount: Int { bins.count }
}
