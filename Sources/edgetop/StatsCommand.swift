import ArgumentParser
import EdgeTrace
import Foundation

/// `edgetop stats`: a session's summary, or an A/B comparison of two sessions or backends.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise a trace or imported log: duration, FPS, exact latency percentiles, temperatures, load.",
        discussion: """
        FILE may be an edgetop trace (.jsonl or .jsonl.gz) or a log edgetop imports (MLPerf LoadGen \
        mlperf_log_trace.json / mlperf_log_detail.txt / mlperf_log_summary.txt, s-tui CSV, power log spl.txt). \
        Percentiles are exact: the element at index floor(n*p) of the sorted latencies, as MLPerf LoadGen reports them.

        A/B: `edgetop stats A B` compares two traces, `edgetop stats A --compare int8,fp32` two backends of one \
        trace, per (model, backend, threads) configuration, never pooled: side by side, the ratio B/A of each \
        figure, the effective sample size beside n, and a 95% interval of the median ratio from batch medians \
        (contiguous batches longer than the autocorrelation's reach), widened by a run-to-run allowance because one \
        run per side cannot measure run-to-run spread (docs/statistics.md). B is called slower or faster only \
        when the whole interval lies beyond --threshold; otherwise: no difference beyond run-to-run noise. \
        A and B must differ in one factor at most (model, resolution, backend, threads, device, origin); \
        for repeated, interleaved runs use `edgetop sweep`.

        Exit status: 0 on success, 1 for a file that cannot be read or holds bad data (the message names \
        file, line and problem), 2 for bad usage.
        """)

    @Argument(help: "A trace or log; a second one to compare against the first.")
    var files: [String] = []

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: "Only count inferences of this backend.")
    var backend: String?

    @Option(help: "Compare two backends of one trace, e.g. int8,fp32 (A,B).")
    var compare: String?

    @Option(help: ArgumentHelp("Smallest difference worth a verdict, in percent (A/B only).", valueName: "percent"))
    var threshold: Double = ABComparison.defaultThreshold * 100

    @Flag(name: .customLong("allow-confounded"), help: "Compare even when A and B differ in more than one factor (warned about).")
    var allowConfounded = false

    @Flag(help: "Print the per-layer table (median of the recorded layer profiles) of each model and backend profiled.")
    var layers = false

    /// Checked in `run`, not `validate`: ArgumentParser validates even for `--help`.
    private func checkUsage() throws {
        guard (1...2).contains(files.count) else { try TraceCLI.usage("give one trace, or two to compare") }
        if let c = compare {
            guard files.count == 1 else { try TraceCLI.usage("--compare takes one trace; two traces are compared directly") }
            guard c.split(separator: ",").count == 2 else { try TraceCLI.usage("--compare wants two backends, e.g. int8,fp32") }
            guard backend == nil else { try TraceCLI.usage("--backend and --compare cannot be combined") }
        }
        guard threshold.isFinite, threshold > 0, threshold < 100 else { try TraceCLI.usage("--threshold must be a percentage above 0 and below 100") }
    }

    func run() throws {
        try checkUsage()
        do {
            if files.count == 2 {
                try compareTraces()
            } else if let c = compare {
                try compareBackends(c)
            } else if layers {
                try printLayers()
            } else {
                let source = try SessionFile.open(files[0])
                let (summary, _) = try SessionSummary.compute(source, file: files[0], backend: backend)
                TraceCLI.warn(summary.warnings)
                if let b = backend, summary.backends.isEmpty {
                    TraceCLI.error("\(files[0]): no inferences of backend \"\(sanitize(b))\"")
                    throw ExitCode(1)
                }
                print(sanitizeLines(json ? summary.json() : summary.text()), terminator: "")
            }
        } catch let e as TraceError {
            TraceCLI.error(e.description)
            throw ExitCode(1)
        }
    }

    private func compareTraces() throws {
        var sides: [(file: String, header: TraceHeader, builder: SummaryBuilder)] = []
        for file in files {
            let source = try SessionFile.open(file)
            let (summary, builder) = try SessionSummary.compute(source, file: file, backend: backend)
            TraceCLI.warn(summary.warnings)
            guard !builder.configurations.isEmpty else {
                TraceCLI.error("\(file): no inferences\(backend.map { " of backend \"\(sanitize($0))\"" } ?? "") to compare")
                throw ExitCode(1)
            }
            sides.append((file, source.header, builder))
        }
        let (a, b) = (sides[0], sides[1])
        // One configuration a side: compare those. Several: compare each one both sides hold.
        var pairs: [(RunConfiguration, RunConfiguration)] = []
        if a.builder.configurations.count == 1 && b.builder.configurations.count == 1 {
            pairs = [(a.builder.configurations[0], b.builder.configurations[0])]
        } else {
            pairs = a.builder.configurations.filter { b.builder.configurations.contains($0) }.map { ($0, $0) }
            let list: (SummaryBuilder) -> String = { $0.configurations.map(\.label).joined(separator: "; ") }
            guard !pairs.isEmpty else {
                try TraceCLI.usage("the traces hold several configurations and none in common (A: \(list(a.builder)); B: \(list(b.builder))); "
                                   + "pick one with --backend, or compare runs of one configuration each")
            }
            for c in a.builder.configurations where !pairs.contains(where: { $0.0 == c }) { TraceCLI.warn(["\(a.file): \(c.label) is not in B; not compared"]) }
            for c in b.builder.configurations where !pairs.contains(where: { $0.0 == c }) { TraceCLI.warn(["\(b.file): \(c.label) is not in A; not compared"]) }
        }
        var comparisons: [(ABComparison, [(factor: String, a: String, b: String)])] = []
        for (ca, cb) in pairs {
            let differences = RunFactors(ca, header: a.header).differences(from: RunFactors(cb, header: b.header))
            if differences.count > 1 {
                let listed = differences.map { "\($0.factor) \"\($0.a)\" vs \"\($0.b)\"" }.joined(separator: ", ")
                if !allowConfounded {
                    try TraceCLI.usage("A and B differ in \(differences.count) factors (\(listed)): a difference could come from any of them. "
                                       + "Compare runs that differ in one factor, or pass --allow-confounded")
                }
                TraceCLI.warn(["A and B differ in \(differences.count) factors (\(listed)): the comparison cannot say which one caused a difference"])
            }
            guard let c = ABComparison(labelA: "\(a.file) (\(ca.label))", a: a.builder.latencies(of: ca),
                                       labelB: "\(b.file) (\(cb.label))", b: b.builder.latencies(of: cb),
                                       threshold: threshold / 100) else { continue }
            comparisons.append((c, differences))
        }
        try report(comparisons)
        reportLayers(a: a.builder.layers.tables.max { $0.sampleCount < $1.sampleCount },
                     b: b.builder.layers.tables.max { $0.sampleCount < $1.sampleCount })
    }

    /// `stats FILE --layers`: every layer table of the trace, or an error when it has none.
    private func printLayers() throws {
        let source = try SessionFile.open(files[0])
        let (summary, _) = try SessionSummary.compute(source, file: files[0], backend: backend)
        TraceCLI.warn(summary.warnings)
        guard !summary.layers.tables.isEmpty else {
            TraceCLI.error("\(files[0]): no layer profiles\(backend.map { " of backend \"\(sanitize($0))\"" } ?? "")"
                           + " (a live session records them with --profile-every N above 0)")
            throw ExitCode(1)
        }
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.string("file", files[0])
            w.beginArray("layer_tables")
            for t in summary.layers.tables { t.writeJSON(into: &w) }
            w.endArray()
            w.endObject()
            print(sanitizeLines(String(decoding: w.bytes, as: UTF8.self)))
        } else {
            print(sanitizeLines(summary.layers.tables.map { $0.text() }.joined(separator: "\n")), terminator: "")
        }
    }

    /// Adds the layer-by-layer comparison to an A/B report when both sides hold profiles.
    private func reportLayers(a: LayerTable?, b: LayerTable?, labelA: String? = nil, labelB: String? = nil) {
        guard !json, let a, let b else { return }
        print("")
        print(sanitizeLines(LayerComparison(a: a, b: b).text(labelA: labelA ?? files[0], labelB: labelB ?? files[files.count - 1])),
              terminator: "")
    }

    private func compareBackends(_ spec: String) throws {
        let pair = spec.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let source = try SessionFile.open(files[0])
        let (summary, builder) = try SessionSummary.compute(source, file: files[0])
        TraceCLI.warn(summary.warnings)
        for name in pair where builder.latencies(of: name).isEmpty {
            let known = builder.backendNames.isEmpty ? "none" : builder.backendNames.joined(separator: ", ")
            TraceCLI.error("\(files[0]): no inferences of backend \"\(sanitize(name))\" (backends in this trace: \(known))")
            throw ExitCode(1)
        }
        // Per (model, threads): the backends are compared only where everything else is equal.
        var comparisons: [(ABComparison, [(factor: String, a: String, b: String)])] = []
        for ca in builder.configurations where ca.backend == pair[0] {
            var cb = ca
            cb.backend = pair[1]
            guard !builder.latencies(of: cb).isEmpty,
                  let c = ABComparison(labelA: "\(files[0]) (\(ca.label))", a: builder.latencies(of: ca),
                                       labelB: "\(files[0]) (\(cb.label))", b: builder.latencies(of: cb),
                                       threshold: threshold / 100) else { continue }
            comparisons.append((c, [("backend", pair[0], pair[1])]))
        }
        guard !comparisons.isEmpty else {
            TraceCLI.error("\(files[0]): no model and thread count ran with both \(sanitize(pair[0])) and \(sanitize(pair[1]))")
            throw ExitCode(1)
        }
        try report(comparisons)
        func busiest(_ backend: String) -> LayerTable? {
            builder.layers.tables.filter { $0.key.backend == backend }.max { $0.sampleCount < $1.sampleCount }
        }
        reportLayers(a: busiest(pair[0]), b: busiest(pair[1]), labelA: "\(files[0]) \(pair[0])", labelB: "\(files[0]) \(pair[1])")
    }

    private func report(_ comparisons: [(ABComparison, [(factor: String, a: String, b: String)])]) throws {
        guard !comparisons.isEmpty else { TraceCLI.error("nothing to compare"); throw ExitCode(1) }
        for (k, (c, differences)) in comparisons.enumerated() {
            if json { print(sanitizeLines(c.json()), terminator: ""); continue }
            if k > 0 { print("") }
            let under = differences.isEmpty ? "none: A and B are runs of one configuration (an A/A comparison)"
                : differences.map { "\($0.factor) (\($0.a) → \($0.b))" }.joined(separator: ", ")
            print(sanitizeLines(c.text()), terminator: "")
            print("factor under test: " + sanitize(under))
        }
    }
}

/// Messages of the trace commands (`stats`, `import`) on stderr.
enum TraceCLI {
    /// Reports bad usage the way edgetop's commands do: message and help hint, exit status 2.
    static func usage(_ message: String, command: String = "stats") throws -> Never {
        error("\(command): \(message) (see 'edgetop \(command) --help')")
        throw ExitCode(2)
    }

    /// Writes warnings to stderr, one per line, prefixed like every edgetop message.
    static func warn(_ warnings: [String]) {
        for w in warnings { error("warning: " + sanitize(w)) }
    }

    /// Writes one line to stderr.
    static func error(_ message: String) {
        // Messages quote file names and backend names from the command line: clean them too.
        FileHandle.standardError.write(Data(("edgetop: " + sanitize(message) + "\n").utf8))
    }
}
