/// A session written as Chrome's Trace Event JSON, which Perfetto UI and chrome://tracing
/// open: one thread track per backend with each inference as a begin/end slice, counter
/// tracks for FPS, temperatures, frequencies and per-core load, instant events for backend
/// switches, throttling, marks, quality checks and the busiest processes, and metadata
/// naming the device.
///
/// Events are written as the session is read, never held all at once, and each track's
/// timestamps only move forward: slices on one backend are laid end to start (an inference
/// whose start would overlap the previous one's end starts at that end), which keeps every
/// begin matched by its end on the same track.
public struct ChromeTraceExporter {
    /// Where the bytes go (a file, a buffer in tests).
    public typealias Sink = ([UInt8]) throws -> Void

    private let sink: Sink
    private var first = true
    private var tracks: [String: Int] = [:]
    private var trackEnds: [Int: Double] = [:]
    private var fpsSecond: Int?
    private var fpsCount: [String: Int] = [:]
    private var backends: [String] = []
    private var throttled = false
    private var lastBackend: String?
    /// Inference slices written so far.
    public private(set) var slices = 0

    /// The only process in the trace: the device.
    static let pid = 1

    /// An exporter that hands its output to `sink` in pieces.
    public init(sink: @escaping Sink) { self.sink = sink }

    /// Writes every event of `source` and closes the JSON document.
    public mutating func export(_ source: any EventSource) throws {
        try begin(header: source.header)
        while let event = try source.next() { try write(event) }
        try end(header: source.header)
    }

    /// Opens the document and names the device.
    public mutating func begin(header: TraceHeader) throws {
        try sink(Array("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n".utf8))
        try emit { w in
            w.string("name", "process_name"); w.string("ph", "M")
            w.int("pid", Int64(Self.pid)); w.int("tid", 0)
            w.beginObject("args"); w.string("name", sanitize(header.device.cpuModel)); w.endObject()
        }
    }

    /// Writes one event's slices, counters or instants.
    public mutating func write(_ event: Event) throws {
        switch event {
        case .inference(let e): try writeInference(e)
        case .system(let s): try writeSystem(s)
        case .config(let c):
            try flushFPS(upTo: c.t)
            if let b = c.backend {
                if let previous = lastBackend, previous != b {
                    try instant("backend \(sanitize(previous)) -> \(sanitize(b))", t: c.t, category: "config")
                }
                lastBackend = b
            }
        case .layers(let profile): try writeLayers(profile)
        case .quality(let q): try writeQuality(q)
        case .processes(let p): try writeProcesses(p)
        case .mark(let m):
            try flushFPS(upTo: m.t)
            try instant("mark: \(sanitize(m.label))", t: m.t, category: "mark")
        }
    }

    /// Closes the document with the header's facts as metadata.
    public mutating func end(header: TraceHeader) throws {
        try flushFPS(upTo: .infinity)
        var w = JSONWriter()
        w.beginObject("metadata")
        w.string("device", sanitize(header.device.cpuModel))
        w.int("cores", Int64(header.device.cores))
        w.string("os", sanitize(header.device.os))
        w.string("kernel", sanitize(header.device.kernel))
        w.string("source", header.source.rawValue)
        if let model = header.model { w.string("model", sanitize(model)) }
        w.string("start_time", sanitize(header.startTime))
        w.string("exported_by", "edgetop export --format chrome")
        w.endObject()
        try sink(Array("\n],".utf8) + w.bytes + Array("}\n".utf8))
    }

