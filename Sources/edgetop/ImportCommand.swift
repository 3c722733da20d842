import ArgumentParser
import EdgeTrace
import Foundation

/// `edgetop import`: converts other tools' logs of one run into an edgetop trace.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert MLPerf LoadGen or s-tui logs into an edgetop trace.",
        discussion: """
        Formats are recognised by content: MLPerf LoadGen mlperf_log_trace.json (per-sample latencies), \
        mlperf_log_detail.txt and mlperf_log_summary.txt (LoadGen's own figures), an MLPerf power log \
        (spl.txt), an MLPerf system description JSON (device), and s-tui's CSV log. Several files of one \
        run merge into one trace; logs of different runs (LoadGen's start time, scenario, SUT or figures \
        disagree, a second log of one kind, times apart) are refused unless --force. An import that \
        yields no events is an error.
        """)

    @Argument(help: "Logs of one run.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "The trace to write (.jsonl, or .jsonl.gz to compress).")
    var output: String

    @Option(help: "Model name for the imported inferences (LoadGen traces do not record it).")
    var model: String?

    @Option(help: "Backend label for the imported inferences (default: the LoadGen SUT name, else loadgen).")
    var backend: String?

    @Option(help: "Where the logs came from and their licence, for the trace header.")
    var attribution: String?

    @Flag(help: "Replace OUTPUT if it exists, and merge logs that look like different runs (each conflict is warned about).")
    var force = false

    func run() throws {
        // Checked here, not in `validate`: ArgumentParser validates even for `--help`.
        guard !inputs.isEmpty else { try TraceCLI.usage("give at least one log to import", command: "import") }
        do {
            let target = try OutputTarget(path: output, force: force)
            let source = try Importer.session(paths: inputs, options: ImportOptions(model: model, backend: backend, attribution: attribution, allowMixedRuns: force))
            TraceCLI.warn(source.warnings)
            // Write beside the target and rename, so a failed import never leaves half a trace.
            try target.prepare()
            var count = 0
            do {
                let writer = try TraceWriter(path: target.temporaryPath, header: source.header)
                while let e = try source.next() { try writer.write(e); count += 1 }
                try writer.close()
            } catch {
                target.abandon()
                throw error
            }
            guard count > 0 else {
                target.abandon()
                TraceCLI.error(sanitize("\(inputs.joined(separator: ", ")): no events to import (no inferences, system samples or messages); "
                                        + "nothing written"))
                throw ExitCode(1)
            }
            try target.commit()
            print(sanitize("wrote \(count) events to \(output)"))
        } catch let e as TraceError {
            TraceCLI.error(e.description)
            throw ExitCode(1)
        }
    }
}
