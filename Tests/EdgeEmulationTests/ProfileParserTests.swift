import XCTest
@testable import EdgeEmulation

/// Bad profile files: each error names the file, the line and the problem.
final class ProfileParserTests: XCTestCase {
    private let good = """
        name = test phone
        cores = 4
        freq_steps_mhz = 400, 800, 1200
        static_power_w = 0.2
        core_power_w = 0.4
        ambient_c = 25
        thermal_resistance_c_per_w = 30
        thermal_capacity_j_per_c = 2
        trip_passive_c = 70
        int8_conv1x1_gmacs = 3
        int8_depthwise_gmacs = 1
        int8_conv_gmacs = 2
        int8_fc_gmacs = 0.5
        int8_elementwise_gbps = 1.5
        fp32_conv1x1_gmacs = 1.2
        fp32_depthwise_gmacs = 0.5
        fp32_conv_gmacs = 0.9
        fp32_fc_gmacs = 0.4
        fp32_elementwise_gbps = 1.5
        parallel_efficiency = 0.9
        """

    private func error(_ text: String, file: String = "bad.profile") -> String {
        do {
            _ = try ProfileParser.parse(text, file: file)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testGoodProfileWithDefaults() throws {
        let p = try ProfileParser.parse(good + "\n# trailing comment\n", file: "good.profile")
        XCTAssertEqual(p.name, "test phone")
        XCTAssertEqual(p.freqStepsMHz, [400, 800, 1200])
        XCTAssertEqual(p.powerExponent, 3)
        XCTAssertEqual(p.hysteresisC, 2)
        XCTAssertEqual(p.governorIntervalS, 0.25)
        XCTAssertNil(p.criticalC)
        XCTAssertEqual(p.file, "good.profile")
        XCTAssertEqual(p.compute.int8.conv1x1GMACs, 3)
        XCTAssertEqual(p.compute.int8.depthwiseGMACs, 1)
        XCTAssertEqual(p.compute.fp32.fullyConnectedGMACs, 0.4)
        XCTAssertEqual(p.compute.fp32.elementwiseGBps, 1.5)
        XCTAssertEqual(p.compute.parallelEfficiency, 0.9)
    }

    func testCRLFLineEndsParseLikeLF() throws {
        // "\r\n" is one Character in Swift: splitting on "\n" once left the whole file one line.
        let crlf = good.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        let p = try ProfileParser.parse(crlf, file: "dos.profile")
        XCTAssertEqual(p.name, "test phone")
        XCTAssertEqual(p.freqStepsMHz, [400, 800, 1200])
        let next = good.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        let coresLine = good.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("cores") }! + 1
        XCTAssertEqual(error(crlf + "cores = 5\r\n"), "bad.profile:\(next): 'cores' is set twice (first on line \(coresLine))")
    }

    func testErrorsNameFileLineAndProblem() {
        let known = "ambient_c, core_power_w, cores, fp32_conv1x1_gmacs, fp32_conv_gmacs, fp32_depthwise_gmacs, fp32_elementwise_gbps, fp32_fc_gmacs, freq_steps_mhz, governor_interval_s, hysteresis_c, int8_conv1x1_gmacs, int8_conv_gmacs, int8_depthwise_gmacs, int8_elementwise_gbps, int8_fc_gmacs, name, parallel_efficiency, power_exponent, static_power_w, thermal_capacity_j_per_c, thermal_resistance_c_per_w, trip_critical_c, trip_passive_c"
        let cases: [(String, String)] = [
            (good + "\ncoress = 4", "bad.profile:21: unknown key 'coress' (known: \(known))"),
            (good.replacingOccurrences(of: "cores = 4", with: "cores = four"), "bad.profile:2: 'cores' must be a number, got \"four\""),
            (good.replacingOccurrences(of: "cores = 4", with: "cores = 2.5"), "bad.profile:2: 'cores' must be a whole number"),
            (good.replacingOccurrences(of: "cores = 4", with: "cores = 0"), "bad.profile:2: 'cores' = 0 is outside 1…1024"),
            (good.replacingOccurrences(of: "cores = 4\n", with: ""), "bad.profile: missing key 'cores'"),
            (good + "\ncores = 8", "bad.profile:21: 'cores' is set twice (first on line 2)"),
            (good.replacingOccurrences(of: "400, 800, 1200", with: "1200, 800"), "bad.profile:3: 'freq_steps_mhz' must be in ascending order without repeats"),
            (good.replacingOccurrences(of: "400, 800, 1200", with: "400,,1200"), "bad.profile:3: 'freq_steps_mhz' must be a comma-separated list of numbers, got \"\""),
            (good.replacingOccurrences(of: "trip_passive_c = 70", with: "trip_passive_c = 20"), "bad.profile:9: the first passive trip (20 °C) must be above ambient_c (25 °C)"),
            (good + "\ntrip_critical_c = 60", "bad.profile:21: trip_critical_c (60 °C) must be above the last passive trip (70 °C)"),
            (good + "\nthis line has no equals sign", "bad.profile:21: expected 'key = value', got \"this line has no equals sign\""),
            (good + "\nhysteresis_c =", "bad.profile:21: 'hysteresis_c' has no value"),
            (good.replacingOccurrences(of: "= 30", with: "= -1"), "bad.profile:7: 'thermal_resistance_c_per_w' = -1 is outside 0.001…10000"),
            (good + "\nname\u{1B}[2J = x", "bad.profile:21: unknown key 'name?[2J' (known: \(known))"),
            (good.replacingOccurrences(of: "int8_fc_gmacs = 0.5\n", with: ""), "bad.profile: missing key 'int8_fc_gmacs'"),
            (good.replacingOccurrences(of: "parallel_efficiency = 0.9", with: "parallel_efficiency = 1.5"),
             "bad.profile:20: 'parallel_efficiency' = 1.5 is outside 0…1"),
            (good.replacingOccurrences(of: "fp32_conv_gmacs = 0.9", with: "fp32_conv_gmacs = 0"),
             "bad.profile:17: 'fp32_conv_gmacs' = 0 is outside 0.001…100000"),
        ]
        for (text, expected) in cases { XCTAssertEqual(error(text), expected) }
    }

    func testFileErrorsAndUnknownNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("broken.profile")
        try (good + "\ncores = x\n").write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProfileLocator.load("broken", folders: [dir.path])) {
            XCTAssertEqual("\($0)", "\(bad.path):21: 'cores' is set twice (first on line 2)")
        }
        XCTAssertThrowsError(try ProfileLocator.load(bad.path)) {
            XCTAssertEqual(($0 as? ProfileError)?.line, 21)
        }
        XCTAssertThrowsError(try ProfileLocator.load("no-such-phone", folders: [shippedProfilesFolder()])) {
            XCTAssertEqual("\($0)", "no-such-phone: no such profile file or name (known profiles: a53-phone-2013, flagship-sm8250)")
        }
        try Data([0xff, 0xfe, 0x00]).write(to: bad)
        XCTAssertThrowsError(try ProfileParser.load(path: bad.path)) {
            XCTAssertEqual("\($0)", "\(bad.path): not UTF-8 text")
        }
    }
}
