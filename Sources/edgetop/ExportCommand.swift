import ArgumentParser
import EdgeTrace
import Foundation

/// `edgetop export`: a trace in another tool's format (Chrome Trace Event JSON for Perfetto).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trace as Trace Event JSON for Perfetto UI and chrome://tracing.",
        discussion: """
        One track per backend with each inference as a slice, counter tracks for FPS, temperatures, \
        frequencies, power and per-core load, instant events for backend switches, throttling and marks, \
        and metadata naming the device (docs/export.md). The output is written beside OUTPUT and renamed \
        into place, so a bad trace never leaves half a file.
        """)

    @Option(help: ArgumentHelp("Output format; only 'chrome' (Trace Event JSON) for now.", valueName: "name"))
    var format = "chrome"

    @Argument(help: "Trace to export (.jsonl or .jsonl.gz).")
    var trace: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("JSON file to write.", valueName: "file"))
    var output: String

    @Flag(help: "Replace OUTPUT if it exists.")
    var force = false

    func run() throws {
        guard format == "chrome" else { try TraceCLI.usage("unknown --format '\(format)' (known: chrome)", command: "export") }
        guard let trace else { try TraceCLI.usage("give the trace to export", command: "export") }
        if URL(fileURLWithPath: trace).standardized.path == URL(fileURLWithPath: output).standardized.path {
            try TraceCLI.usage("OUTPUT is the trace itself; the trace would be lost", command: "export")
        }
        // Like `import`: only a regular file is ever renamed over (a symlink is followed).
        let target: OutputTarget
        do {
            target = try OutputTarget(path: output, force: force)
            try target.prepare()
        } catch let e as TraceError {
            TraceCLI.error(e.description)
            throw ExitCode(1)
        }
        let temporary = target.temporaryPath
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            TraceCLI.error("\(temporary): cannot create: \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        do {
            let source = try TraceReader(path: trace)
            var exporter = ChromeTraceExporter { bytes in
                buffer.append(contentsOf: bytes)
                if buffer.count >= 1 << 16 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
            }
            try exporter.export(source)
            try handle.write(contentsOf: buffer)
            try handle.close()
            TraceCLI.warn(source.warnings)
            try target.commit()
            print(sanitize("wrote \(exporter.slices) inference slices to \(output)"))
        } catch let e as TraceError {
            try? handle.close()
            unlink(temporary)
            TraceCLI.error(e.description)
            throw ExitCode(1)
        } catch let e as ExitCode {
            throw e
        } catch {
            try? handle.close()
            unlink(temporary)
            TraceCLI.error("\(output): \(error)")
            throw ExitCode(1)
        }
    }
}
