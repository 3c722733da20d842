import ArgumentParser

/// `edgetop record` (placeholder until its issue lands).
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Not built yet.")
    mutating func run() throws { throw ValidationError("'record' is not built yet") }
}
