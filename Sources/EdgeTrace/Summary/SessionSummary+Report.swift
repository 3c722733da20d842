/// The text and JSON forms `edgetop stats` prints. Every string from the file is already
/// sanitised by the reader; numbers are formatted here without Foundation.
extension SessionSummary {
    /// Human-readable summary, one fact per line.
    public func text() -> String {
        var out: [String] = []
        let h = header
        out.append("\(sanitize(file))")
        out.append("  source      \(h.source.rawValue)" + (h.emulationProfile.map { " (profile \($0))" } ?? ""))
        out.append("  device      \(h.device.cpuModel), \(h.device.cores) cores, \(h.device.os), kernel \(h.device.kernel)"
                   + (h.device.hasThermalSensors ? "" : ", no thermal sensors"))
        if let m = h.model { out.append("  model       \(m)") }
        out.append("  started     \(h.startTime)")
        if let a = h.attribution { out.append("  attribution \(a)") }
        out.append("  duration    \(fixed(duration, 3)) s")
        out.append("  inferences  \(inferenceCount)" + (inferenceCount > 0 ? ", \(fixed(fps, 2)) FPS average" : "")
                   + (configurations.count > 1 ? " over all configurations (each one's below)" : "")
                   + (h.source == .emulated && inferenceCount > 0 ? " (emulated: rates and latencies are the device's)" : ""))
        if !backends.isEmpty {
            out.append("")
            out.append("latency (ms)  " + pad("backend", 12, left: true) + pad("count", 9) + pad("mean", 11)
                       + LatencyStats.reportedPercentiles.map { pad(percentileName($0), 11) }.joined() + pad("max", 11))
            for (name, s) in backends {
                out.append("              " + pad(name, 12, left: true) + pad("\(s.count)", 9) + pad(ms(s.meanNs), 11)
                           + zip(LatencyStats.reportedPercentiles, s.percentilesNs).map { pad(s.supports($0) ? ms($1) : "–", 11) }.joined()
                           + pad(ms(s.maxNs), 11))
            }
            if configurations.count > 1 {
                // Each configuration's own FPS and latency: a session average pools them.
                out.append("")
                out.append("per configuration (FPS over the time it ran; "
                           + (configurations.count > backends.count ? "the rows above pool a backend's models and thread counts):" : "latency in ms):"))
                let width = max(24, (configurations.map { $0.configuration.label.count }.max() ?? 0) + 2)
                out.append("  " + pad("configuration", width, left: true) + pad("count", 9) + pad("seconds", 10) + pad("FPS", 10)
                           + pad("p50", 11) + pad("p99", 11) + pad("max", 11))
                for (c, s) in configurations {
                    let seconds = configurationSeconds[c] ?? 0
                    out.append("  " + pad(c.label, width, left: true) + pad("\(s.count)", 9) + pad(fixed(seconds, 3), 10)
                               + pad(seconds > 0 ? fixed(Double(s.count) / seconds, 2) : "–", 10)
                               + pad(s.supports(0.5) ? ms(s.percentilesNs[0]) : "–", 11)
                               + pad(s.supports(0.99) ? ms(s.value(at: 0.99)!) : "–", 11) + pad(ms(s.maxNs), 11))
                }
            }
            if (backends.map(\.stats) + configurations.map(\.stats)).contains(where: { !$0.supports(LatencyStats.reportedPercentiles.last!) }) {
                out.append("              – : too few latencies for that percentile (p99 needs 100, p99.9 needs 1000)")
            }
        }
        if let r = h.reported {
            out.append("")
            out.append("reported by \(r.tool) (its own figures, not measured by edgetop):")
            var facts: [String] = []
            if let s = r.scenario { facts.append("scenario \(s)") }
            if let s = r.sut { facts.append("SUT \(s)") }
            if let n = r.queryCount { facts.append("\(n) queries") }
            if let q = r.qps { facts.append("\(fixed(q, 2)) QPS") }
            if let v = r.valid { facts.append(v ? "VALID" : "INVALID") }
            if !facts.isEmpty { out.append("  " + facts.joined(separator: ", ")) }
            var lat: [String] = []
            if let v = r.minNs { lat.append("min \(ms(v))") }
            if let v = r.meanNs { lat.append("mean \(ms(v))") }
            for p in r.percentiles {
                lat.append("\(percentileName(p.percent / 100)) " + (r.supports(p) ? ms(p.latencyNs) : "– (n<\(p.minimumCount))"))
            }
            if let v = r.maxNs { lat.append("max \(ms(v))") }
            if !lat.isEmpty { out.append("  latency (ms): " + lat.joined(separator: ", ")) }
        }
        if !temperatures.isEmpty {
            out.append("")
            out.append("temperature (°C)    min     max")
            for t in temperatures {
                out.append("  " + pad(emulatedLabel(t.sensor, t.emulated), 16, left: true)
                           + pad(fixed(t.minC, 1), 6) + pad(fixed(t.maxC, 1), 8))
            }
        } else if systemSampleCount > 0 {
            out.append("")
            out.append("temperature: no sensor")
        }
        if !meanCoreLoad.isEmpty {
            out.append("")
            out.append("mean load per core: " + meanCoreLoad.enumerated().map { "cpu\($0.offset) \(fixed($0.element * 100, 0))%" }.joined(separator: ", "))
        }
        if !meanCoreMHz.isEmpty {
            out.append("mean frequency per core (MHz\(frequencyEmulated ? ", emulated" : "")): "
                       + meanCoreMHz.enumerated().map { "cpu\($0.offset) \(fixed($0.element, 0))" }.joined(separator: ", "))
        }
        if !power.isEmpty {
            out.append("")
            out.append("power (W)           min    mean     max")
            for p in power {
                out.append("  " + pad(emulatedLabel(p.source, p.emulated), 16, left: true)
                           + pad(fixed(p.minW, 2), 7) + pad(fixed(p.meanW, 2), 8) + pad(fixed(p.maxW, 2), 8))
            }
        }
        if markCount > 0 || configChangeCount > 0 {
            out.append("")
            out.append("marks \(markCount), configuration changes \(configChangeCount)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// One JSON object: per backend `count`, `mean_ns`, `p50_ns` ... `p999_ns`, `max_ns`.
    public func json() -> String {
        var w = JSONWriter()
        writeJSON(into: &w)
        return String(decoding: w.bytes, as: UTF8.self) + "\n"
    }

    /// Writes this summary as one JSON object (member `key` when nested).
    public func writeJSON(into w: inout JSONWriter, key: String? = nil) {
        w.beginObject(key)
        w.string("file", sanitize(file))
        w.string("source", header.source.rawValue)
        w.beginObject("device")
        w.string("cpu_model", header.device.cpuModel); w.int("cores", Int64(header.device.cores))
        w.string("os", header.device.os); w.string("kernel", header.device.kernel)
        w.bool("thermal_sensors", header.device.hasThermalSensors)
        w.endObject()
        if let m = header.model { w.string("model", m) }
        if let p = header.emulationProfile { w.string("emulation_profile", p) }
        if let a = header.attribution { w.string("attribution", a) }
        w.double("duration_s", duration)
        w.int("inference_count", Int64(inferenceCount))
        w.double("fps", fps)
        w.beginObject("backends")
        for (name, s) in backends { s.writeJSON(into: &w, key: name) }
        w.endObject()
        w.beginArray("configurations")
        for (c, s) in configurations {
            w.beginObject()
            w.string("model", c.model); w.string("backend", c.backend)
            if let t = c.threads { w.int("threads", Int64(t)) } else { w.null("threads") }
            let seconds = configurationSeconds[c] ?? 0
            w.double("seconds", seconds)
            if seconds > 0 { w.double("fps", Double(s.count) / seconds) } else { w.null("fps") }
            s.writeJSON(into: &w, key: "latency")
            w.endObject()
        }
        w.endArray()
        w.beginArray("temperatures")
        for t in temperatures {
            w.beginObject(); w.string("sensor", t.sensor); w.double("min_c", t.minC); w.double("max_c", t.maxC)
            w.bool("emulated", t.emulated); w.endObject()
        }
        w.endArray()
        w.beginArray("core_load")
        for l in meanCoreLoad { w.double(nil, (l * 10000).rounded() / 10000) }
        w.endArray()
        w.beginArray("core_mhz")
        for f in meanCoreMHz { w.double(nil, (f * 10).rounded() / 10) }
        w.endArray()
        w.beginArray("power")
        for p in power {
            w.beginObject(); w.string("source", p.source); w.double("min_w", p.minW); w.double("mean_w", p.meanW)
            w.double("max_w", p.maxW); w.bool("emulated", p.emulated); w.endObject()
        }
        w.endArray()
        w.int("marks", Int64(markCount))
        w.int("config_changes", Int64(configChangeCount))
        // The trace header's layout; a percentile the reported count cannot support is null.
        if let r = header.reported { r.writeJSON(into: &w, hidingUnsupported: true) }
        w.beginArray("warnings")
        for x in warnings { w.string(nil, x) }
        w.endArray()
        w.endObject()
    }
}

extension ReportedSummary {
    /// Whether the tool's query count supports percentile `p` by edgetop's rule; a figure
    /// from a log that does not give its count is shown as the tool printed it.
    public func supports(_ p: ReportedPercentile) -> Bool { queryCount.map { $0 >= p.minimumCount } ?? true }
}

extension ReportedPercentile {
    /// Fewest queries that support this percentile (`LatencyStats.minimumCount`).
    public var minimumCount: Int { LatencyStats.minimumCount(for: percent / 100) }
}

extension LatencyStats {
    /// Writes `count`, `mean_ns`, `min_ns`, `p50_ns`...`p999_ns`, `max_ns` as an object.
    public func writeJSON(into w: inout JSONWriter, key: String? = nil) {
        w.beginObject(key)
        w.int("count", Int64(count))
        w.uint("mean_ns", meanNs)
        w.uint("min_ns", minNs)
        // A percentile the sample cannot support is null, not a number.
        for (k, p) in LatencyStats.reportedPercentiles.enumerated() {
            if supports(p) { w.uint(percentileName(p).replacingDot + "_ns", percentilesNs[k]) }
            else {
                // Null alone would not say why: the count that would support it goes beside it.
                w.null(percentileName(p).replacingDot + "_ns")
                w.int(percentileName(p).replacingDot + "_min_count", Int64(LatencyStats.minimumCount(for: p)))
            }
        }
        w.uint("max_ns", maxNs)
        w.endObject()
    }
}

extension String {
    /// "p99.9" → "p999": JSON keys without dots.
    var replacingDot: String { String(filter { $0 != "." }) }
}

/// Nanoseconds as milliseconds with six decimals: exact, and readable at a glance.
public func ms(_ ns: UInt64) -> String {
    let whole = ns / 1_000_000, frac = ns % 1_000_000
    return "\(whole)." + String(String(frac + 1_000_000).dropFirst())
}

/// `value` with `decimals` decimals (no Foundation, no locale).
public func fixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return value.description }
    let n = UInt64(scaled)
    let s = UInt64(scale)
    let sign = value < 0 && n > 0 ? "-" : ""
    if decimals == 0 { return sign + "\(n)" }
    return sign + "\(n / s)." + String(String(n % s + s).dropFirst())
}

/// `text` padded to `width` columns (right-aligned unless `left`).
func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let n = text.count
    guard n < width else { return left ? text + " " : " " + text }
    let fill = String(repeating: " ", count: width - n)
    return left ? text + fill : fill + text
}

