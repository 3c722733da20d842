extension TraceFormat {
    /// The header as one JSON line (without the newline).
    public static func encode(_ h: TraceHeader) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.string("format", TraceHeader.formatName)
        w.int("version", Int64(h.version))
        w.beginObject("device")
        w.string("cpu_model", h.device.cpuModel)
        w.int("cores", Int64(h.device.cores))
        w.string("os", h.device.os)
        w.string("kernel", h.device.kernel)
        w.bool("thermal_sensors", h.device.hasThermalSensors)
        w.endObject()
        w.string("source", h.source.rawValue)
        if let m = h.model { w.string("model", m) }
        w.string("start_time", h.startTime)
        if let p = h.emulationProfile { w.string("emulation_profile", p) }
        if let a = h.attribution { w.string("attribution", a) }
        if let r = h.reported { r.writeJSON(into: &w) }
        w.endObject()
        return w.bytes
    }

    /// One event as one JSON line (without the newline), appended to `w`.
    public static func encode(_ event: Event, into w: inout JSONWriter) {
        w.beginObject()
        switch event {
        case .inference(let e):
            w.string("type", EventType.inference.rawValue)
            w.double("t", e.t)
            w.string("backend", e.backend)
            w.string("model", e.model)
            w.uint("latency_ns", e.latencyNs)
            if let n = e.threads { w.int("threads", Int64(n)) }
        case .system(let s):
            w.string("type", EventType.system.rawValue)
            w.double("t", s.t)
            if !s.load.isEmpty {
                w.beginArray("load")
                for l in s.load {
                    // Zero shares are left out: most cores have no irq, steal or nice time.
                    w.beginObject()
                    if l.user != 0 { w.double("user", l.user) }
                    if l.nice != 0 { w.double("nice", l.nice) }
                    if l.system != 0 { w.double("system", l.system) }
                    if l.irq != 0 { w.double("irq", l.irq) }
                    if l.softirq != 0 { w.double("softirq", l.softirq) }
                    if l.steal != 0 { w.double("steal", l.steal) }
                    if l.iowait != 0 { w.double("iowait", l.iowait) }
                    w.endObject()
                }
                w.endArray()
            }
            if !s.frequency.isEmpty {
                w.beginArray("frequency")
                for f in s.frequency {
                    w.beginObject()
                    w.double("cur_mhz", f.curMHz)
                    if let m = f.maxMHz { w.double("max_mhz", m) }
                    if let g = f.governor { w.string("governor", g) }
                    if f.emulated { w.bool("emulated", true) }
                    w.endObject()
                }
                w.endArray()
            }
            if !s.temperatures.isEmpty {
                w.beginArray("temperatures")
                for t in s.temperatures {
                    w.beginObject()
                    w.string("sensor", t.sensor)
                    w.double("celsius", t.celsius)
                    if let p = t.passiveC { w.double("passive_c", p) }
                    if let c = t.criticalC { w.double("critical_c", c) }
                    if t.emulated { w.bool("emulated", true) }
                    w.endObject()
                }
                w.endArray()
            }
            if !s.throttling.isEmpty {
                w.beginArray("throttling")
                for x in s.throttling { w.string(nil, x) }
                w.endArray()
            }
            if !s.power.isEmpty {
                w.beginArray("power")
                for p in s.power {
                    w.beginObject()
                    w.string("source", p.source)
                    w.double("watts", p.watts)
                    if p.emulated { w.bool("emulated", true) }
                    w.endObject()
                }
                w.endArray()
            }
        case .config(let c):
            w.string("type", EventType.config.rawValue)
            w.double("t", c.t)
            if let v = c.backend { w.string("backend", v) }
            if let v = c.model { w.string("model", v) }
            if let v = c.threads { w.int("threads", Int64(v)) }
            if let v = c.targetFPS { w.double("target_fps", v) }
            if let v = c.paused { w.bool("paused", v) }
        case .quality(let q):
            w.string("type", EventType.quality.rawValue)
            w.double("t", q.t)
            w.string("backend", q.backend)
            w.string("model", q.model)
            w.double("cosine", q.cosine)
            w.bool("top1_agree", q.top1Agree)
            if let a = q.accuracy {
                w.int("images", Int64(a.images)); w.int("top1_correct", Int64(a.top1)); w.int("top5_correct", Int64(a.top5))
            }
            if let g = q.agreement {
                w.string("agree_with", g.with); w.int("agree_images", Int64(g.images)); w.int("agree_top1", Int64(g.top1))
            }
        case .mark(let m):
            w.string("type", EventType.mark.rawValue)
            w.double("t", m.t)
            w.string("label", m.label)
        case .layers(let l):
            encode(l, into: &w)
        case .processes(let p):
            encode(p, into: &w)
        }
        w.endObject()
    }

    /// One event as a JSON line string (without the newline); convenient for tests and docs.
    public static func encodeLine(_ event: Event) -> String {
        var w = JSONWriter()
        encode(event, into: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The members of a `layers` event: one object per operator, in graph order.
    private static func encode(_ l: LayerProfile, into w: inout JSONWriter) {
        w.string("type", EventType.layers.rawValue)
        w.double("t", l.t)
        w.string("backend", l.backend)
        w.string("model", l.model)
        if l.emulated { w.bool("emulated", true) }
        if let p = l.peakGMACs { w.double("peak_gmacs", p) }
        w.beginArray("layers")
        for x in l.layers {
            w.beginObject()
            w.string("name", x.name); w.string("kind", x.kind); w.string("shape", x.shape)
            w.int("macs", Int64(x.macs)); w.string("kernel", x.kernel); w.uint("ns", x.ns)
            w.endObject()
        }
        w.endArray()
    }

    /// The members of a `processes` event: the busiest tasks first.
    private static func encode(_ p: ProcessSample, into w: inout JSONWriter) {
        w.string("type", EventType.processes.rawValue)
        w.double("t", p.t)
        w.double("interval", p.interval)
        w.beginArray("processes")
        for x in p.processes {
            w.beginObject()
            w.int("pid", Int64(x.pid)); w.string("name", x.name); w.double("cpu", x.cpu)
            w.uint("rss", x.rssBytes)
            if x.kind != .process { w.string("kind", x.kind.rawValue) }
            w.endObject()
        }
        w.endArray()
    }
}
