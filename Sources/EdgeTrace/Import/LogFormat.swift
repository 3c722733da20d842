/// The kinds of file edgetop reads, told apart by their content (never by the name alone,
/// since logs get renamed when they are collected).
public enum LogFormat: String, Sendable, CaseIterable {
    /// edgetop's own JSON Lines trace.
    case edgetopTrace = "edgetop trace"
    /// MLPerf LoadGen `mlperf_log_trace.json` (Chrome trace events, per-sample latencies).
    case loadgenTrace = "MLPerf LoadGen trace (mlperf_log_trace.json)"
    /// MLPerf LoadGen `mlperf_log_detail.txt` (`:::MLLOG {json}` lines).
    case loadgenDetail = "MLPerf LoadGen detail log (mlperf_log_detail.txt)"
    /// MLPerf LoadGen `mlperf_log_summary.txt` (human-readable summary).
    case loadgenSummary = "MLPerf LoadGen summary (mlperf_log_summary.txt)"
    /// s-tui's `--csv` log: `Time` then `Source:Sensor` columns.
    case stuiCSV = "s-tui CSV log"
    /// An MLPerf power analyzer log (`spl.txt`): `Time,<date>,Watts,<w>,...` lines.
    case powerLog = "MLPerf power log (spl.txt)"
    /// An MLPerf system description JSON (CPU model, cores, OS).
    case systemDescription = "MLPerf system description (system_*.json)"

    /// Recognises `path` from its first lines.
    public static func detect(path: String) throws -> LogFormat {
        let reader = try LineReader(path: path)
        var firstLines: [String] = []
        while firstLines.count < 8 {
            guard let line = try reader.withNextLine({ bytes, _ in
                String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, 4096)]), as: UTF8.self)
            }) else { break }
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty && firstLines.isEmpty { continue }
            firstLines.append(trimmed)
        }
        guard let first = firstLines.first else {
            throw TraceError(file: path, problem: "empty file: nothing to read")
        }
        if first.hasPrefix("{\"traceEvents\"") { return .loadgenTrace }
        if first.hasPrefix("{") && first.contains("\"format\"") { return .edgetopTrace }
        if first.hasPrefix(":::MLLOG") { return .loadgenDetail }
        if firstLines.contains(where: { $0.contains("MLPerf Results Summary") || $0 == "No warnings encountered during test." }) {
            return .loadgenSummary
        }
        if first.hasPrefix("Time,") {
            let fields = first.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count >= 4 && fields[2] == "Watts" { return .powerLog }
            if fields.dropFirst().contains(where: { $0.contains(":") }) { return .stuiCSV }
        }
        if first == "{" || (first.hasPrefix("{") && first.contains("\"")) {
            let joined = firstLines.joined(separator: " ")
            if joined.contains("\"host_processor_model_name\"") || joined.contains("\"Processor Name\"")
                || joined.contains("\"accelerator_model_name\"") || joined.contains("\"System\"") {
                return .systemDescription
            }
        }
        throw TraceError(file: path, problem: "not a format edgetop reads: expected an edgetop trace, an MLPerf LoadGen "
            + "mlperf_log_trace.json, mlperf_log_detail.txt or mlperf_log_summary.txt, an s-tui CSV log, "
            + "an MLPerf power log (spl.txt) or an MLPerf system description JSON")
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    var trimmingSpaces: String { String(self).trimmingSpaces }
}
