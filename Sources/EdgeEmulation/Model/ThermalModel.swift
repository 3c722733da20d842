import Foundation

/// The emulated device's thermal state and its step governor, as a pure value: given how
/// many cores were busy over an interval it says the temperature and the frequency cap.
///
/// Temperature follows dT/dt = (P(f, busy) − (T − T_amb)/R_th) / C_th. Between two governor
/// polls the frequency (hence P) is constant, so each piece is integrated exactly:
/// T(t+h) = T_ss + (T − T_ss)·e^(−h/(R·C)) with T_ss = T_amb + P·R. Splitting an interval into
/// more calls therefore gives the same result (up to rounding).
///
/// The governor works like Linux's step_wise on a passive trip, polled every
/// `governorIntervalS`: while the temperature is past a trip and still rising it lowers the
/// cap by one frequency step per poll; past a second trip it lowers it every poll, rising or
/// not; once below every trip by the hysteresis it raises the cap one step per poll. Past the
/// critical trip the cap drops to the lowest step at once.
public struct ThermalModel: Sendable, Equatable {
    /// The device being modelled.
    public let profile: DeviceProfile
    /// Die temperature, °C.
    public private(set) var temperatureC: Double
    /// Steps below the maximum that the governor has lowered the cap (0 = unthrottled).
    public private(set) var throttleSteps = 0
    /// Which passive trips are currently crossed (latched until hysteresis releases them).
    public private(set) var tripsCrossed: [Bool]
    /// Seconds since the session start, advanced by `advance`.
    public private(set) var time: Double = 0
    private var untilPoll: Double
    private var lastPollC: Double

    /// A device at rest: at ambient temperature, unthrottled.
    public init(profile: DeviceProfile) {
        self.profile = profile
        temperatureC = profile.ambientC
        tripsCrossed = Array(repeating: false, count: profile.passiveTripsC.count)
        untilPoll = profile.governorIntervalS
        lastPollC = profile.ambientC
    }

    /// The frequency cap the governor allows now, MHz.
    public var capMHz: Double {
        let steps = profile.freqStepsMHz
        guard !steps.isEmpty else { return 0 }
        return steps[max(0, steps.count - 1 - throttleSteps)]
    }

    /// How much slower work runs than at the maximum frequency: maxMHz / capMHz (≥ 1).
    public var slowdown: Double { capMHz > 0 ? max(1, profile.maxMHz / capMHz) : 1 }

    /// Power drawn now with `busyCores` busy, W.
    public func power(busyCores: Double) -> Double { profile.power(busyCores: busyCores, mhz: capMHz) }

    /// Runs the model for `dt` seconds with `busyCores` cores (0...cores, fractional) busy.
    public mutating func advance(by dt: Double, busyCores: Double) {
        guard dt.isFinite, dt > 0 else { return }
        let busy = busyCores.isFinite ? min(max(busyCores, 0), Double(profile.cores)) : 0
        var remaining = dt
        while remaining > 0 {
            let h = min(remaining, untilPoll)
            let steady = profile.ambientC + power(busyCores: busy) * profile.thermalResistanceCPerW
            temperatureC = steady + (temperatureC - steady) * exp(-h / profile.timeConstantS)
            remaining -= h
            untilPoll -= h
            time += h
            if untilPoll <= 1e-12 {
                poll()
                untilPoll = profile.governorIntervalS
            }
        }
    }

    /// One governor decision.
    private mutating func poll() {
        let t = temperatureC
        for (i, trip) in profile.passiveTripsC.enumerated() {
            if t >= trip { tripsCrossed[i] = true }
            else if t < trip - profile.hysteresisC { tripsCrossed[i] = false }
        }
        let deepest = max(0, profile.freqStepsMHz.count - 1)
        let crossed = tripsCrossed.filter { $0 }.count
        if let critical = profile.criticalC, t >= critical {
            throttleSteps = deepest
        } else if crossed == 0 {
            throttleSteps = max(0, throttleSteps - 1)
        } else if t > lastPollC || crossed >= 2 {
            throttleSteps = min(deepest, throttleSteps + 1)
        }
        lastPollC = t
    }
}
