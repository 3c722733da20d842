/// Imports MLPerf LoadGen's `mlperf_log_summary.txt`: `Name : value` lines. It holds only
/// LoadGen's own figures, which become the header's `reported` summary.
enum LoadGenSummaryImporter {
    static func load(path: String) throws -> ImportedLog {
        var log = ImportedLog(path: path, format: .loadgenSummary)
        let reader = try LineReader(path: path)
        var r = ReportedSummary(tool: "MLPerf LoadGen")
        var any = false
        while let line = try reader.withNextLine({ bytes, _ in String(decoding: bytes, as: UTF8.self) }) {
            guard !line.hasPrefix(" *"), let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingSpaces
            let value = line[line.index(after: colon)...].trimmingSpaces
            func problem(_ text: String) -> TraceError {
                TraceError(file: path, line: reader.lineNumber, problem: "\"\(key)\": \(text)")
            }
            /// A latency LoadGen printed; one that is not a whole number of ns in range is refused,
            /// since a trace that holds it could not be read back.
            func latency() throws -> UInt64 {
                guard let v = UInt64(value), v <= TraceFormat.maxLatencyNs else {
                    throw problem("\"\(value)\" is not a latency in ns (0 to \(TraceFormat.maxLatencyNs))")
                }
                return v
            }
            switch key {
            case "SUT name": r.sut = sanitize(value)
            case "Scenario": r.scenario = sanitize(value)
            case "Result is": r.valid = value == "VALID"
            case "Min latency (ns)": r.minNs = try latency(); any = true
            case "Max latency (ns)": r.maxNs = try latency(); any = true
            case "Mean latency (ns)": r.meanNs = try latency(); any = true
            case "QPS w/ loadgen overhead":
                guard let q = Double(value), TraceFormat.qpsRange.contains(q) else {
                    throw problem("\"\(value)\" is not a rate (0 to \(TraceFormat.qpsRange.upperBound) per second)")
                }
                r.qps = q
            default:
                if key.hasSuffix(" percentile latency (ns)") {
                    let name = key.dropLast(" percentile latency (ns)".count)
                    // "90th percentile latency" repeats the headline figure under another name.
                    guard let p = Double(name) else { continue }
                    guard TraceFormat.percentRange.contains(p) else {
                        throw problem("\"\(name)\" is not a percentile (0 to 100)")
                    }
                    r.percentiles.append(ReportedPercentile(percent: p, latencyNs: try latency()))
                    any = true
                }
            }
        }
        r.percentiles.sort { $0.percent < $1.percent }
        if any || r.scenario != nil { log.reported = r }
        if let v = r.scenario { log.runFacts["scenario"] = v }
        if let v = r.sut { log.runFacts["SUT"] = v }
        if let v = r.minNs { log.runFacts["min latency (ns)"] = "\(v)" }
        if let v = r.maxNs { log.runFacts["max latency (ns)"] = "\(v)" }
        return log
    }
}
