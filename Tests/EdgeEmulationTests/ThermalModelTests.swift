import XCTest
import EdgeTrace
@testable import EdgeEmulation

/// The thermal model and the governor on the shipped profiles.
final class ThermalModelTests: XCTestCase {
    private func profile(_ name: String) throws -> DeviceProfile {
        try ProfileLocator.load(name, folders: [shippedProfilesFolder()])
    }

    func testShippedProfilesLoad() throws {
        let a53 = try profile("a53-phone-2013")
        XCTAssertEqual(a53.cores, 4)
        XCTAssertEqual(a53.maxMHz, 1209.6)
        XCTAssertEqual(a53.freqStepsMHz.count, 8)
        XCTAssertEqual(a53.passiveTripsC, [75])
        XCTAssertEqual(a53.criticalC, 110)
        XCTAssertEqual(a53.timeConstantS, 40, accuracy: 1e-9)
        let flagship = try profile("flagship-sm8250")
        XCTAssertEqual(flagship.maxMHz, 2419.2)
        XCTAssertEqual(flagship.passiveTripsC, [90, 95])
        XCTAssertEqual(flagship.freqStepsMHz.first, 710.4)
    }

    func testSteadyStateIsAmbientPlusPowerTimesResistance() throws {
        // Two busy A53 cores stay below the trip, so the cap never moves and the model must
        // settle at T_amb + P·R = 25 + (0.25 + 2 × 0.35) × 50 = 72.5 °C.
        var m = ThermalModel(profile: try profile("a53-phone-2013"))
        m.advance(by: 40, busyCores: 2)
        // One time constant: 63.2 % of the way.
        XCTAssertEqual(m.temperatureC, 25 + 47.5 * (1 - exp(-1)), accuracy: 1e-6)
        m.advance(by: 1000, busyCores: 2)
        XCTAssertEqual(m.temperatureC, 72.5, accuracy: 1e-6)
        XCTAssertEqual(m.throttleSteps, 0)
        XCTAssertEqual(m.slowdown, 1)
    }

    func testLoadHeatsPastTheTripThrottlesThenCoolsAndRecovers() throws {
        let p = try profile("a53-phone-2013")
        var m = ThermalModel(profile: p)
        var crossedAt: Double?
        var lowestCap = p.maxMHz, capSum = 0.0, capCount = 0.0
        for _ in 0..<(180 * 4) {
            m.advance(by: 0.25, busyCores: 4)
            if crossedAt == nil, m.temperatureC >= 75 { crossedAt = m.time }
            lowestCap = min(lowestCap, m.capMHz)
            if m.time > 120 { capSum += m.capMHz; capCount += 1 }
        }
        let crossed = try XCTUnwrap(crossedAt, "never reached the 75 °C trip")
        // 107.5 − 82.5·e^(−t/40) = 75 at t = 40·ln(82.5/32.5) = 37.3 s.
        XCTAssertEqual(crossed, 37.3, accuracy: 0.3)
        XCTAssertLessThan(lowestCap, 998.5)
        // Over the last minute of load the clock averages well below the maximum.
        XCTAssertLessThan(capSum / capCount, 0.85 * p.maxMHz)
        // Throttled, the die hovers around the trip instead of reaching the 81 °C steady state.
        XCTAssertEqual(m.temperatureC, 75, accuracy: 3)
        // Under sustained load it never reaches critical.
        XCTAssertGreaterThan(m.capMHz, p.freqStepsMHz[0])

        // Idle: it cools below the trip minus hysteresis and the governor releases the cap.
        var recoveredAt: Double?
        let idleFrom = m.time
        for _ in 0..<(120 * 4) {
            m.advance(by: 0.25, busyCores: 0)
            if recoveredAt == nil, m.throttleSteps == 0 { recoveredAt = m.time - idleFrom }
        }
        XCTAssertNotNil(recoveredAt)
        XCTAssertEqual(m.capMHz, p.maxMHz)
        XCTAssertEqual(m.slowdown, 1)
        XCTAssertLessThan(m.temperatureC, 40)
    }

    func testSecondTripStepsDownEvenWhenNotRising() throws {
        var p = try profile("flagship-sm8250")
        p.corePowerW = 10   // hot enough to overshoot the first trip into the second
        var m = ThermalModel(profile: p)
        var sawBoth = false
        for _ in 0..<2400 {
            m.advance(by: 0.05, busyCores: 4)
            if m.tripsCrossed == [true, true] { sawBoth = true }
        }
        XCTAssertTrue(sawBoth)
        XCTAssertGreaterThanOrEqual(m.throttleSteps, 2)
    }

    func testCriticalTripDropsToTheLowestStep() {
        let p = DeviceProfile(name: "hot", cores: 1, freqStepsMHz: [100, 200, 300], staticPowerW: 0,
                              corePowerW: 10, ambientC: 25, thermalResistanceCPerW: 10,
                              thermalCapacityJPerC: 0.1, passiveTripsC: [60], criticalC: 80,
                              governorIntervalS: 1, compute: unitCompute)
        var m = ThermalModel(profile: p)
        // The first poll, at 1 s, finds 125 − 100·e^(−1) = 88 °C: past critical, not just passive.
        m.advance(by: 0.999, busyCores: 1)
        XCTAssertEqual(m.capMHz, 300)
        m.advance(by: 0.001, busyCores: 1)
        XCTAssertEqual(m.temperatureC, 125 - 100 * exp(-1), accuracy: 1e-9)
        XCTAssertEqual(m.capMHz, 100)
        XCTAssertEqual(m.slowdown, 3)
    }

    func testTimeStepIndependence() throws {
        let p = try profile("a53-phone-2013")
        var coarse = ThermalModel(profile: p), fine = ThermalModel(profile: p), odd = ThermalModel(profile: p)
        coarse.advance(by: 150, busyCores: 4)
        for _ in 0..<1500 { fine.advance(by: 0.1, busyCores: 4) }
        var left = 150.0, k = 0
        let pieces = [0.013, 0.37, 1.9, 0.25, 0.6]
        while left > 1e-9 { let h = min(left, pieces[k % pieces.count]); odd.advance(by: h, busyCores: 4); left -= h; k += 1 }
        XCTAssertEqual(coarse.time, 150, accuracy: 1e-9)
        XCTAssertEqual(fine.temperatureC, coarse.temperatureC, accuracy: 1e-6)
        XCTAssertEqual(odd.temperatureC, coarse.temperatureC, accuracy: 1e-6)
        XCTAssertEqual(fine.throttleSteps, coarse.throttleSteps)
        XCTAssertEqual(odd.throttleSteps, coarse.throttleSteps)
        XCTAssertGreaterThan(coarse.throttleSteps, 0)
    }
}
