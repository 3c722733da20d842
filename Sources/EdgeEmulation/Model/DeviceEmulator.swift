import EdgeCore
import EdgeTrace
import Synchronization

/// A live emulated device shared by the inference thread and the sampling thread.
///
/// The inference loop calls `idle(after:threads:hostLatencyNs:)` after each inference: the
/// profile's compute model says how long the device would take for the layers run, at the
/// clock cap now in force, and the loop idles for the difference, so the frame lasts as long
/// as it would on the device (the time taken here is only the floor). The whole of it counts
/// as busy time on the device's cores. The sampler calls `sample(t:)`, which runs the thermal
/// model up to `t` with the busy share seen since the previous sample.
public final class DeviceEmulator: Sendable {
    /// The device being emulated.
    public let profile: DeviceProfile
    private let state: Locked<State>

    private struct State {
        var model: ThermalModel
        var busyCoreSeconds = 0.0
        var lastT = 0.0
        var inferences = 0
        var hostBound = 0
    }

    /// A device at rest at t = 0.
    public init(profile: DeviceProfile) {
        self.profile = profile
        state = Locked(State(model: ThermalModel(profile: profile)))
    }

    /// The current slowdown factor of the clock cap, maxMHz / capMHz.
    public var slowdown: Double { state.withLock { $0.model.slowdown } }

    /// A copy of the thermal state now.
    public var model: ThermalModel { state.withLock { $0.model } }

    /// Inferences emulated so far, and how many of them took longer on this machine than on
    /// the device (their latency is this machine's, the floor).
    public var counts: (inferences: Int, hostBound: Int) { state.withLock { ($0.inferences, $0.hostBound) } }

    /// The device's time for one inference of `work` on `threads` threads at the clock cap
    /// now in force, in ns.
    public func deviceLatencyNs(_ work: DeviceWorkload, threads: Int) -> UInt64 {
        let cap = state.withLock { $0.model.capMHz }
        return DeviceEmulator.nanoseconds(profile.inferenceSeconds(work, threads: threads, mhz: cap))
    }

    /// Extra nanoseconds to idle after an inference of `work` on `threads` threads that took
    /// `hostLatencyNs` here: the device's time at the current cap minus the host's, or 0 when
    /// this machine was the slower. Records the emulated latency as busy time on
    /// min(threads, cores) cores for the thermal model.
    public func idle(after work: DeviceWorkload, threads: Int, hostLatencyNs: UInt64) -> UInt64 {
        state.withLock { s in
            let device = DeviceEmulator.nanoseconds(profile.inferenceSeconds(work, threads: threads, mhz: s.model.capMHz))
            let emulated = max(device, hostLatencyNs)
            s.inferences += 1
            if hostLatencyNs > device { s.hostBound += 1 }
            s.busyCoreSeconds += Double(emulated) / 1e9 * Double(profile.coresUsed(threads: threads))
            return emulated - hostLatencyNs
        }
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        let ns = (seconds * 1e9).rounded()
        return ns > 0 && ns < 1e18 ? UInt64(ns) : 0
    }

    /// Advances the model to `t` (seconds since the session start) and returns the emulated
    /// device's sample: per-core load, frequency, the die temperature and the modelled power,
    /// all flagged emulated.
    public func sample(t: Double) -> SystemSample {
        state.withLock { s in
            let dt = t - s.lastT
            var busy = 0.0
            if dt > 0 {
                busy = min(Double(profile.cores), s.busyCoreSeconds / dt)
                s.model.advance(by: dt, busyCores: busy)
                s.lastT = t
                s.busyCoreSeconds = 0
            }
            return DeviceEmulator.sample(of: s.model, t: t, busyCores: busy)
        }
    }

    /// What a sample of `model` looks like with `busyCores` busy: the busy share is spread
    /// over the first cores, as a scheduler packing the workload's threads would.
    public static func sample(of model: ThermalModel, t: Double, busyCores: Double) -> SystemSample {
        let p = model.profile
        let load = (0..<p.cores).map { i in CoreLoad(user: min(1, max(0, busyCores - Double(i)))) }
        let freq = (0..<p.cores).map { _ in
            CoreFrequency(curMHz: model.capMHz, maxMHz: p.maxMHz, governor: "step_wise", emulated: true)
        }
        let temp = Temperature(sensor: DeviceEmulator.sensorName, celsius: (model.temperatureC * 1000).rounded() / 1000,
                               passiveC: p.passiveTripsC.first, criticalC: p.criticalC, emulated: true)
        var throttling: [String] = []
        if model.throttleSteps > 0 {
            throttling.append("cap \(fmt(model.capMHz)) MHz of \(fmt(p.maxMHz)) MHz, \(model.throttleSteps) step(s) down (emulated)")
        }
        if let trip = p.passiveTripsC.first, model.temperatureC > trip {
            throttling.append("\(DeviceEmulator.sensorName) \(fmt(model.temperatureC)) °C above passive trip \(fmt(trip)) °C")
        }
        let power = PowerReading(source: DeviceEmulator.sensorName,
                                 watts: (model.power(busyCores: busyCores) * 1000).rounded() / 1000, emulated: true)
        return SystemSample(t: t, load: load, frequency: freq, temperatures: [temp], throttling: throttling, power: [power])
    }

    /// The label of the emulated die temperature; it says "emulated" wherever it is shown.
    public static let sensorName = "soc (emulated)"

    private static func fmt(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
