import ArgumentParser

/// `edgetop bench` (placeholder until its issue lands).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Not built yet.")
    mutating func run() throws { throw ValidationError("'bench' is not built yet") }
}
