import EdgeCore
import EdgeEmulation
import EdgeInference
import EdgeTelemetry
import EdgeTrace
import Foundation
import Synchronization

/// The sampler thread: one system sample per interval until stopped. It owns the sampler
/// (and advances the emulator), and hands samples over under a lock; its wait is the stop
/// signal itself, so stopping never waits out an interval.
public final class SamplerWorker: @unchecked Sendable {
    private let sampler: SystemSampler
    private let emulator: DeviceEmulator?
    private let timeline: SessionTimeline
    private let clock: LiveSession.Clock
    private let intervalNs: UInt64
    private let stopSignal = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let shared = Locked(Shared())
    private var running = false

    private struct Shared {
        var samples: [Event] = []
        var dropped = 0
        var problems: [TelemetryProblem] = []
    }

    /// At most this many samples wait for a drain (an hour at the default interval).
    static let capacity = 7200

    /// A worker sampling `sampler` (or advancing `emulator`) every `interval` seconds on `timeline`.
    private let processes: ProcessSampler?
    /// System samples between two process samples (a process scan reads every /proc/[pid]/stat).
    private let processEvery: Int

    public init(sampler: SystemSampler, emulator: DeviceEmulator?, timeline: SessionTimeline, clock: @escaping LiveSession.Clock,
         interval: Double, processes: ProcessSampler? = nil, processInterval: Double = 2) {
        self.sampler = sampler; self.emulator = emulator; self.timeline = timeline; self.clock = clock
        intervalNs = UInt64(max(0.01, interval) * 1e9)
        self.processes = processes
        processEvery = max(1, Int((processInterval / max(0.01, interval)).rounded()))
    }

    /// Starts the thread (once).
    public func start() {
        guard !running else { return }
        running = true
        let thread = Thread { [self] in run() }
        thread.name = "edgetop-sampler"
        thread.start()
    }

    /// Stops the thread and waits for it.
    public func stop() {
        guard running else { return }
        running = false
        stopSignal.signal()
        done.wait()
    }

    /// Samples taken since the last drain, oldest first.
    public func drain() -> [Event] {
        shared.withLock { s in
            defer { s.samples.removeAll(keepingCapacity: true) }
            return s.samples
        }
    }

    /// The sampler's problems as of its latest sample.
    var problems: [TelemetryProblem] { shared.withLock { $0.problems } }

    private func run() {
        defer { done.signal() }
        _ = processes?.sample(t: 0)  // the baseline the first interval is measured from
        var tick = 0
        var next = clock() &+ intervalNs
        while true {
            let now = clock()
            let waitNs = next > now ? next - now : 0
            if stopSignal.wait(timeout: .now() + .nanoseconds(Int(min(waitNs, UInt64(Int.max))))) == .success { return }
            next &+= intervalNs
            // Skip slots missed while the machine was too busy, rather than bursting.
            while next < clock() { next &+= intervalNs }
            let t = timeline.seconds(clock())
            let sample = emulator?.sample(t: t) ?? sampler.sample(t: t)
            tick += 1
            // The processes are the host's, emulated or not: what competes for these cores.
            let top = tick % processEvery == 0 ? processes?.sample(t: t) : nil
            let problems = sampler.problems.entries + (processes?.problems.entries ?? [])
            shared.withLock { s in
                s.problems = problems
                if s.samples.count >= SamplerWorker.capacity { s.samples.removeFirst(); s.dropped += 1 }
                s.samples.append(.system(sample))
                if let top { s.samples.append(.processes(top)) }
            }
        }
    }
}
