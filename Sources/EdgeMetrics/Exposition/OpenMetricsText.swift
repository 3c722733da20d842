/// The Prometheus text exposition turned into OpenMetrics 1.0 text.
///
/// swift-prometheus writes the Prometheus text format only. The two differ, for what edgetop
/// exposes, in two places: an OpenMetrics counter family is named without its `_total`
/// suffix (the samples keep it), and the exposition ends with `# EOF`. Everything else
/// (gauges, histograms with `le="+Inf"`, `_sum`, `_count`, label escaping) reads the same.
public enum OpenMetricsText {
    /// Content type of the Prometheus text format.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"
    /// Content type of OpenMetrics text.
    public static let contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    /// Whether an `Accept` header asks for OpenMetrics (Prometheus sends it first by default).
    public static func isRequested(byAccept accept: String?) -> Bool {
        accept?.lowercased().contains("application/openmetrics-text") ?? false
    }

    /// `text` (Prometheus text format) as OpenMetrics text.
    public static func convert(_ text: String) -> String {
        var counters = Set<Substring>()
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            if parts.count == 4, parts[3] == "counter" { counters.insert(parts[2]) }
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# TYPE ") || line.hasPrefix("# HELP ") {
                let parts = line.split(separator: " ", maxSplits: 3)
                if parts.count >= 3, counters.contains(parts[2]), parts[2].hasSuffix("_total") {
                    out += parts[0] + " " + parts[1] + " " + parts[2].dropLast("_total".count)
                    if parts.count == 4 { out += " " + parts[3] }
                    out += "\n"
                    continue
                }
            }
            out += line + "\n"
        }
        return out + "# EOF\n"
    }
}
