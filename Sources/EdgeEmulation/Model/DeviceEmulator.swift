import EdgeTrace
import Synchronization

/// A live emulated device shared by the inference thread and the sampling thread.
///
/// The inference loop calls `slowdown(latencyNs:)` after each inference: it returns how long
/// to idle so the inference takes as long as it would at the emulated clock, and counts the
/// whole of it as busy time. The sampler calls `sample(t:)`, which runs the thermal model up
/// to `t` with the busy share seen since the previous sample.
public final class DeviceEmulator: Sendable {
    /// The device being emulated.
    public let profile: DeviceProfile
    private let state: Mutex<State>

    private struct State {
        var model: ThermalModel
        var busyCoreSeconds = 0.0
        var lastT = 0.0
        var threads = 1
    }

    /// A device at rest at t = 0, running the workload on `threads` threads.
    public init(profile: DeviceProfile, threads: Int = 1) {
        self.profile = profile
        state = Mutex(State(model: ThermalModel(profile: profile), threads: max(1, threads)))
    }

    /// Worker threads the workload uses now (a phone runs them on that many cores).
    public var threads: Int {
        get { state.withLock { $0.threads } }
        set { state.withLock { $0.threads = max(1, newValue) } }
    }

    /// The current slowdown factor, maxMHz / capMHz.
    public var slowdown: Double { state.withLock { $0.model.slowdown } }

    /// A copy of the thermal state now.
    public var model: ThermalModel { state.withLock { $0.model } }

    /// Extra nanoseconds to idle after an inference that took `latencyNs` at full speed:
    /// (slowdown − 1) × latency. Records the busy time for the thermal model.
    public func slowdown(latencyNs: UInt64) -> UInt64 {
        state.withLock { s in
            let factor = s.model.slowdown
            let extra = (factor - 1) * Double(latencyNs)
            let cores = Double(min(s.threads, profile.cores))
            s.busyCoreSeconds += (Double(latencyNs) + extra) / 1e9 * cores
            return extra > 0 && extra < 1e18 ? UInt64(extra.rounded()) : 0
        }
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
