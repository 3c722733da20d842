extension ReportedSummary {
    /// Writes the figures as the trace header's `reported` object (docs/trace-format.md);
    /// `stats --json` writes the same object, so a reader needs to know one layout. With
    /// `hidingUnsupported` (stats, not the trace), a percentile the reported query count
    /// cannot support has `latency_ns` null and the `min_count` that would support it.
    public func writeJSON(into w: inout JSONWriter, key: String? = "reported", hidingUnsupported: Bool = false) {
        w.beginObject(key)
        w.string("tool", tool)
        if let s = scenario { w.string("scenario", s) }
        if let s = sut { w.string("sut", s) }
        if let n = queryCount { w.int("query_count", Int64(n)) }
        if let v = minNs { w.uint("min_ns", v) }
        if let v = maxNs { w.uint("max_ns", v) }
        if let v = meanNs { w.uint("mean_ns", v) }
        if let v = qps { w.double("qps", v) }
        if let v = valid { w.bool("valid", v) }
        w.beginArray("percentiles")
        for p in percentiles {
            w.beginObject(); w.double("percent", p.percent)
            if hidingUnsupported && !supports(p) { w.null("latency_ns"); w.int("min_count", Int64(p.minimumCount)) }
            else { w.uint("latency_ns", p.latencyNs) }
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}
