import Foundation
import EdgeCore
import EdgeKernels
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The threads that ran some work.
private final class ThreadIDs: Sendable {
    private let ids = Locked(Set<UInt>())
    func insert(_ id: UInt) { ids.withLock { _ = $0.insert(id) } }
    var count: Int { ids.withLock { $0.count } }
}

/// Counts calls per index from many threads at once.
private final class HitCounter: @unchecked Sendable {
    let hits: UnsafeMutablePointer<Atomic<Int>>
    let count: Int
    init(count: Int) {
        self.count = count
        hits = .allocate(capacity: count)
        for i in 0..<count { (hits + i).initialize(to: Atomic(0)) }
    }
    deinit { hits.deinitialize(count: count); hits.deallocate() }
    func hit(_ i: Int) { hits[i].add(1, ordering: .relaxed) }
    func value(_ i: Int) -> Int { hits[i].load(ordering: .relaxed) }
}

final class ThreadPoolTests: XCTestCase {
    func testEveryIndexRunsExactlyOnceForOneToFourThreads() {
        for threads in 1...4 {
            let pool = ThreadPool(threads: threads)
            XCTAssertEqual(pool.threads, threads)
            for count in [0, 1, 2, 3, 7, 64, 1000] {
                let counter = HitCounter(count: max(count, 1))
                pool.parallelFor(count) { counter.hit($0) }
                for i in 0..<count {
                    XCTAssertEqual(counter.value(i), 1, "threads \(threads) count \(count) index \(i)")
                }
                if count == 0 { XCTAssertEqual(counter.value(0), 0) }
            }
        }
    }

    func testManyCallsInSequenceEachCompleteBeforeReturning() {
        let pool = ThreadPool(threads: 3)
        let total = Atomic<Int>(0)
        // Each call must be finished when it returns: the running sum is checked after every one.
        var expected = 0
        for round in 0..<2000 {
            let count = 1 + round % 13
            pool.parallelFor(count) { i in total.add(i + 1, ordering: .relaxed) }
            expected += count * (count + 1) / 2
            let got = total.load(ordering: .relaxed)
            if got != expected { XCTFail("round \(round): sum \(got), expected \(expected)"); return }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), expected)
    }

    func testWorkIsSharedAcrossThreads() {
        let pool = ThreadPool(threads: 2)
        // Held by a class: a Mutex on this stack, captured by the work items, is accessed
        // through the closure's capture as a Swift variable, which ThreadSanitizer reports
        // as a race between the threads that call withLock on it.
        let seen = ThreadIDs()
        // Items long enough that the worker certainly wakes before the caller has taken them all.
        for _ in 0..<10 {
            pool.parallelFor(8) { _ in
                let id = UInt(pthread_self())
                seen.insert(id)
                usleep(2000)
            }
        }
        XCTAssertEqual(seen.count, 2)
    }

    func testNestedCallRunsSeriallyInsteadOfDeadlocking() {
        let pool = ThreadPool(threads: 2)
        let counter = HitCounter(count: 16)
        pool.parallelFor(4) { outer in
            pool.parallelFor(4) { inner in counter.hit(outer * 4 + inner) }
        }
        for i in 0..<16 { XCTAssertEqual(counter.value(i), 1) }
    }

    func testSleepingWorkersWakeForTheNextCall() {
        // Workers fall asleep after their spin phase; a later call must still wake them.
        for threads in [2, 4] {
            let pool = ThreadPool(threads: threads)
            for _ in 0..<3 {
                let counter = HitCounter(count: 100)
                usleep(30_000)
                pool.parallelFor(100) { counter.hit($0) }
                for i in 0..<100 { XCTAssertEqual(counter.value(i), 1) }
            }
        }
    }

    func testZeroOrNegativeThreadsMeansOne() {
        XCTAssertEqual(ThreadPool(threads: 0).threads, 1)
        XCTAssertEqual(ThreadPool(threads: -3).threads, 1)
    }
}
