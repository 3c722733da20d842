/// Imports MLPerf LoadGen's `mlperf_log_trace.json`: Chrome trace events, one per line.
/// Each `Sample` begin event (`"ph":"b"`) carries `args.complete_ns`, the latency LoadGen
/// measured for that sample; that is the figure LoadGen's own percentiles are computed
/// from, so `stats` reproduces them exactly.
///
/// The file is not strict JSON: LoadGen writes string arguments as `"key":""value""`,
/// some events have negative `ts`, and the last event has no `ph`. Lines are parsed one
/// at a time with the lenient parser, so the file streams in bounded memory apart from
/// the events kept.
enum LoadGenTraceImporter {
    /// Backend label when neither the user nor a detail log of the same run names the SUT.
    static let defaultBackend = "loadgen"

    static func load(path: String, options: ImportOptions) throws -> ImportedLog {
        var log = ImportedLog(path: path, format: .loadgenTrace)
        let reader = try LineReader(path: path)
        let backend = options.backend ?? LoadGenTraceImporter.defaultBackend
        let model = options.model ?? "unknown"
        var samples: [(endNs: Int64, latency: UInt64)] = []
        var firstBeginNs: Int64? = nil
        var sawHeader = false
        var cutOff = false
        while let outcome: Outcome = try reader.withNextLine({ bytes, terminated in
            var body = UnsafeBufferPointer(rebasing: bytes[...])
            while let last = body.last, last == 0x20 || last == 0x2C || last == 0x09 { body = UnsafeBufferPointer(rebasing: body.dropLast()) }
            guard let first = body.first else { return .skip }
            if !sawHeader {
                // `{"traceEvents":[` opens the file; anything else is not a LoadGen trace.
                let text = String(decoding: body, as: UTF8.self)
                guard text.hasPrefix("{\"traceEvents\"") else { return .failure("expected {\"traceEvents\":[ on the first line") }
                sawHeader = true
                return .skip
            }
            guard first == UInt8(ascii: "{") else { return .skip }   // `],`, "displayTimeUnit", "otherData"...
            let value: JSONValue
            do { value = try JSONParser.parse(body, lenient: true) } catch let e as JSONParseError {
                if !terminated { return .cutOff }
                return .failure("not JSON: \(e.message) at column \(e.column)")
            }
            guard value["name"]?.stringValue == "Sample", value["ph"]?.stringValue == "b" else { return .skip }
            guard let ts = value["ts"]?.doubleValue else { return .failure("Sample event without a numeric \"ts\"") }
            // A year in microseconds is 3e13: anything beyond 1e15 is not a LoadGen time.
            guard abs(ts) < 1e15 else { return .failure("Sample event \"ts\" \(ts) is out of range") }
            guard let done = value["args"]?["complete_ns"] else { return .failure("Sample event without \"args.complete_ns\"") }
            guard let ns = done.int64Value, ns >= 0 else {
                return .failure("\"args.complete_ns\" should be a non-negative integer, found \(done.typeDescription)")
            }
            guard ns < 1_000_000_000_000_000 else { return .failure("\"args.complete_ns\" \(ns) is out of range") }
            // ts is in microseconds with nanosecond decimals.
            let beginNs = Int64((ts * 1000).rounded())
            return .sample(beginNs: beginNs, latency: UInt64(ns))
        }) {
            switch outcome {
            case .skip: continue
            case .cutOff: cutOff = true
            case .failure(let problem): throw TraceError(file: path, line: reader.lineNumber, problem: problem)
            case .sample(let beginNs, let latency):
                if firstBeginNs == nil { firstBeginNs = beginNs }
                let endNs = beginNs + Int64(latency)
                // The event's time, as the trace will hold it: refused here, with its line,
                // rather than written into a trace nothing can read.
                let t = Double(endNs - firstBeginNs!) / 1e9
                guard TraceFormat.importedTimeRange.contains(t) else {
                    throw TraceError(file: path, line: reader.lineNumber,
                                     problem: "Sample ends \(fixed(t, 0)) s from the first one: not one run")
                }
                samples.append((endNs, latency))
                try InputLimits.checkHeld(samples.count, file: path, line: reader.lineNumber, holder: "import")
            }
            if cutOff { break }
        }
        if cutOff || reader.compressedDataTruncated {
            log.warnings.append(TraceError(file: path, line: reader.lineNumber,
                problem: "the trace is cut off; imported the \(samples.count) complete samples before the cut").description)
        }
        guard sawHeader else { throw TraceError(file: path, problem: "empty file: not a LoadGen trace") }
        guard let t0 = firstBeginNs else {
            throw TraceError(file: path, problem: "no Sample events with args.complete_ns: this LoadGen trace holds no per-sample latencies")
        }
        samples.sort { $0.endNs < $1.endNs }
        // A whole trace holds every sample LoadGen's summary figures came from, so its extremes
        // must equal those of a detail log or summary of the same run.
        if !cutOff && !reader.compressedDataTruncated {
            log.runFacts["min latency (ns)"] = "\(samples.map(\.latency).min()!)"
            log.runFacts["max latency (ns)"] = "\(samples.map(\.latency).max()!)"
        }
        log.events = samples.map {
            .inference(InferenceEvent(t: Double($0.endNs - t0) / 1e9, backend: backend, model: model, latencyNs: $0.latency))
        }
        log.model = options.model
        log.backend = options.backend
        return log
    }

    private enum Outcome {
        case skip, cutOff, failure(String), sample(beginNs: Int64, latency: UInt64)
    }
}
