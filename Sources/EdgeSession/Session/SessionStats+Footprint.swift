extension SessionStats {
    /// Elements held by every bounded collection plus histogram storage, a proxy for memory
    /// that must stop growing once the rings are full.
    var footprint: Int {
        var n = fpsSeries.points.count + marks.count
        for b in latency.values {
            n += b.p50Series.points.count + b.p99Series.points.count + b.session.hdr.estimatedFootprintInBytes
        }
        for c in cores { n += c.loadSeries.points.count + c.frequencySeries.points.count }
        for s in sensors { n += s.series.points.count }
        return n
    }
}