    private mutating func writeInference(_ e: InferenceEvent) throws {
        try flushFPS(upTo: e.t)
        let backend = sanitize(e.backend)
        if lastBackend == nil { lastBackend = e.backend }
        let tid = try track(backend, title: "backend \(backend)")
        let end = e.t * 1e6
        let start = max(trackEnds[tid] ?? 0, end - Double(e.latencyNs) / 1e3, 0)
        let stop = max(start, end)
        trackEnds[tid] = stop
        let model = sanitize(e.model)
        try emit { w in
            w.string("name", model); w.string("cat", "inference"); w.string("ph", "B")
            w.double("ts", start); w.int("pid", Int64(Self.pid)); w.int("tid", Int64(tid))
            w.beginObject("args")
            w.double("latency_ms", Double(e.latencyNs) / 1e6)
            if let threads = e.threads { w.int("threads", Int64(threads)) }
            w.endObject()
        }
        try emit { w in
            w.string("name", model); w.string("cat", "inference"); w.string("ph", "E")
            w.double("ts", stop); w.int("pid", Int64(Self.pid)); w.int("tid", Int64(tid))
        }
        slices += 1
        fpsCount[backend, default: 0] += 1
    }

    private mutating func writeSystem(_ s: SystemSample) throws {
        try flushFPS(upTo: s.t)
        if !s.load.isEmpty {
            try counter("core load %", t: s.t, values: s.load.enumerated().map { ("cpu\($0.offset)", $0.element.busy * 100) })
        }
        if !s.frequency.isEmpty {
            try counter("frequency MHz", t: s.t, values: s.frequency.enumerated().map { ("cpu\($0.offset)", $0.element.curMHz) })
        }
        for temp in s.temperatures {
            try counter("temperature \(sanitize(temp.sensor)) °C", t: s.t, values: [("celsius", temp.celsius)])
        }
        for p in s.power {
            try counter("power \(sanitize(p.source)) W", t: s.t, values: [("watts", p.watts)])
        }
        let now = !s.throttling.isEmpty
        if now != throttled {
            let detail = s.throttling.first.map { ": " + sanitize($0) } ?? ""
            try instant(now ? "throttling starts\(detail)" : "throttling ends", t: s.t, category: "thermal")
            throttled = now
        }
    }

    /// A quality check: the cosine against the reference as a counter per backend, and an
    /// instant whose arguments carry the counts behind any accuracy (images scored, top-1,
    /// top-5 hits), never a bare percentage.
    private mutating func writeQuality(_ q: QualityReport) throws {
        try flushFPS(upTo: q.t)
        let backend = sanitize(q.backend)
        try counter("quality \(backend): cosine vs reference", t: q.t, values: [("cosine", q.cosine)])
        try instant("quality \(backend)", t: q.t, category: "quality") { w in
            w.string("model", sanitize(q.model))
            w.double("cosine", q.cosine)
            w.bool("top1_agrees_with_reference", q.top1Agree)
            if let a = q.accuracy {
                w.int("images", Int64(a.images)); w.int("top1_hits", Int64(a.top1)); w.int("top5_hits", Int64(a.top5))
            }
            if let g = q.agreement {
                w.string("agreement_with", sanitize(g.with))
                w.int("agreement_images", Int64(g.images)); w.int("agreement_top1", Int64(g.top1))
            }
        }
    }

    /// A sample of the busiest processes: the CPU the other processes took (percent of one
    /// core, edgetop's own threads left out) as a counter, and the list as an instant.
    private mutating func writeProcesses(_ p: ProcessSample) throws {
        try flushFPS(upTo: p.t)
        let others = p.processes.filter { $0.kind != .ownThread }
        try counter("other processes' CPU % (busiest listed)", t: p.t,
                    values: [("cpu_percent", others.reduce(0) { $0 + $1.cpu } * 100)])
        try instant("busiest processes", t: p.t, category: "processes") { w in
            w.double("interval_s", p.interval)
            w.beginArray("processes")
            for e in p.processes {
                w.beginObject()
                w.int("pid", Int64(e.pid)); w.string("name", sanitize(e.name)); w.string("kind", e.kind.rawValue)
                w.double("cpu_percent", e.cpu * 100); w.uint("rss_bytes", e.rssBytes)
                w.endObject()
            }
            w.endArray()
        }
    }

