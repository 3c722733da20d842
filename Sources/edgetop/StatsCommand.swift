import ArgumentParser

/// `edgetop stats` (placeholder until its issue lands).
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Not built yet.")
    mutating func run() throws { throw ValidationError("'stats' is not built yet") }
}
