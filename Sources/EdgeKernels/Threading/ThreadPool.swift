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
/// hands out indices from one atomic counter; the calling thread takes indices too.
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
                context.shared.workerLoop()
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
/// Protocol: the caller stores the job, resets `next` and `pending`, then bumps
/// `generation` (release). A worker that sees a new generation (acquire) takes indices
/// until they run out and decrements `pending`; the caller returns once `pending` is 0,
/// so no worker can still be looking at a job the caller has left.
private final class PoolShared: @unchecked Sendable {
    let workerCount: Int
    let generation = Atomic<UInt64>(0)
    let next = Atomic<Int>(0)
    let pending = Atomic<Int>(0)
    let busy = Atomic<Bool>(false)
    let stopping = Atomic<Bool>(false)
    /// Number of workers asleep on `wake`; the caller only takes the mutex when some are.
    let sleepers = Atomic<Int>(0)
    /// True while the caller is asleep on `done`.
    let callerSleeping = Atomic<Bool>(false)

    // Written by the caller before the generation bump, read by workers after it.
    var count = 0
    var body: ((Int) -> Void)?

    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let wake: UnsafeMutablePointer<pthread_cond_t>
    let done: UnsafeMutablePointer<pthread_cond_t>

    /// Polls before sleeping; long enough to bridge the gap between two layers, short
    /// enough that an idle pool is quickly asleep on a shared machine.
    static let spinIterations = 20_000

    init(workers: Int) {
        workerCount = workers
        mutex = .allocate(capacity: 1); pthread_mutex_init(mutex, nil)
        wake = .allocate(capacity: 1); pthread_cond_init(wake, nil)
        done = .allocate(capacity: 1); pthread_cond_init(done, nil)
    }

    deinit {
        pthread_cond_destroy(wake); wake.deallocate()
        pthread_cond_destroy(done); done.deallocate()
        pthread_mutex_destroy(mutex); mutex.deallocate()
    }

    func tryAcquire() -> Bool {
        busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func release() { busy.store(false, ordering: .releasing) }

    func run(count: Int, body: @escaping (Int) -> Void) {
        self.count = count
        self.body = body
        next.store(0, ordering: .relaxed)
        pending.store(workerCount, ordering: .relaxed)
        generation.add(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
        }
        work()
        waitForWorkers()
        self.body = nil
    }

    /// Takes indices from the shared counter until none are left.
    @inline(__always)
    func work() {
        let count = self.count
        guard let body = self.body else { return }
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            if i >= count { return }
            body(i)
        }
    }

    private func waitForWorkers() {
        var spins = 0
        while pending.load(ordering: .acquiring) != 0 {
            spins += 1
            if spins < Self.spinIterations { continue }
            pthread_mutex_lock(mutex)
            callerSleeping.store(true, ordering: .sequentiallyConsistent)
            while pending.load(ordering: .sequentiallyConsistent) != 0 {
                pthread_cond_wait(done, mutex)
            }
            callerSleeping.store(false, ordering: .relaxed)
            pthread_mutex_unlock(mutex)
            return
        }
    }

    func workerLoop() {
        var seen: UInt64 = 0
        while true {
            guard let generation = waitForJob(after: seen) else { return }
            seen = generation
            work()
            if pending.subtract(1, ordering: .sequentiallyConsistent).newValue == 0,
               callerSleeping.load(ordering: .sequentiallyConsistent) {
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
