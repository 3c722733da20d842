import ArgumentParser
import EdgeTerminal
#if canImport(Glibc)
import Glibc
#endif

/// The options of the dashboard (`edgetop` with no subcommand).
struct DashboardOptions: ParsableArguments {
    /// The shortest refresh interval: below it the dashboard would cost more than it shows.
    static let minimumInterval = 0.1

    @Option(name: .long, help: ArgumentHelp("Replay a recorded trace (or an imported LoadGen / s-tui log) instead of running live.",
                                            valueName: "file"))
    var replay: String?

    @Option(name: .long, help: ArgumentHelp("Seconds between screen refreshes (0.1 or more).", valueName: "seconds"))
    var interval: Double = 0.5

    @Option(name: .long, help: ArgumentHelp("Colour theme: a name from themes/ or a btop theme file.", valueName: "name|path"))
    var theme: String?

    @Flag(name: .long, help: "Draw with ASCII only, whatever the locale.")
    var ascii = false

    @Option(name: .long, help: ArgumentHelp("Record the session to a trace file while the dashboard runs.", valueName: "file"))
    var record: String?

    @Flag(name: .long, help: "Replace the --record file if it exists.")
    var force = false

    mutating func validate() throws {
        guard interval.isFinite, interval >= DashboardOptions.minimumInterval else {
            throw ValidationError("--interval must be at least \(DashboardOptions.minimumInterval) seconds (got \(interval))")
        }
    }

    /// The message for a stdout that is not a terminal: the dashboard cannot run, and the
    /// user most likely wants one of the headless commands.
    static let noTerminalMessage = """
        edgetop: the dashboard needs a terminal, but standard output is not one.
        For scripts, pipes and CI use:
          edgetop record -o FILE   run inference and record a trace without a screen
          edgetop stats FILE       summarise a recorded trace (FPS, latency percentiles)
          edgetop bench            benchmark the kernels and models
        """

    /// Opens the dashboard over a replay, or over a live session set up by `live`;
    /// returns when the user quits.
    func run(live: LiveOptions, feed: MetricsOptions = MetricsOptions()) throws {
        // Like `record` and `import`: an existing file is not overwritten unless asked, and
        // nothing starts when it would be.
        if let path = record, !force {
            var st = stat()
            if lstat(path, &st) == 0 {
                TraceCLI.error("\(path): already exists; pass --force to replace it")
                throw ExitCode(1)
            }
        }
        guard isatty(STDOUT_FILENO) == 1 else {
            StandardError.write(DashboardOptions.noTerminalMessage + "\n")
            throw ExitCode(1)
        }
        try DashboardRunner(options: self, live: live, feed: feed).run()
    }
}

/// Writes straight to file descriptor 2 (no Foundation needed for one message).
enum StandardError {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { buf in _ = Glibc.write(STDERR_FILENO, buf.baseAddress, buf.count) }
    }
}
