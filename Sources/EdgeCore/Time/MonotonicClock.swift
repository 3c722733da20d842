#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CLOCK_MONOTONIC: never jumps with the wall clock, so latencies, record timestamps and
/// the dashboard's ticks stay ordered. The one clock reading of the project.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot, on Linux).
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// The same reading in seconds, for callers that reason in seconds (replay, UI ticks).
    public static func seconds() -> Double {
        Double(now()) / 1e9
    }
}
