import XCTest
import EdgeKernels
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What one `parallelFor` costs beyond the work it runs: the wake-up and the final wait of a
/// layer, and the hand-out of each work item.
///
/// A benchmark, not a test: it only runs with `EDGETOP_BENCH=1` and prints figures (release
/// build: `swift build -c release --build-tests -Xswiftc -enable-testing && EDGETOP_BENCH=1 swift
/// test -c release --skip-build -Xswiftc -enable-testing --filter ThreadPoolBenchmark`). With a
/// second core free, the two-thread call should cost well under a microsecond more than the
/// one-thread call: MobileNet v1 makes 29 of them per inference of ~2 ms.
final class ThreadPoolBenchmark: XCTestCase {
    /// Median and fastest nanoseconds per call of `body` over `runs` calls (after 100 warm-up calls).
    static func time(runs: Int, _ body: () -> Void) -> (median: Double, fastest: Double) {
        var times: [Double] = []
        times.reserveCapacity(runs)
        for i in 0..<(runs + 100) {
            let start = ContinuousClock.now
            body()
            let d = ContinuousClock.now - start
            if i >= 100 { times.append(Double(d.components.attoseconds) / 1e9 + Double(d.components.seconds) * 1e9) }
        }
        times.sort()
        return (times[times.count / 2], times[0])
    }

    func testDispatchCost() throws {
        let env = ProcessInfo.processInfo.environment
        try XCTSkipUnless(env["EDGETOP_BENCH"] == "1", "benchmark: set EDGETOP_BENCH=1 (release build)")
        let runs = Int(env["EDGETOP_BENCH_RUNS"] ?? "") ?? 20_000
        let sink = Atomic<Int>(0)
        print("ThreadPool.parallelFor cost, median / fastest of \(runs) calls, ns; load average \(Self.loadAverage())")
        for threads in [1, 2] {
            let pool = ThreadPool(threads: threads)
            // Items of ~no work show the fixed cost; items of ~1 µs (a small GEMM tile's time)
            // show whether the hand-out keeps up once both threads are busy.
            for (count, spin) in [(2, 0), (64, 0), (512, 0), (64, 1000), (512, 1000)] {
                // Items run by a worker rather than the caller: near 0 % means the second core was
                // busy elsewhere and the caller did everything (the figures are then one thread's).
                // Counted on a line of its own: a counter beside the caller's stack variables (which
                // the items read) made every item of the caller miss its cache.
                let counter = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
                    .bindMemory(to: Atomic<Int>.self, capacity: 1)
                counter.initialize(to: Atomic(0))
                defer { counter.deinitialize(count: 1); UnsafeMutableRawPointer(counter).deallocate() }
                let caller = pthread_self(), calls = spin == 0 ? runs : runs / 20
                let t = Self.time(runs: calls) {
                    pool.parallelFor(count) { i in
                        var x = i
                        for _ in 0..<spin { x = x &* 6364136223846793005 &+ 1442695040888963407 }
                        if x == 42 { sink.add(1, ordering: .relaxed) }
                        if pthread_equal(pthread_self(), caller) == 0 { counter.pointee.add(1, ordering: .relaxed) }
                    }
                }
                // `time` makes 100 warm-up calls besides the timed ones.
                let share = 100 * Double(counter.pointee.load(ordering: .relaxed)) / Double(count * (calls + 100))
                print(String(format: "  %d thread(s), %4d items of %4d steps: %9.0f / %9.0f ns (%.1f ns per item), %.0f %% by workers",
                             threads, count, spin, t.median, t.fastest, t.median / Double(count), share))
                if threads == 1 { XCTAssertEqual(share, 0, "a one-thread pool ran items off the calling thread") }
            }
        }
        precondition(sink.load(ordering: .relaxed) != -1, "keeps the items' work alive")
    }

    /// The 1-minute load average, to say how busy the machine was.
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
    }
}
