/// The text and JSON forms of a sweep's results.
extension SweepSummary {
    /// A table per configuration, then one verdict line per pair.
    public func text() -> String {
        var out: [String] = []
        out.append("per configuration (runs are the unit; latency in ms; tails over all runs' inferences after warm-up):")
        let width = max(34, (configurations.map { $0.configuration.label.count }.max() ?? 0) + 2)
        out.append(pad("configuration", width, left: true) + pad("runs", 5) + pad("n", 8) + pad("median", 11)
                   + pad("95% CI (runs)", 22) + pad("p1", 10) + pad("p99", 10) + pad("p99.9", 10))
        for s in configurations {
            let ci = s.ciLow.flatMap { lo in s.ciHigh.map { hi in "\(ms(nanoseconds(lo))) to \(ms(nanoseconds(hi)))" } }
                ?? "needs 2 runs"
            out.append(pad(s.configuration.label, width, left: true) + pad("\(s.runMedians.count)", 5) + pad("\(s.count)", 8)
                       + pad(s.medianOfRunMedians.map(ms) ?? "–", 11) + pad(ci, 22)
                       + pad(s.p1.map(ms) ?? "–", 10) + pad(s.p99.map(ms) ?? "–", 10)
                       + pad(s.p999.map(ms) ?? "–", 10))
        }
        let profiles = Array(Set(configurations.compactMap(\.configuration.profile))).sorted()
        if !profiles.isEmpty {
            // An emulated row's times are the device model's, not this machine's: say so beside the table.
            out.append("@" + profiles.joined(separator: ", @") + ": emulated (latencies are the profile's device time for "
                       + "these layers, this machine's time only as the floor)")
        }
        let thin = configurations.filter { $0.count < SweepSummary.minimumForP999 }
        if !thin.isEmpty {
            out.append("– : the sample cannot support that percentile (p1 and p99 need \(SweepSummary.minimumForP99) values, "
                       + "p99.9 \(SweepSummary.minimumForP999); longer or more runs give them)")
        }
        if !comparisons.isEmpty {
            out.append("")
            out.append("pairs that differ in one factor (B / A of the medians of run medians; 95% interval from the run-to-run spread, "
                       + "Welch t on log run medians; threshold ±\(percent(threshold))):")
            for c in comparisons {
                let ci = c.ciLow.flatMap { lo in c.ciHigh.map { hi in "\(fixed(lo, 3)) to \(fixed(hi, 3))" } } ?? "–"
                out.append("  \(c.factor): \(c.a.label) → \(c.b.label): \(fixed(c.ratio, 3))x [\(ci)] \(verdictText(c.verdict))")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func verdictText(_ v: ABComparison.Verdict) -> String {
        switch v {
        case .bSlower: return "B slower beyond run-to-run noise"
        case .bFaster: return "B faster beyond run-to-run noise"
        case .equivalent: return "no difference beyond run-to-run noise (within ±\(percent(threshold)))"
        case .inconclusive: return "no difference beyond run-to-run noise (not ruled out either)"
        case .tooFewData: return "too few runs to judge (2 a side needed)"
        }
    }

    /// Writes the summary as members of an open JSON object.
    public func writeJSON(into w: inout JSONWriter) {
        w.double("threshold", threshold)
        w.beginArray("runs")
        for r in runs.sorted(by: { $0.order < $1.order }) {
            w.beginObject()
            w.int("order", Int64(r.order)); w.string("file", r.file)
            writeConfiguration(r.configuration, into: &w)
            w.int("inferences", Int64(r.latencies.count))
            if let m = r.median { w.uint("median_ns", m) }
            w.endObject()
        }
        w.endArray()
        w.beginArray("configurations")
        for s in configurations {
            w.beginObject()
            writeConfiguration(s.configuration, into: &w)
            w.int("runs", Int64(s.runMedians.count)); w.int("inferences", Int64(s.count))
            w.beginArray("run_medians_ns")
            for m in s.runMedians { w.uint(nil, m) }
            w.endArray()
            if let m = s.medianOfRunMedians { w.uint("median_of_run_medians_ns", m) } else { w.null("median_of_run_medians_ns") }
            if let lo = s.ciLow, let hi = s.ciHigh { w.double("ci95_low_ns", lo); w.double("ci95_high_ns", hi) }
            else { w.null("ci95_low_ns"); w.null("ci95_high_ns") }
            for (key, v, p) in [("p1", s.p1, 0.01), ("p99", s.p99, 0.99), ("p999", s.p999, 0.999)] {
                if let v { w.uint(key + "_ns", v) }
                else { w.null(key + "_ns"); w.int(key + "_min_count", Int64(LatencyStats.minimumCount(for: p))) }
            }
            w.endObject()
        }
        w.endArray()
        w.beginArray("comparisons")
        for c in comparisons {
            w.beginObject()
            w.string("factor", c.factor); w.string("a", c.a.label); w.string("b", c.b.label)
            w.double("ratio", c.ratio)
            if let lo = c.ciLow, let hi = c.ciHigh { w.double("ci95_low", lo); w.double("ci95_high", hi) }
            else { w.null("ci95_low"); w.null("ci95_high") }
            w.string("verdict", c.verdict.rawValue)
            w.endObject()
        }
        w.endArray()
    }

    private func writeConfiguration(_ c: Configuration, into w: inout JSONWriter) {
        w.string("model", c.model); w.string("backend", c.backend); w.int("threads", Int64(c.threads))
        if let p = c.profile { w.string("profile", p) } else { w.null("profile") }
    }
}

/// A computed time in ns as a whole number for `ms`: an interval's low end can fall below
/// zero on few, spread runs, and must not trap the conversion.
func nanoseconds(_ value: Double) -> UInt64 {
    guard value.isFinite, value > 0 else { return 0 }
    return value < 1.8e19 ? UInt64(value.rounded()) : UInt64.max
}