    /// Writes the FPS counter for every whole second of session time before `t`: the
    /// inferences each backend finished in that second.
    private mutating func flushFPS(upTo t: Double) throws {
        let second = t.isFinite ? Int(max(0, t).rounded(.down)) : Int.max
        guard let current = fpsSecond else {
            if t.isFinite { fpsSecond = second }
            return
        }
        guard second > current else { return }
        let values = backends.map { ($0, Double(fpsCount[$0] ?? 0)) }
        if !values.isEmpty { try counter("FPS", t: Double(current + 1), values: values) }
        fpsCount.removeAll(keepingCapacity: true)
        // Seconds without any event are written as zeros, so a stall shows as a drop.
        if second != Int.max, second > current + 1, !backends.isEmpty {
            try counter("FPS", t: Double(current + 2), values: backends.map { ($0, 0) })
        }
        fpsSecond = second == Int.max ? nil : second
    }

    /// The thread track `key`, named `title`, made on first use; backends' tracks also get
    /// an FPS series.
    private mutating func track(_ key: String, title: String, isBackend: Bool = true) throws -> Int {
        if let tid = tracks[key] { return tid }
        let tid = tracks.count + 1
        tracks[key] = tid
        if isBackend { backends.append(key) }
        try emit { w in
            w.string("name", "thread_name"); w.string("ph", "M"); w.int("pid", Int64(Self.pid)); w.int("tid", Int64(tid))
            w.beginObject("args"); w.string("name", title); w.endObject()
        }
        return tid
    }

    /// A profiled inference's operators as consecutive slices on the backend's layer track,
    /// ending when the inference ended (the loop profiles one inference in N).
    private mutating func writeLayers(_ p: LayerProfile) throws {
        try flushFPS(upTo: p.t)
        let backend = sanitize(p.backend)
        let suffix = p.emulated ? ", emulated" : ""
        let tid = try track("layers " + backend, title: "layers \(backend) (profiled\(suffix))", isBackend: false)
        var start = max(trackEnds[tid] ?? 0, p.t * 1e6 - Double(p.totalNs) / 1e3, 0)
        for layer in p.layers {
            let name = sanitize(layer.name)
            let stop = start + Double(layer.ns) / 1e3
            try emit { w in
                w.string("name", name); w.string("cat", "layer"); w.string("ph", "B")
                w.double("ts", start); w.int("pid", Int64(Self.pid)); w.int("tid", Int64(tid))
                w.beginObject("args")
                w.string("kind", sanitize(layer.kind)); w.string("shape", sanitize(layer.shape))
                w.string("kernel", sanitize(layer.kernel)); w.int("macs", Int64(layer.macs))
                w.double("ms", Double(layer.ns) / 1e6)
                w.endObject()
            }
            try emit { w in
                w.string("name", name); w.string("cat", "layer"); w.string("ph", "E")
                w.double("ts", stop); w.int("pid", Int64(Self.pid)); w.int("tid", Int64(tid))
            }
            start = stop
        }
        trackEnds[tid] = start
    }

    private mutating func counter(_ name: String, t: Double, values: [(String, Double)]) throws {
        try emit { w in
            w.string("name", name); w.string("ph", "C"); w.double("ts", t * 1e6)
            w.int("pid", Int64(Self.pid)); w.int("tid", 0)
            w.beginObject("args"); for (k, v) in values { w.double(k, v) }; w.endObject()
        }
    }

    private mutating func instant(_ name: String, t: Double, category: String,
                                  args: ((inout JSONWriter) -> Void)? = nil) throws {
        try emit { w in
            w.string("name", name); w.string("cat", category); w.string("ph", "i"); w.string("s", "p")
            w.double("ts", t * 1e6); w.int("pid", Int64(Self.pid)); w.int("tid", 0)
            if let args { w.beginObject("args"); args(&w); w.endObject() }
        }
    }

    private mutating func emit(_ body: (inout JSONWriter) -> Void) throws {
        var w = JSONWriter()
        if !first { w.bytes.append(contentsOf: ",\n".utf8) }
        first = false
        w.beginObject()
        body(&w)
        w.endObject()
        try sink(w.bytes)
    }
}
