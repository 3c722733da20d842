/// How much of a file edgetop holds in memory where it must hold all of it (an import, which
/// sorts and merges; a replay, which seeks backwards). `stats` on an edgetop trace streams
/// and needs neither. Hitting a limit is an error that names the limit, never a quiet cut.
public enum InputLimits {
    /// Events one import or replay holds: about 9 hours at 60 inferences a second, a few
    /// hundred MB of memory.
    public static let maxHeldEvents = 2_000_000
    /// Decompressed text read from one log whose lines an importer keeps: a 64 MiB CSV or
    /// detail log is far beyond a real one; a gzip bomb stops here instead of at 3 GB.
    public static let maxImportedBytes = 64 << 20

    /// Throws once `count` events are more than `maxHeldEvents`.
    static func checkHeld(_ count: Int, file: String, line: Int?, holder: String) throws {
        guard count > maxHeldEvents else { return }
        throw TraceError(file: file, line: line,
                         problem: "more than \(maxHeldEvents) events: \(holder) holds them all in memory and stops at this limit")
    }
}
