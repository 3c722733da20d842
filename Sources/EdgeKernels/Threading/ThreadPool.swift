/// Splits an operator's independent work items (output tiles) over worker threads.
///
/// Placeholder implementation: runs every item on the calling thread. The persistent
/// worker pool replaces the body, not the interface.
public final class ThreadPool: @unchecked Sendable {
    /// Number of threads that work on each `parallelFor`, the caller included.
    public let threads: Int

    public init(threads: Int) { self.threads = max(1, threads) }

    /// Calls `body(i)` once for every i in 0..<count, on up to `threads` threads, and
    /// returns when all calls have returned.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        for i in 0..<count { body(i) }
    }
}
