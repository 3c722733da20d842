#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sleep that another thread can cut short: the inference thread waits here while
/// paused or pacing, and `notify()` (pause, resume, stop, a new configuration) wakes it at once.
final class WakeSignal: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var notified = false

    init() {
        mutex = .allocate(capacity: 1); pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition); condition.deallocate()
        pthread_mutex_destroy(mutex); mutex.deallocate()
    }

    /// Wakes a current or the next waiter.
    func notify() {
        pthread_mutex_lock(mutex)
        notified = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Sleeps until the monotonic clock reaches `deadlineNs` (nil: no deadline) or until
    /// notified; returns true when notified. A notification sent while nobody waited is
    /// consumed by the next wait, so none is lost between a check and the sleep.
    @discardableResult
    func wait(untilNs deadlineNs: UInt64?) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !notified {
            if let deadlineNs {
                if MonotonicClock.now() >= deadlineNs { return false }
                var ts = timespec(tv_sec: Int(deadlineNs / 1_000_000_000), tv_nsec: Int(deadlineNs % 1_000_000_000))
                pthread_cond_timedwait(condition, mutex, &ts)
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
        notified = false
        return true
    }
}
