import ArgumentParser
import EdgeTrace
#if canImport(Glibc)
import Glibc
#endif

/// `edgetop`: the live dashboard by default; `record`, `stats` and `bench` for scripts and CI.
///
/// The dashboard is the default subcommand rather than options of this root command: root
/// options would also capture the subcommands' same-named options (`bench --model`).
@main
struct Edgetop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgetop",
        abstract: "top for on-device machine learning: live inference FPS, latency tails, temperature and core load.",
        subcommands: [Dashboard.self, Record.self, Stats.self, Bench.self, Import.self, Export.self, Agent.self, Sweep.self,
                      Inspect.self],
        defaultSubcommand: Dashboard.self
    )

    /// Runs the command line. Usage errors exit with 2 (the shell convention scripts test
    /// for) rather than ArgumentParser's EX_USAGE 64; everything else exits as usual.
    static func main() {
        // SIGQUIT ends the non-interactive commands like SIGTERM does, without Swift's crash
        // reporter; the dashboard and `record` install their own orderly stop for it.
        signal(SIGQUIT, SIG_DFL)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardError.write(sanitizeLines(fullMessage(for: error)) + "\n")
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}
