import EdgeCore
import Foundation
import XCTest

final class LockedTests: XCTestCase {
    /// Two threads hand the lock back and forth thousands of times, so most acquisitions are
    /// contended (the kernel-side hand-over); run under ThreadSanitizer (scripts/ci-tsan.sh)
    /// an unannotated hand-over is reported as a race on the guarded value.
    func testContendedIncrementsAreAllKept() {
        let counter = Locked(0)
        let perThread = 20_000
        let group = DispatchGroup()
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                for _ in 0..<perThread { counter.withLock { $0 += 1 } }
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(counter.withLock { $0 }, 2 * perThread)
    }

    /// The annotations are live exactly in the sanitized build, which sets EDGETOP_TSAN=1.
    func testAnnotationsFollowTheSanitizer() {
        let sanitized = ProcessInfo.processInfo.environment["EDGETOP_TSAN"] == "1"
        XCTAssertEqual(Locked<Int>.isAnnotated, sanitized)
    }

    /// A thrown error leaves the lock free for the next caller.
    func testThrowingBodyReleasesTheLock() {
        struct Stop: Error {}
        let value = Locked([1, 2])
        XCTAssertThrowsError(try value.withLock { (v: inout [Int]) throws(Stop) in v.append(3); throw Stop() })
        XCTAssertEqual(value.withLock { $0 }, [1, 2, 3])
    }
}
