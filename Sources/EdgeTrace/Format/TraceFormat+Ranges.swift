/// The ranges a trace's numbers may take. A value outside them is not a measurement but a
/// damaged or hostile file: it is refused with `FILE:LINE: problem` when read, so no later
/// conversion to an integer, a time or an index can trap on it.
extension TraceFormat {
    /// Session times, in seconds either side of the trace's start (about 31 years).
    public static let timeRange: ClosedRange<Double> = -1e9...1e9
    /// Latencies in nanoseconds: what fits an Int64, which every reader of the format takes
    /// (the statistics and the histogram clamp or widen, so even this value cannot trap).
    public static let maxLatencyNs = UInt64(Int64.max)
    /// A core's share of time in one state (a little above 1 allows rounding in the recorder).
    static let shareRange: ClosedRange<Double> = 0...1.000_001
    /// Core clock frequencies in MHz.
    public static let frequencyRange: ClosedRange<Double> = 0...1e6
    /// Temperatures in °C: below absolute zero or above 10,000 is no sensor reading.
    static let celsiusRange: ClosedRange<Double> = -273.15...1e4
    /// Power in watts, either sign (a meter's offset can read slightly negative).
    public static let wattsRange: ClosedRange<Double> = -1e7...1e7
    /// Thread and core counts.
    static let countRange: ClosedRange<Int> = 0...(1 << 16)
    /// Target frame rates.
    static let fpsRange: ClosedRange<Double> = 0...1e6
    /// Cosine similarity (rounding may step just past ±1).
    static let cosineRange: ClosedRange<Double> = -1.000_001...1.000_001
    /// Queries per second a tool reports.
    static let qpsRange: ClosedRange<Double> = 0...1e12
    /// Times an importer gives its events (about 16 years either side of the log's start):
    /// half of `timeRange`, so lining up several logs of one run cannot push a time out of it.
    public static let importedTimeRange: ClosedRange<Double> = -5e8...5e8
    /// Seconds by which the logs of one run may be lined up on their wall clocks (about 3 years).
    static let maxAlignmentShift = 1e8
    /// Multiply-accumulates of one layer.
    static let macsRange: ClosedRange<Int> = 0...1_000_000_000_000_000
    /// Rates and shares that are large but finite: peak GMAC/s, a process's CPU share in cores.
    static let gmacsRange: ClosedRange<Double> = 0...1e9
    /// A percentile, in percent.
    public static let percentRange: ClosedRange<Double> = 0...100
}

extension FieldReader {
    /// The number `key`, refused unless it lies in `range`.
    func double(_ key: String, in range: ClosedRange<Double>) throws -> Double {
        try inRange(key, try double(key), range)
    }

    /// The optional number `key`, refused unless absent or in `range`.
    func optionalDouble(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        try optionalDouble(key).map { try inRange(key, $0, range) }
    }

    /// The integer `key`, refused unless it lies in `range`.
    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        let v = try int(key)
        guard range.contains(v) else { throw outOfRange(key, "\(v)", "\(range.lowerBound) to \(range.upperBound)") }
        return v
    }

    /// The optional integer `key`, refused unless absent or in `range`.
    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let v = try optionalInt(key) else { return nil }
        guard range.contains(v) else { throw outOfRange(key, "\(v)", "\(range.lowerBound) to \(range.upperBound)") }
        return v
    }

    /// A latency in nanoseconds, refused above `TraceFormat.maxLatencyNs`.
    func latency(_ key: String) throws -> UInt64 {
        let v = try uint64(key)
        guard v <= TraceFormat.maxLatencyNs else { throw outOfRange(key, "\(v)", "0 to \(TraceFormat.maxLatencyNs)") }
        return v
    }

    /// An optional latency in nanoseconds, refused above `TraceFormat.maxLatencyNs`.
    func optionalLatency(_ key: String) throws -> UInt64? {
        guard let v = try optionalUInt64(key) else { return nil }
        guard v <= TraceFormat.maxLatencyNs else { throw outOfRange(key, "\(v)", "0 to \(TraceFormat.maxLatencyNs)") }
        return v
    }

    private func inRange(_ key: String, _ v: Double, _ range: ClosedRange<Double>) throws -> Double {
        guard range.contains(v) else { throw outOfRange(key, "\(v)", "\(range.lowerBound) to \(range.upperBound)") }
        return v
    }

    private func outOfRange(_ key: String, _ value: String, _ range: String) -> FieldProblem {
        FieldProblem("field \"\(path)\(key)\" is out of range: \(value) (expected \(range))")
    }
}
