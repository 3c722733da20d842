/// What one imported file contributed to a session: events on its own timeline, and
/// whatever it says about the device, the model and the tool's own figures.
public struct ImportedLog: Sendable {
    /// The file as named by the user.
    public var path: String
    public var format: LogFormat
    /// Events in time order, `t` in seconds from this log's own zero.
    public var events: [Event] = []
    public var device: DeviceInfo?
    public var model: String?
    public var backend: String?
    public var reported: ReportedSummary?
    /// Wall-clock time (seconds since 1970, zone as the log wrote it) of this log's t = 0,
    /// used to line up logs of the same run (a detail log and its power log).
    public var wallStart: Double?
    /// ISO 8601 start time as the log states it.
    public var startTime: String?
    /// What the log says about the run it belongs to (scenario, SUT, model, LoadGen's run
    /// start), compared across the files of one import so that two runs are never merged.
    public var runFacts: [String: String] = [:]
    public var warnings: [String] = []

    /// An empty contribution from `path`.
    public init(path: String, format: LogFormat) { self.path = path; self.format = format }
}

/// Names an importer gives to what the log itself does not name.
public struct ImportOptions: Sendable {
    /// Model name for imported inferences (LoadGen traces do not record it).
    public var model: String?
    /// Backend label for imported inferences; default: the LoadGen SUT name, else "loadgen".
    public var backend: String?
    /// Attribution text for the header (where the log came from, its licence).
    public var attribution: String?
    /// Merge logs even when they look like different runs (the conflicts become warnings).
    public var allowMixedRuns: Bool

    /// Options as given; they come from the command line, so they are sanitised like file content.
    public init(model: String? = nil, backend: String? = nil, attribution: String? = nil, allowMixedRuns: Bool = false) {
        self.model = model.map(sanitize); self.backend = backend.map(sanitize); self.attribution = attribution.map(sanitize)
        self.allowMixedRuns = allowMixedRuns
    }
}

/// Turns other tools' logs into an edgetop session.
public enum Importer {
    /// Reads one file of a known (or detected) format.
    public static func load(path: String, format: LogFormat? = nil, options: ImportOptions = ImportOptions()) throws -> ImportedLog {
        let f = try format ?? LogFormat.detect(path: path)
        switch f {
        case .edgetopTrace:
            let r = try TraceReader(path: path)
            var log = ImportedLog(path: path, format: f)
            while let e = try r.next() {
                log.events.append(e)
                try InputLimits.checkHeld(log.events.count, file: path, line: nil, holder: "import")
            }
            log.device = r.header.device; log.model = r.header.model
            log.reported = r.header.reported; log.startTime = r.header.startTime
            log.wallStart = CivilTime.parseISO(r.header.startTime)
            if let m = r.header.model { log.runFacts["model"] = m }
            log.warnings = r.warnings
            return log
        case .loadgenTrace: return try LoadGenTraceImporter.load(path: path, options: options)
        case .loadgenDetail: return try LoadGenDetailImporter.load(path: path, options: options)
        case .loadgenSummary: return try LoadGenSummaryImporter.load(path: path)
        case .stuiCSV: return try STuiCSVImporter.load(path: path)
        case .powerLog: return try PowerLogImporter.load(path: path)
        case .systemDescription: return try SystemDescriptionImporter.load(path: path)
        }
    }

    /// Reads and merges `paths` (files of one run: a detail log, its trace, its power log,
    /// its system description) into one session with an imported header. Logs that look
    /// like different runs (`runConflicts`) are refused unless `options.allowMixedRuns`.
    public static func session(paths: [String], options: ImportOptions = ImportOptions()) throws -> MemoryEventSource {
        let logs = try paths.map { try load(path: $0, options: options) }
        try InputLimits.checkHeld(logs.reduce(0) { $0 + $1.events.count }, file: paths.joined(separator: ", "), line: nil, holder: "import")
        var warnings: [String] = []
        let conflicts = runConflicts(logs)
        if let first = conflicts.first {
            guard options.allowMixedRuns else { throw first }
            warnings = conflicts.map { "merged despite --force: " + $0.description }
        }
        // A log that states nothing (an accuracy-mode LoadGen summary) cannot be checked
        // against the others, so its being of this run is unknown: say it adds nothing.
        if logs.count > 1 {
            for log in logs where log.events.isEmpty && log.runFacts.isEmpty && log.reported == nil && log.device == nil
                && log.wallStart == nil && log.model == nil {
                warnings.append("\(sanitize(log.path)): holds no events, figures or facts of its run, so nothing ties it to "
                                + "the other logs; it adds nothing to the import")
            }
        }
        return merge(logs, options: options, warnings: warnings)
    }