extension ABComparison {
    /// Side-by-side text: both samples' figures, the ratio of each, and the verdict.
    public func text() -> String {
        var out: [String] = []
        out.append("A: \(labelA)")
        out.append("B: \(labelB)")
        out.append("")
        out.append(pad("", 8, left: true) + pad("A (ms)", 14) + pad("B (ms)", 14) + pad("B/A", 9))
        out.append(pad("count", 8, left: true) + pad("\(a.count)", 14) + pad("\(b.count)", 14))
        out.append(pad("eff. n", 8, left: true) + pad("\(Int(dependenceA.effectiveCount.rounded()))", 14)
                   + pad("\(Int(dependenceB.effectiveCount.rounded()))", 14)
                   + "   independent-equivalent inferences (n / autocorrelation time)")
        for r in ratios {
            guard r.supported else { out.append(pad(r.name, 8, left: true) + pad("–", 14) + pad("–", 14) + pad("–", 9)); continue }
            out.append(pad(r.name, 8, left: true) + pad(ms(r.a), 14) + pad(ms(r.b), 14) + pad(fixed(r.ratio, 3), 9))
        }
        if ratios.contains(where: { !$0.supported }) {
            out.append("– : too few latencies on a side for that percentile (p99 needs 100, p99.9 needs 1000)")
        }
        out.append("")
        out.append("median ratio B/A \(fixed(medianRatio, 3)); 95% interval \(fixed(ciLow, 3)) to \(fixed(ciHigh, 3)) "
                   + "(batch medians: \(batchesA) and \(batchesB) contiguous batches, Welch t)")
        if allowance > 0 {
            out.append("one run per side: run-to-run spread cannot be measured from these data; a ±\(percent(allowance)) allowance for it "
                       + "(at least \(percent(ABComparison.singleRunAllowance)), more when a run's level moves within it; docs/statistics.md) "
                       + "widens the interval to \(fixed(judgedLow, 3)) to \(fixed(judgedHigh, 3)). "
                       + "For a measured spread, use repeated runs: edgetop sweep")
        }
        let t = percent(threshold)
        switch verdict {
        case .tooFewData:
            out.append("verdict: too few inferences to judge (at least \(ABComparison.minimumCount) on each side, and an effective "
                       + "sample size of at least \(Int(ABComparison.minimumEffectiveCount)), are needed)")
        case .bSlower, .bFaster:
            out.append("verdict: B is \(verdict == .bSlower ? "slower" : "faster") than A beyond run-to-run noise "
                       + "(median \(fixed(medianRatio, 3))x; the whole interval lies beyond the ±\(t) threshold)")
        case .equivalent:
            out.append("verdict: no difference beyond run-to-run noise (the interval lies within ±\(t))")
        case .inconclusive:
            out.append("verdict: no difference beyond run-to-run noise (the interval reaches past ±\(t), "
                       + "so a difference of that size is not ruled out either)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// One JSON object with both samples, the ratios, the interval and the verdict.
    public func json() -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("a_label", labelA); w.string("b_label", labelB)
        a.writeJSON(into: &w, key: "a"); b.writeJSON(into: &w, key: "b")
        w.beginObject("effective_count")
        w.double("a", dependenceA.effectiveCount); w.double("b", dependenceB.effectiveCount)
        w.endObject()
        w.beginObject("ratio_b_over_a")
        for (k, r) in ratios.enumerated() {
            if r.supported { w.double(r.name.replacingDot, r.ratio); continue }
            w.null(r.name.replacingDot)
            // ratios[0] is the mean, so ratios[k] is reportedPercentiles[k - 1].
            w.int(r.name.replacingDot + "_min_count", Int64(LatencyStats.minimumCount(for: LatencyStats.reportedPercentiles[k - 1])))
        }
        w.endObject()
        w.beginObject("median_ratio")
        w.double("ratio", medianRatio); w.double("ci95_low", ciLow); w.double("ci95_high", ciHigh)
        w.int("batches_a", Int64(batchesA)); w.int("batches_b", Int64(batchesB))
        w.endObject()
        w.double("run_to_run_allowance", allowance)
        w.double("judged_low", judgedLow); w.double("judged_high", judgedHigh)
        w.double("threshold", threshold)
        w.bool("enough_data", enoughData)
        w.string("verdict", verdict.rawValue)
        w.bool("different", different)
        w.endObject()
        return String(decoding: w.bytes, as: UTF8.self) + "\n"
    }
}

/// A fraction as a percentage with up to one decimal: 0.02 → "2%", 0.015 → "1.5%".
func percent(_ fraction: Double) -> String {
    guard fraction.isFinite, abs(fraction) < 1e12 else { return fixed(fraction * 100, 1) + "%" }
    let tenths = Int((fraction * 1000).rounded())
    return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
}

/// A probability in scientific-ish form: "0.0312", "1.2e-08", "< 1e-300".
func sci(_ p: Double) -> String {
    if p == 0 { return "< 1e-300" }
    if p >= 0.001 { return fixed(p, 4) }
    var e = 0
    var m = p
    while m < 1 { m *= 10; e += 1 }
    return "\(fixed(m, 1))e-\(e < 10 ? "0" : "")\(e)"
}

/// A sensor or source name marked as emulated once, even when its name already says so.
func emulatedLabel(_ name: String, _ emulated: Bool) -> String {
    emulated && !name.contains("(emulated)") ? name + " (emulated)" : name
}
