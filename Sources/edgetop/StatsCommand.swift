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
        trace: side by side, the ratio B/A of each figure, a Mann-Whitney U test and a seeded bootstrap \
        confidence interval of the median ratio. A trace that switched backends is compared as one pool \
        unless --backend picks one.

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

    @Option(help: "Seed of the bootstrap resampling (A/B only).")
    var seed: UInt64 = 1

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
        var sides: [(label: String, latencies: [UInt64])] = []
        var layerTables: [LayerTables] = []
        for file in files {
            let source = try SessionFile.open(file)
            let (summary, builder) = try SessionSummary.compute(source, file: file, backend: backend)
            TraceCLI.warn(summary.warnings)
            layerTables.append(summary.layers)
            let names = builder.backendNames
            guard !names.isEmpty else {
                TraceCLI.error("\(file): no inferences\(backend.map { " of backend \"\(sanitize($0))\"" } ?? "") to compare")
                throw ExitCode(1)
            }
            // One backend per side; a trace that switched backends is pooled unless --backend picks one.
            let lat = names.flatMap { builder.latencies(of: $0) }
            sides.append(("\(file) (\(names.joined(separator: "+")))", lat))
        }
        try report(ABComparison(labelA: sides[0].label, a: sides[0].latencies, labelB: sides[1].label,
                                b: sides[1].latencies, seed: seed))
        reportLayers(a: layerTables[0].tables.max { $0.sampleCount < $1.sampleCount },
                     b: layerTables[1].tables.max { $0.sampleCount < $1.sampleCount })
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
        try report(ABComparison(labelA: "\(files[0]) \(pair[0])", a: builder.latencies(of: pair[0]),
                                labelB: "\(files[0]) \(pair[1])", b: builder.latencies(of: pair[1]), seed: seed))
        func busiest(_ backend: String) -> LayerTable? {
            builder.layers.tables.filter { $0.key.backend == backend }.max { $0.sampleCount < $1.sampleCount }
        }
        reportLayers(a: busiest(pair[0]), b: busiest(pair[1]), labelA: "\(files[0]) \(pair[0])", labelB: "\(files[0]) \(pair[1])")
    }

    private func report(_ comparison: ABComparison?) throws {
        guard let c = comparison else { TraceCLI.error("nothing to compare"); throw ExitCode(1) }
        print(sanitizeLines(json ? c.json() : c.text()), terminator: "")
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
