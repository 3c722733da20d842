import CEdgeKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Splits an operator's independent work items (output tiles) over worker threads.
///
/// The workers are created once, when the pool is made, and live until it is released:
/// a layer costs a wake-up, never a thread creation. Each `parallelFor` publishes the job,
/// wakes the workers (they spin briefly first, because layers follow each other within
/// microseconds, then sleep on a condition variable so an idle pool costs no CPU), and
/// gives each thread, the calling one included, a contiguous share of the indices; a
/// thread that finishes its share early takes indices from the end of another's.
/// To change the thread count, make a new pool.
public final class ThreadPool: @unchecked Sendable {
    /// Number of threads that work on each `parallelFor`, the caller included.
    public let threads: Int

    private let shared: PoolShared
    private var workers: [pthread_t] = []

    /// Starts `threads - 1` workers (the caller is the last thread); `threads` is at least 1.
    public init(threads: Int) {
        self.threads = max(1, threads)
        shared = PoolShared(workers: self.threads - 1)
        for index in 0..<(self.threads - 1) {
            let context = Unmanaged.passRetained(WorkerContext(shared: shared, index: index)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                // Named so the process panel (/proc/self/task) can tell inference workers apart.
                edge_set_thread_name("edgetop-worker")
                context.shared.workerLoop(thread: context.index + 1)
                return nil
            }, context)
            precondition(rc == 0, "pthread_create failed with \(rc)")
            workers.append(thread)
        }
    }

    deinit {
        shared.shutdown()
        for thread in workers { pthread_join(thread, nil) }
    }

    /// Calls `body(i)` once for every i in 0..<count, on up to `threads` threads, and
    /// returns when all calls have returned.
    ///
    /// Each thread runs a contiguous share of the indices in increasing order (then takes
    /// leftovers from the end of another share), so callers number their tasks such that
    /// neighbouring indices touch neighbouring data: each thread then keeps to its own part
    /// of the output and, with column blocks outermost, of the weights.
    ///
    /// A call made from inside a `body`, or while another thread is using the pool, runs
    /// serially on its own thread instead of waiting: the pool never deadlocks on itself.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if threads == 1 || count == 1 || !shared.tryAcquire() {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            shared.run(count: count, body: escapable)
        }
        shared.release()
    }
}

/// What a worker thread needs to start: the shared state (kept alive by the worker) and its index.
private final class WorkerContext {
    let shared: PoolShared
    let index: Int
    init(shared: PoolShared, index: Int) { self.shared = shared; self.index = index }
}

/// State shared by the caller and the workers of one pool.
///
/// Protocol: the caller stores the job, gives every thread a contiguous range of indices
/// (the caller the first), opens `job` for the new generation, then bumps `generation`
/// (release). A worker that sees the new generation (acquire) joins the job by counting
/// itself in `job` while it is open, runs its own range from the front, then takes indices
/// from the back of the other ranges until all are empty, and counts itself out. The caller
/// does the same work, then closes the job and waits only for the workers that joined: a
/// worker the system has not scheduled yet (the other core busy with another process) finds
/// the job closed and skips it, instead of holding the layer up for a time slice, and no
/// worker can still be looking at a job the caller has left.
///
/// Why ranges rather than one shared counter: each range lives on its own cache line, so
/// taking the next index is an uncontended compare-and-swap on a line the thread already
/// owns, where one counter moved its line between the cores for every index (a layer has
/// hundreds of tiles). Each thread also works through neighbouring tiles, so the threads
/// write apart in the output and each streams its own part of the weights.
private final class PoolShared: @unchecked Sendable {
    let workerCount: Int
    let generation = Atomic<UInt64>(0)
    /// The current job's generation (high 32 bits), closed flag and number of workers in it.
    let job = Atomic<UInt64>(0)
    static let closed: UInt64 = 1 << 31
    static let membersMask: UInt64 = (1 << 31) - 1
    let busy = Atomic<Bool>(false)
    let stopping = Atomic<Bool>(false)
    /// Number of workers asleep on `wake`; the caller only takes the mutex when some are.
    let sleepers = Atomic<Int>(0)
    /// True while the caller is asleep on `done`.
    let callerSleeping = Atomic<Bool>(false)

    /// One range per thread, `start | end << 32`, each alone on a cache line (`lineWords` apart).
    let ranges: UnsafeMutablePointer<Atomic<UInt64>>
    static let lineWords = 16

    // Written by the caller before the generation bump, read by workers after it.
    var body: ((Int) -> Void)?

    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let wake: UnsafeMutablePointer<pthread_cond_t>
    let done: UnsafeMutablePointer<pthread_cond_t>

    /// Polls before sleeping; long enough to bridge the gap between two layers, short
    /// enough that an idle pool is quickly asleep on a shared machine. (No `pause` in the
    /// loops: under a hypervisor a run of them can make the virtual CPU yield its core.)
    /// About 45 µs on a Zen 4: at 20 000 polls (4 µs) a worker that finished a large layer's
    /// share a little early was asleep when the next, small layer began, and waking it took
    /// longer than the layer (MobileNet v1 fp32 on two threads, AVX2 kernels, per-layer
    /// minimum of four profiles: 14x14 depthwise 0.028 -> 0.021 ms, FC 0.079 -> 0.055 ms).
    static let spinIterations = 200_000

