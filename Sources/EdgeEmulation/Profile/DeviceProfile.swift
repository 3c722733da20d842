/// A phone-class SoC as the emulation sees it: cores, clock steps, a one-node thermal
/// circuit and the kernel's trip points. Loaded from a `.profile` file (see docs/emulation.md).
public struct DeviceProfile: Sendable, Equatable {
    /// Name shown in the trace header and on screen.
    public var name: String
    /// Cores that can run the workload.
    public var cores: Int
    /// Available CPU frequencies in MHz, ascending; the last is the maximum.
    public var freqStepsMHz: [Double]
    /// Power drawn whatever the load (uncore, leakage), watts.
    public var staticPowerW: Double
    /// Dynamic power of one fully busy core at the maximum frequency, watts.
    public var corePowerW: Double
    /// Dynamic power scales as (f / fmax)^exponent (3 when voltage tracks frequency).
    public var powerExponent: Double
    /// Temperature of the surroundings, °C.
    public var ambientC: Double
    /// Thermal resistance from the die to the surroundings, °C per watt.
    public var thermalResistanceCPerW: Double
    /// Heat capacity of the die, package and board lumped together, joules per °C.
    public var thermalCapacityJPerC: Double
    /// Passive trip points, °C, ascending: past the first the governor starts stepping the clock down.
    public var passiveTripsC: [Double]
    /// Critical trip point, °C: the clock drops to its lowest step at once.
    public var criticalC: Double?
    /// A trip is released only once the temperature is this far below it, °C.
    public var hysteresisC: Double
    /// How often the governor looks at the temperature, seconds (polling-delay-passive).
    public var governorIntervalS: Double
    /// How fast the device computes: per-core rates by operator kind at the maximum clock.
    public var compute: ComputeModel
    /// The file the profile came from, for messages.
    public var file: String

    /// The highest frequency step.
    public var maxMHz: Double { freqStepsMHz.last ?? 0 }
    /// RC time constant of the thermal circuit, seconds.
    public var timeConstantS: Double { thermalResistanceCPerW * thermalCapacityJPerC }

    public init(name: String, cores: Int, freqStepsMHz: [Double], staticPowerW: Double, corePowerW: Double,
                powerExponent: Double = 3, ambientC: Double, thermalResistanceCPerW: Double,
                thermalCapacityJPerC: Double, passiveTripsC: [Double], criticalC: Double? = nil,
                hysteresisC: Double = 2, governorIntervalS: Double = 0.25, compute: ComputeModel,
                file: String = "<memory>") {
        self.name = name; self.cores = cores; self.freqStepsMHz = freqStepsMHz
        self.staticPowerW = staticPowerW; self.corePowerW = corePowerW; self.powerExponent = powerExponent
        self.ambientC = ambientC; self.thermalResistanceCPerW = thermalResistanceCPerW
        self.thermalCapacityJPerC = thermalCapacityJPerC; self.passiveTripsC = passiveTripsC
        self.criticalC = criticalC; self.hysteresisC = hysteresisC
        self.governorIntervalS = governorIntervalS; self.compute = compute; self.file = file
    }

    /// Electrical power (W) with `busyCores` cores busy (0...cores, fractional) at `mhz`.
    public func power(busyCores: Double, mhz: Double) -> Double {
        let share = maxMHz > 0 ? mhz / maxMHz : 0
        return staticPowerW + min(max(busyCores, 0), Double(cores)) * corePowerW * pow(share, powerExponent)
    }

    /// Cores of the device a workload on `threads` threads keeps busy.
    public func coresUsed(threads: Int) -> Int { min(max(1, threads), cores) }

    /// Seconds one inference of `work` takes on this device with `threads` threads and the
    /// clock capped at `mhz`: the time at the maximum clock, stretched by maxMHz / mhz.
    public func inferenceSeconds(_ work: DeviceWorkload, threads: Int, mhz: Double? = nil) -> Double {
        let atMax = work.seconds(on: compute, cores: coresUsed(threads: threads))
        let cap = mhz ?? maxMHz
        return cap > 0 ? atMax * maxMHz / cap : atMax
    }
}

import Foundation
