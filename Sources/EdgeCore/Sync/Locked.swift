import CEdgeSync
import Synchronization

/// A value shared between threads behind a `Mutex`, whose hand-overs ThreadSanitizer sees.
///
/// A contended `Mutex` on Linux is passed between threads by the kernel, out of
/// ThreadSanitizer's sight, so a sanitized run would report the guarded value's accesses as
/// races. Each critical section here tells the sanitizer the ordering the lock gives; in a
/// build without it the annotations are empty calls.
public final class Locked<Value: ~Copyable>: Sendable {
    private let mutex: Mutex<Value>

    /// A lock guarding `initialValue`.
    public init(_ initialValue: consuming sending Value) {
        mutex = Mutex(initialValue)
    }

    /// Runs `body` with the value while holding the lock.
    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        let address = Unmanaged.passUnretained(self).toOpaque()
        return try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            edge_sync_acquired(address)
            defer { edge_sync_released(address) }
            return try body(&value)
        }
    }

    /// Whether the sanitizer's annotations take effect in this build.
    public static var isAnnotated: Bool { edge_sync_annotated() != 0 }
}
