/// Imports MLPerf LoadGen's `mlperf_log_detail.txt`: one `:::MLLOG {json}` object per line.
///
/// A detail log holds no per-query latencies, only LoadGen's own summary figures
/// (`result_*` keys), the settings and a few messages. Those figures become the header's
/// `reported` summary; LoadGen's messages (start, end, warnings) become marks. `stats`
/// shows the figures as reported by LoadGen, never as if edgetop had measured them.
enum LoadGenDetailImporter {
    static func load(path: String, options: ImportOptions) throws -> ImportedLog {
        var log = ImportedLog(path: path, format: .loadgenDetail)
        let reader = try LineReader(path: path)
        reader.byteLimit = InputLimits.maxImportedBytes
        var entries: [(key: String, value: JSONValue, timeMs: Double?, line: Int)] = []
        while let outcome: Result<(String, JSONValue, Double?)?, TraceError> = try reader.withNextLine({ bytes, terminated in
            let text = String(decoding: bytes, as: UTF8.self)
            let trimmed = text.trimmingSpaces
            if trimmed.isEmpty { return .success(nil) }
            guard trimmed.hasPrefix(":::MLLOG") else {
                return .failure(TraceError(file: path, line: reader.lineNumber, problem: "expected a ':::MLLOG {json}' line"))
            }
            let json = String(trimmed.dropFirst(":::MLLOG".count))
            do {
                let v = try JSONParser.parse(json, lenient: true)
                guard let key = v["key"]?.stringValue else {
                    return .failure(TraceError(file: path, line: reader.lineNumber, problem: "MLLOG entry without a \"key\""))
                }
                return .success((key, v["value"] ?? .null, v["time_ms"]?.doubleValue))
            } catch let e as JSONParseError {
                if !terminated {
                    log.warnings.append(TraceError(file: path, line: reader.lineNumber,
                        problem: "last line is cut off (no newline at the end, incomplete JSON); ignored it").description)
                    return .success(nil)
                }
                return .failure(TraceError(file: path, line: reader.lineNumber,
                                           problem: "not JSON after :::MLLOG: \(e.message) at column \(e.column + 8)"))
            }
        }) {
            switch outcome {
            case .failure(let e): throw e
            case .success(nil): continue
            case .success(let entry?):
                entries.append((entry.0, entry.1, entry.2, reader.lineNumber))
                try InputLimits.checkHeld(entries.count, file: path, line: reader.lineNumber, holder: "import")
            }
        }
        guard !entries.isEmpty else { throw TraceError(file: path, problem: "no :::MLLOG lines") }

        var byKey: [String: JSONValue] = [:]
        var lineOf: [String: Int] = [:]
        for e in entries where byKey[e.key] == nil { byKey[e.key] = e.value; lineOf[e.key] = e.line }
        func str(_ k: String) -> String? { byKey[k]?.stringValue.map(sanitize) }
        func problem(_ k: String, _ text: String) -> TraceError {
            TraceError(file: path, line: lineOf[k], problem: "\"\(k)\": \(text)")
        }
        /// A latency LoadGen logged; one out of range is refused, since a trace holding it
        /// could not be read back.
        func latency(_ k: String, _ value: JSONValue) throws -> UInt64 {
            guard let v = value.int64Value, v >= 0, UInt64(v) <= TraceFormat.maxLatencyNs else {
                throw problem(k, "not a latency in ns (0 to \(TraceFormat.maxLatencyNs))")
            }
            return UInt64(v)
        }
        func ns(_ k: String) throws -> UInt64? { try byKey[k].map { try latency(k, $0) } }

        var percentiles: [ReportedPercentile] = []
        for (key, value) in byKey where key.hasPrefix("result_") && key.hasSuffix("_percentile_latency_ns") {
            let p = key.dropFirst("result_".count).dropLast("_percentile_latency_ns".count)
            guard let percent = Double(p) else { continue }
            guard TraceFormat.percentRange.contains(percent) else {
                throw problem(key, "\"\(p)\" is not a percentile (0 to 100)")
            }
            percentiles.append(ReportedPercentile(percent: percent, latencyNs: try latency(key, value)))
        }
        var queryCount: Int? = nil
        if let v = byKey["result_query_count"] {
            guard let n = v.int64Value, n >= 0 else { throw problem("result_query_count", "not a count") }
            queryCount = Int(n)
        }
        var qps: Double? = nil
        if let v = byKey["result_qps_with_loadgen_overhead"] {
            guard let q = v.doubleValue, TraceFormat.qpsRange.contains(q) else {
                throw problem("result_qps_with_loadgen_overhead", "not a rate (0 to \(TraceFormat.qpsRange.upperBound) per second)")
            }
            qps = q
        }
        percentiles.sort { $0.percent < $1.percent }
        let version = str("loadgen_version")
        log.reported = ReportedSummary(
            tool: "MLPerf LoadGen" + (version.map { " " + $0 } ?? ""),
            scenario: str("effective_scenario") ?? str("requested_scenario"),
            sut: str("sut_name"),
            queryCount: queryCount,
            minNs: try ns("result_min_latency_ns"), maxNs: try ns("result_max_latency_ns"), meanNs: try ns("result_mean_latency_ns"),
            qps: qps,
            percentiles: percentiles,
            valid: str("result_validity").map { $0 == "VALID" })
        log.backend = options.backend ?? str("sut_name")
        log.startTime = str("test_datetime")
        // LoadGen writes no run identifier as such; its start time, scenario and SUT tell runs apart.
        if let v = log.startTime { log.runFacts["LoadGen run start"] = v }
        if let v = log.reported?.scenario { log.runFacts["scenario"] = v }
        if let v = log.reported?.sut { log.runFacts["SUT"] = v }
        if let v = log.reported?.minNs { log.runFacts["min latency (ns)"] = "\(v)" }
        if let v = log.reported?.maxNs { log.runFacts["max latency (ns)"] = "\(v)" }

        // A time_ms beyond a day is LoadGen's wrapped-around clock on its allocation warning.
        // time_ms has nanosecond decimals; rounding to whole ns keeps division noise out of t.
        let sane: (Double?) -> Double? = { t in t.flatMap { $0 >= 0 && $0 < 86_400_000 ? ($0 * 1e6).rounded() / 1e9 : nil } }
        var marks: [Event] = []
        for e in entries {
            let label: String
            switch e.key {
            case "generic_message": label = "LoadGen: " + sanitize(e.value.stringValue ?? "")
            case "warning_generic_message": label = "LoadGen warning: " + sanitize(e.value.stringValue ?? "")
            case "error_generic_message", "error_invalid_config", "error_invalid_test_settings":
                label = "LoadGen error: " + sanitize(e.value.stringValue ?? "")
            case "result_validity": label = "LoadGen result: " + sanitize(e.value.stringValue ?? "")
            default: continue
            }
            if let t = sane(e.timeMs) {
                marks.append(.mark(Mark(t: t, label: label)))
            } else {
                marks.append(.mark(Mark(t: 0, label: label + " (logged with an invalid time)")))
            }
        }
        log.events = marks.enumerated().sorted { $0.element.t != $1.element.t ? $0.element.t < $1.element.t : $0.offset < $1.offset }.map(\.element)

        // power_end is the wall-clock end of the measured run, which LoadGen ended when it
        // logged "Ending naturally": that places this log's t = 0 on the wall clock, to the ms.
        if let end = str("power_end").flatMap(CivilTime.parseUS),
           let endMs = entries.first(where: { $0.key == "generic_message" && ($0.value.stringValue ?? "").hasPrefix("Ending") })?.timeMs,
           endMs >= 0, endMs < 86_400_000 {
            log.wallStart = end - endMs.rounded() / 1000
        }
        return log
    }
}
