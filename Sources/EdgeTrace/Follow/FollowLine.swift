/// One inference an external app reported, on the app's own clock.
public struct FollowedInference: Sendable, Equatable {
    /// When the inference finished, in seconds on the app's clock (any origin).
    public var time: Double
    /// The inference's latency, ns.
    public var latencyNs: UInt64
    /// Model name, when the line gave one.
    public var model: String?
    /// Backend name, when the line gave one.
    public var backend: String?
    /// A free label (camera, stream...), shown after the backend as `backend:label`.
    public var label: String?

    /// An inference as read from a followed line.
    public init(time: Double, latencyNs: UInt64, model: String? = nil, backend: String? = nil, label: String? = nil) {
        self.time = time; self.latencyNs = latencyNs; self.model = model; self.backend = backend; self.label = label
    }
}

/// Reads the lines of a followed source, whichever of the three formats it holds:
///
/// - the minimal line format (docs/follow.md): `{"time": S, "latency_ms": MS}` with
///   optional `"model"`, `"backend"`, `"label"` (`latency_ns` may replace `latency_ms`);
/// - edgetop's own trace lines (the header is skipped; inferences and marks are kept);
/// - an MLPerf LoadGen `mlperf_log_trace.json` being written (its `Sample` events).
///
/// Each line is judged alone, so a bad line costs that line only.
public struct FollowLineParser {
    /// What one line was.
    public enum Outcome: Equatable {
        case inference(FollowedInference)
        case mark(time: Double, label: String)
        /// Blank, a header, or a LoadGen event that is not a sample.
        case skip
        /// Not a line of any known format; the problem, for the status line.
        case bad(String)
    }

    private var inLoadGenTrace = false

    /// A parser at the start of a source.
    public init() {}

    /// Parses one line (without its newline).
    public mutating func parse(_ line: Substring) -> Outcome {
        var body = line
        while let last = body.last, last == " " || last == "," || last == "\t" || last == "\r" { body = body.dropLast() }
        while let first = body.first, first == " " || first == "\t" { body = body.dropFirst() }
        guard let first = body.first else { return .skip }
        if body.hasPrefix("{\"traceEvents\"") { inLoadGenTrace = true; return .skip }
        guard first == "{" else {
            // `],`, `"displayTimeUnit"...` close a LoadGen trace; anywhere else the line is noise.
            return inLoadGenTrace ? .skip : .bad("not a JSON object")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(String(body), lenient: inLoadGenTrace) } catch let e as JSONParseError {
            return .bad("not JSON: \(e.message) at column \(e.column)")
        } catch { return .bad("not JSON") }
        guard case .object = value else { return .bad("not a JSON object") }
        if value["format"] != nil { return .skip }                      // an edgetop trace header
        if value["type"] != nil { return edgetopLine(value) }
        if value["ph"] != nil { return loadGenLine(value) }
        return minimalLine(value)
    }

    private func minimalLine(_ v: JSONValue) -> Outcome {
        guard let time = v["time"]?.doubleValue, time.isFinite else { return .bad("no numeric \"time\" (seconds)") }
        let latencyNs: Double
        if let ms = v["latency_ms"]?.doubleValue { latencyNs = ms * 1e6 }
        else if let ns = v["latency_ns"]?.doubleValue { latencyNs = ns }
        else { return .bad("no numeric \"latency_ms\" or \"latency_ns\"") }
        guard latencyNs.isFinite, latencyNs >= 0, latencyNs < 1e15 else { return .bad("latency out of range") }
        for key in ["model", "backend", "label"] where v[key] != nil && v[key]?.stringValue == nil {
            return .bad("\"\(key)\" should be a string")
        }
        return .inference(FollowedInference(time: time, latencyNs: UInt64(latencyNs.rounded()), model: v["model"]?.stringValue,
                                            backend: v["backend"]?.stringValue, label: v["label"]?.stringValue))
    }

    private func edgetopLine(_ v: JSONValue) -> Outcome {
        do {
            switch try TraceFormat.decodeEvent(v) {
            case .event(.inference(let e)):
                return .inference(FollowedInference(time: e.t, latencyNs: e.latencyNs, model: e.model, backend: e.backend))
            case .event(.mark(let m)): return .mark(time: m.t, label: m.label)
            case .event, .unknown: return .skip   // this machine's own samplers describe this machine
            }
        } catch let p as FieldProblem {
            return .bad("trace line: \(p.message)")
        } catch { return .bad("trace line: \(error)") }
    }

    private func loadGenLine(_ v: JSONValue) -> Outcome {
        guard v["name"]?.stringValue == "Sample", v["ph"]?.stringValue == "b" else { return .skip }
        guard let ts = v["ts"]?.doubleValue, abs(ts) < 1e15 else { return .bad("LoadGen Sample without a usable \"ts\"") }
        guard let ns = v["args"]?["complete_ns"]?.int64Value, ns >= 0, ns < 1_000_000_000_000_000 else {
            return .bad("LoadGen Sample without a usable \"args.complete_ns\"")
        }
        // ts is the sample's start in microseconds; the inference finished complete_ns later.
        return .inference(FollowedInference(time: ts / 1e6 + Double(ns) / 1e9, latencyNs: UInt64(ns)))
    }
}