    init(workers: Int) {
        workerCount = workers
        let slots = (workers + 1) * Self.lineWords
        // 128-byte aligned: the adjacent-line prefetcher pulls lines in pairs.
        ranges = UnsafeMutableRawPointer.allocate(byteCount: slots * 8, alignment: 128)
            .bindMemory(to: Atomic<UInt64>.self, capacity: slots)
        for i in 0..<slots { (ranges + i).initialize(to: Atomic(0)) }
        mutex = .allocate(capacity: 1); pthread_mutex_init(mutex, nil)
        wake = .allocate(capacity: 1); pthread_cond_init(wake, nil)
        done = .allocate(capacity: 1); pthread_cond_init(done, nil)
    }

    deinit {
        ranges.deinitialize(count: (workerCount + 1) * Self.lineWords)
        UnsafeMutableRawPointer(ranges).deallocate()
        pthread_cond_destroy(wake); wake.deallocate()
        pthread_cond_destroy(done); done.deallocate()
        pthread_mutex_destroy(mutex); mutex.deallocate()
    }

    func tryAcquire() -> Bool {
        busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func release() { busy.store(false, ordering: .releasing) }

    func run(count: Int, body: @escaping (Int) -> Void) {
        precondition(count < Int(UInt32.max), "ThreadPool: \(count) work items")
        self.body = body
        let threads = workerCount + 1
        for t in 0..<threads {
            let start = UInt64(count * t / threads), end = UInt64(count * (t + 1) / threads)
            ranges[t * Self.lineWords].store(start | end << 32, ordering: .relaxed)
        }
        let g = generation.load(ordering: .relaxed) &+ 1
        job.store((g & 0xFFFF_FFFF) << 32, ordering: .relaxed)
        generation.store(g, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
        }
        work(thread: 0)
        let members = job.bitwiseOr(Self.closed, ordering: .sequentiallyConsistent).oldValue & Self.membersMask
        if members > 0 { waitForMembers() }
        self.body = nil
    }

    /// Runs this thread's own range front to back, then takes from the back of the others'.
    @inline(__always)
    func work(thread: Int) {
        guard let body = self.body else { return }
        let threads = workerCount + 1
        while let i = Self.takeFront(ranges[thread * Self.lineWords]) { body(i) }
        for step in 1..<threads {
            let victim = (thread + step) % threads
            while let i = Self.takeBack(ranges[victim * Self.lineWords]) { body(i) }
        }
    }

    /// The first index of `range`, removed from it; nil when it is empty.
    @inline(__always)
    static func takeFront(_ range: borrowing Atomic<UInt64>) -> Int? {
        var v = range.load(ordering: .relaxed)
        while true {
            let start = v & 0xFFFF_FFFF, end = v >> 32
            if start >= end { return nil }
            let (exchanged, original) = range.compareExchange(expected: v, desired: v + 1, ordering: .relaxed)
            if exchanged { return Int(start) }
            v = original
        }
    }

    /// The last index of `range`, removed from it; nil when it is empty.
    @inline(__always)
    static func takeBack(_ range: borrowing Atomic<UInt64>) -> Int? {
        var v = range.load(ordering: .relaxed)
        while true {
            let start = v & 0xFFFF_FFFF, end = v >> 32
            if start >= end { return nil }
            let (exchanged, original) = range.compareExchange(expected: v, desired: v - (1 << 32), ordering: .relaxed)
            if exchanged { return Int(end - 1) }
            v = original
        }
    }

    /// Counts the calling worker into generation `g`'s job; false when it is closed or over.
    private func join(_ g: UInt64) -> Bool {
        var v = job.load(ordering: .acquiring)
        while true {
            if v >> 32 != g & 0xFFFF_FFFF || v & Self.closed != 0 { return false }
            let (exchanged, original) = job.compareExchange(expected: v, desired: v + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            v = original
        }
    }

    private func waitForMembers() {
        var spins = 0
        while job.load(ordering: .acquiring) & Self.membersMask != 0 {
            spins += 1
            if spins < Self.spinIterations { continue }
            pthread_mutex_lock(mutex)
            callerSleeping.store(true, ordering: .sequentiallyConsistent)
            while job.load(ordering: .sequentiallyConsistent) & Self.membersMask != 0 {
                pthread_cond_wait(done, mutex)
            }
            callerSleeping.store(false, ordering: .relaxed)
            pthread_mutex_unlock(mutex)
            return
        }
    }

    func workerLoop(thread: Int) {
        var seen: UInt64 = 0
        while true {
            guard let generation = waitForJob(after: seen) else { return }
            seen = generation
            guard join(generation) else { continue }
            work(thread: thread)
            let left = job.subtract(1, ordering: .sequentiallyConsistent).newValue
            if left & Self.membersMask == 0, callerSleeping.load(ordering: .sequentiallyConsistent) {
                pthread_mutex_lock(mutex)
                pthread_cond_signal(done)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// Returns the next generation, or nil when the pool is shutting down.
    private func waitForJob(after seen: UInt64) -> UInt64? {
        for _ in 0..<Self.spinIterations {
            if stopping.load(ordering: .relaxed) { return nil }
            let g = generation.load(ordering: .acquiring)
            if g != seen { return g }
        }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        sleepers.add(1, ordering: .sequentiallyConsistent)
        defer { sleepers.subtract(1, ordering: .relaxed) }
        while true {
            if stopping.load(ordering: .sequentiallyConsistent) { return nil }
            let g = generation.load(ordering: .sequentiallyConsistent)
            if g != seen { return g }
            pthread_cond_wait(wake, mutex)
        }
    }

    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping.store(true, ordering: .sequentiallyConsistent)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
    }
}

/// Names the calling thread as /proc shows it, so the process panel can mark edgetop's threads.
public enum ThreadNaming {
    /// Sets the calling thread's name (15 bytes kept).
    public static func name(_ name: String) { edge_set_thread_name(name) }
}
