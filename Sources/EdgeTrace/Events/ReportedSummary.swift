/// Latency figures as another tool reported them (MLPerf LoadGen's `result_*` keys). They
/// are shown as "reported by", never mixed with figures edgetop computed from events.
public struct ReportedSummary: Sendable, Equatable {
    /// The tool and version, e.g. "MLPerf LoadGen 2.1 @ NA".
    public var tool: String
    /// Test scenario, e.g. "SingleStream".
    public var scenario: String?
    /// The system under test's name as the tool logged it.
    public var sut: String?
    public var queryCount: Int?
    public var minNs: UInt64?
    public var maxNs: UInt64?
    public var meanNs: UInt64?
    /// Queries per second including the tool's own overhead.
    public var qps: Double?
    /// Percentiles in ascending order.
    public var percentiles: [ReportedPercentile]
    /// Whether the tool judged the run valid, when it says.
    public var valid: Bool?

    /// Reported figures; anything the tool did not print stays nil.
    public init(tool: String, scenario: String? = nil, sut: String? = nil, queryCount: Int? = nil,
                minNs: UInt64? = nil, maxNs: UInt64? = nil, meanNs: UInt64? = nil, qps: Double? = nil,
                percentiles: [ReportedPercentile] = [], valid: Bool? = nil) {
        self.tool = tool; self.scenario = scenario; self.sut = sut; self.queryCount = queryCount
        self.minNs = minNs; self.maxNs = maxNs; self.meanNs = meanNs; self.qps = qps
        self.percentiles = percentiles; self.valid = valid
    }
}

/// One reported percentile: `percent` in 0...100 (e.g. 99.9) and its latency.
public struct ReportedPercentile: Sendable, Equatable {
    public var percent: Double
    public var latencyNs: UInt64

    /// One reported percentile.
    public init(percent: Double, latencyNs: UInt64) { self.percent = percent; self.latencyNs = latencyNs }
}
