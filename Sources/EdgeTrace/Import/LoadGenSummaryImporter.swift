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
            switch key {
            case "SUT name": r.sut = sanitize(value)
            case "Scenario": r.scenario = sanitize(value)
            case "Result is": r.valid = value == "VALID"
            case "Min latency (ns)": r.minNs = UInt64(value); any = true
            case "Max latency (ns)": r.maxNs = UInt64(value); any = true
            case "Mean latency (ns)": r.meanNs = UInt64(value); any = true
            case "QPS w/ loadgen overhead": r.qps = Double(value)
            default:
                if key.hasSuffix(" percentile latency (ns)"),
                   let p = Double(key.dropLast(" percentile latency (ns)".count)), let v = UInt64(value) {
                    r.percentiles.append(ReportedPercentile(percent: p, latencyNs: v))
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
