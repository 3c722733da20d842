import EdgeTrace

/// What is known about one core: its newest load and frequency and their per-second series.
public struct CoreState: Sendable, Equatable {
    /// Core index as the sampler numbers it.
    public let index: Int
    /// Load over the newest sample's interval.
    public internal(set) var load: CoreLoad
    /// Newest frequency, nil where cpufreq (or emulation) does not report one.
    public internal(set) var frequency: CoreFrequency?
    /// Busy share (0...1) per second.
    public internal(set) var loadSeries: SecondSeries
    /// Frequency in MHz per second, NaN where unknown.
    public internal(set) var frequencySeries: SecondSeries

    init(index: Int, capacity: Int) {
        self.index = index
        load = CoreLoad()
        loadSeries = SecondSeries(capacity: capacity)
        frequencySeries = SecondSeries(capacity: capacity)
    }
}

/// What is known about one temperature sensor.
public struct SensorState: Sendable, Equatable {
    /// Sensor name as the sample gives it.
    public let name: String
    /// Newest reading (with its trip points and whether it is emulated).
    public internal(set) var latest: Temperature
    /// °C per second.
    public internal(set) var series: SecondSeries
    /// Lowest and highest reading since the start or the last reset.
    public internal(set) var minC: Double
    /// Highest reading since the start or the last reset.
    public internal(set) var maxC: Double
    /// Session time of the newest reading.
    public internal(set) var lastSeen: Double

    /// True when the newest reading is at or above the passive trip point, where the kernel
    /// starts throttling.
    public var aboveTrip: Bool {
        if let p = latest.passiveC { return latest.celsius >= p }
        return false
    }

    init(reading: Temperature, at t: Double, capacity: Int) {
        name = reading.sensor
        latest = reading
        series = SecondSeries(capacity: capacity)
        minC = reading.celsius; maxC = reading.celsius
        lastSeen = t
    }
}

/// What is known about one power source (a RAPL domain, a hwmon meter, a power analyzer).
public struct PowerState: Sendable, Equatable {
    /// The source's name as the sample gives it.
    public var source: String { latest.source }
    /// Newest reading (with whether it is emulated).
    public internal(set) var latest: PowerReading
    /// Watts per second, the newest reading held over seconds without one.
    public internal(set) var series: SecondSeries
    /// Highest reading since the start, for a stable graph scale.
    public internal(set) var maxWatts: Double

    init(reading: PowerReading, capacity: Int) {
        latest = reading
        series = SecondSeries(capacity: capacity)
        maxWatts = reading.watts.isFinite ? max(0, reading.watts) : 0
    }
}
