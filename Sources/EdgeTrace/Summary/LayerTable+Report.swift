/// The per-layer tables `edgetop stats FILE --layers` prints, and the layer-by-layer
/// comparison `edgetop stats A B` adds when both traces hold profiles.
extension LayerTable {
    /// The table as text: a title naming what the times are, then one row per layer.
    public func text() -> String {
        var out: [String] = []
        let origin = key.emulated ? "emulated (the device profile's compute model)" : "measured here"
        out.append("layers: \(key.model) on \(key.backend), \(origin), median of \(sampleCount) profiled inference\(sampleCount == 1 ? "" : "s")")
        out.append("  " + pad("#", 4) + "  " + pad("layer", 16, left: true) + pad("kind", 11, left: true) + pad("shape", 13, left: true)
                   + pad("MMACs", 9) + pad("ms", 9) + pad("share", 7) + pad("GMAC/s", 8) + pad("peak", 7) + "  kernel")
        for r in rows {
            out.append("  " + pad("\(r.index)", 4) + "  " + pad(r.name, 16, left: true) + pad(r.kind, 11, left: true)
                       + pad(r.shape, 13, left: true) + pad(fixed(Double(r.macs) / 1e6, 2), 9) + pad(fixed(r.medianNs / 1e6, 3), 9)
                       + pad(fixed(100 * r.share, 1) + "%", 7) + pad(r.gmacs.map { fixed($0, 1) } ?? "-", 8)
                       + pad(r.peakShare.map { fixed(100 * $0, 1) + "%" } ?? "-", 7) + "  " + r.kernel)
        }
        out.append("  total \(fixed(totalMedianNs / 1e6, 3)) ms per inference (sum of the layer medians)"
                   + (peakGMACs.map { ", measured peak \(fixed($0, 1)) GMAC/s" } ?? ""))
        return out.joined(separator: "\n") + "\n"
    }

    /// The table as one JSON object: what it covers and one object per layer (times in ns).
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.string("model", key.model); w.string("backend", key.backend); w.bool("emulated", key.emulated)
        w.int("profiles", Int64(sampleCount))
        if let p = peakGMACs { w.double("peak_gmacs", p) }
        w.beginArray("layers")
        for r in rows {
            w.beginObject()
            w.int("index", Int64(r.index)); w.string("name", r.name); w.string("kind", r.kind); w.string("shape", r.shape)
            w.int("macs", Int64(r.macs)); w.double("median_ns", r.medianNs); w.double("share", r.share)
            if let g = r.gmacs { w.double("gmacs", g) }
            if let p = r.peakShare { w.double("peak_share", p) }
            w.string("kernel", r.kernel)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}

/// Two layer tables side by side: which layers got slower or faster from A to B (after a
/// backend switch, a thermal cap or a model change). Layers are paired by name, so two
/// models that share layer names compare where they overlap; the rest are listed apart.
public struct LayerComparison: Sendable {
    public var a: LayerTable
    public var b: LayerTable
    /// Pairs of rows with the same layer name, in A's order.
    public var pairs: [(a: LayerRow, b: LayerRow)]
    /// Layer names found in only one of the two.
    public var onlyA: [String], onlyB: [String]
    /// A ratio B/A beyond this (or below its inverse) is called slower (faster).
    public static let threshold = 1.10

    /// Pairs `a`'s rows with `b`'s by layer name.
    public init(a: LayerTable, b: LayerTable) {
        self.a = a; self.b = b
        let rowsA = a.rows, rowsB = b.rows
        var byName: [String: LayerRow] = [:]
        for r in rowsB where byName[r.name] == nil { byName[r.name] = r }
        pairs = rowsA.compactMap { r in byName[r.name].map { (r, $0) } }
        let namesA = Set(rowsA.map(\.name)), namesB = Set(rowsB.map(\.name))
        onlyA = rowsA.map(\.name).filter { !namesB.contains($0) }
        onlyB = rowsB.map(\.name).filter { !namesA.contains($0) }
    }

    /// B's median over A's for a pair; nil when A's is 0.
    public static func ratio(_ a: LayerRow, _ b: LayerRow) -> Double? { a.medianNs > 0 ? b.medianNs / a.medianNs : nil }

    /// The comparison as text, labelled with the two files.
    public func text(labelA: String, labelB: String) -> String {
        var out: [String] = []
        func describe(_ t: LayerTable) -> String {
            "\(t.key.model) on \(t.key.backend)\(t.key.emulated ? " (emulated)" : ""), \(t.sampleCount) profile\(t.sampleCount == 1 ? "" : "s")"
        }
        out.append("layers, B/A:")
        out.append("  A \(sanitize(labelA)): \(describe(a))")
        out.append("  B \(sanitize(labelB)): \(describe(b))")
        out.append("  " + pad("#", 4) + "  " + pad("layer", 16, left: true) + pad("kind", 11, left: true)
                   + pad("A ms", 9) + pad("B ms", 9) + pad("B/A", 7) + "  kernel (A -> B)")
        var slower: [(String, Double)] = [], faster: [(String, Double)] = []
        for (ra, rb) in pairs {
            let ratio = LayerComparison.ratio(ra, rb)
            var mark = ""
            if let r = ratio, r > LayerComparison.threshold { mark = "  slower"; slower.append((ra.name, r)) }
            if let r = ratio, r < 1 / LayerComparison.threshold { mark = "  faster"; faster.append((ra.name, r)) }
            let kernel = ra.kernel == rb.kernel ? ra.kernel : "\(ra.kernel) -> \(rb.kernel)"
            out.append("  " + pad("\(ra.index)", 4) + "  " + pad(ra.name, 16, left: true) + pad(ra.kind, 11, left: true)
                       + pad(fixed(ra.medianNs / 1e6, 3), 9) + pad(fixed(rb.medianNs / 1e6, 3), 9)
                       + pad(ratio.map { fixed($0, 2) } ?? "-", 7) + "  " + kernel + mark)
        }
        if !onlyA.isEmpty { out.append("  only in A: " + onlyA.joined(separator: ", ")) }
        if !onlyB.isEmpty { out.append("  only in B: " + onlyB.joined(separator: ", ")) }
        let totalA = a.totalMedianNs, totalB = b.totalMedianNs
        out.append("  total \(fixed(totalA / 1e6, 3)) -> \(fixed(totalB / 1e6, 3)) ms"
                   + (totalA > 0 ? " (B/A \(fixed(totalB / totalA, 2)))" : ""))
        func list(_ xs: [(String, Double)]) -> String {
            xs.sorted { abs($0.1 - 1) > abs($1.1 - 1) }.prefix(8).map { "\($0.0) x\(fixed($0.1, 2))" }.joined(separator: ", ")
        }
        if !slower.isEmpty { out.append("  slower by more than 10%: " + list(slower)) }
        if !faster.isEmpty { out.append("  faster by more than 10%: " + list(faster)) }
        if slower.isEmpty && faster.isEmpty && !pairs.isEmpty { out.append("  no layer changed by more than 10%") }
        return out.joined(separator: "\n") + "\n"
    }
}