    /// Merges already-loaded logs. Logs that know their wall-clock start are lined up on
    /// it; the others start at zero. Times are then shifted so that none is negative.
    public static func merge(_ logs: [ImportedLog], options: ImportOptions = ImportOptions(), warnings extra: [String] = []) -> MemoryEventSource {
        let reference = logs.first(where: { $0.wallStart != nil && $0.events.contains(where: { if case .inference = $0 { return true }; return false }) })?.wallStart
            ?? logs.first(where: { $0.wallStart != nil })?.wallStart
        var tagged: [(t: Double, order: Int, event: Event)] = []
        var warnings = logs.flatMap(\.warnings) + extra
        // A LoadGen trace does not name its SUT; a detail log or summary of the same run does.
        let sut = options.backend == nil ? logs.compactMap({ $0.reported?.sut }).first : nil
        for var log in logs {
            if let sut, log.format == .loadgenTrace {
                log.events = log.events.map {
                    guard case .inference(var e) = $0, e.backend == LoadGenTraceImporter.defaultBackend else { return $0 }
                    e.backend = sut
                    return .inference(e)
                }
            }
            var shift = 0.0
            if let ref = reference, let w = log.wallStart { shift = CivilTime.interval(w, since: ref) }
            if abs(shift) > TraceFormat.maxAlignmentShift {
                // Years apart: not logs of one run. Each keeps its own zero.
                warnings.append("\(sanitize(log.path)): its clock is \(fixed(shift, 0)) s from the first log's; not lined up with it")
                shift = 0
            }
            for e in log.events { let moved = e.shifted(by: shift); tagged.append((moved.t, tagged.count, moved)) }
        }
        let minT = tagged.map(\.t).min() ?? 0
        if minT < 0 { tagged = tagged.map { let moved = $0.event.shifted(by: -minT); return (moved.t, $0.order, moved) } }
        tagged.sort { $0.t != $1.t ? $0.t < $1.t : $0.order < $1.order }

        let device = logs.compactMap(\.device).first
            ?? DeviceInfo(cpuModel: "unknown", cores: 0, os: "unknown", kernel: "unknown",
                          hasThermalSensors: logs.contains { $0.events.contains { if case .system(let s) = $0 { return !s.temperatures.isEmpty }; return false } })
        var reported = logs.compactMap(\.reported).first
        for r in logs.compactMap(\.reported).dropFirst() { reported = reported?.filled(from: r) }
        let names = logs.map { "\($0.format.rawValue): \(sanitize(lastComponent($0.path)))" }.joined(separator: "; ")
        let header = TraceHeader(
            device: device, source: .imported,
            model: options.model ?? logs.compactMap(\.model).first,
            startTime: logs.compactMap(\.startTime).first ?? "unknown",
            attribution: options.attribution ?? "Imported by edgetop from \(names)",
            reported: reported)
        return MemoryEventSource(header: header, events: tagged.map(\.event), warnings: warnings)
    }
}

/// The last path component, for attribution lines that should not leak local directories.
func lastComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}

extension ReportedSummary {
    /// This summary with its missing figures taken from `other`.
    func filled(from other: ReportedSummary) -> ReportedSummary {
        var r = self
        r.scenario = r.scenario ?? other.scenario
        r.sut = r.sut ?? other.sut
        r.queryCount = r.queryCount ?? other.queryCount
        r.minNs = r.minNs ?? other.minNs
        r.maxNs = r.maxNs ?? other.maxNs
        r.meanNs = r.meanNs ?? other.meanNs
        r.qps = r.qps ?? other.qps
        r.valid = r.valid ?? other.valid
        if r.percentiles.isEmpty { r.percentiles = other.percentiles }
        return r
    }
}

extension Event {
    /// The same event `dt` seconds later, its time rounded to the nanosecond so the sum
    /// carries no binary noise into the trace.
    public func shifted(by dt: Double) -> Event {
        guard dt != 0 else { return self }
        return retimed(((self.t + dt) * 1e9).rounded() / 1e9)
    }
}
