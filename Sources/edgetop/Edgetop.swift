import ArgumentParser

/// `edgetop`: the live dashboard by default; `record`, `stats` and `bench` for scripts and CI.
@main
struct Edgetop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgetop",
        abstract: "top for on-device machine learning: live inference FPS, latency tails, temperature and core load.",
        subcommands: [Record.self, Stats.self, Bench.self, Import.self]
    )

    @Option(help: "Replay a recorded trace instead of running live.")
    var replay: String?

    mutating func run() throws {
        throw ValidationError("the dashboard is not built yet")
    }
}
