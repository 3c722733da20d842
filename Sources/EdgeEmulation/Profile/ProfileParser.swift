import EdgeTrace
import Foundation

/// A profile file that cannot be used, with the place and the reason.
public struct ProfileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, or nil for a problem with the file as a whole (a missing key).
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    public var description: String {
        let f = sanitize(file), m = sanitize(message)
        if let line { return "\(f):\(line): \(m)" }
        return "\(f): \(m)"
    }
}

/// Reads the `key = value` profile format: one setting per line, `#` starts a comment,
/// lists are comma-separated. Every key is known and required unless it has a default.
public enum ProfileParser {
    /// Keys and whether they may be left out.
    static let keys: [String: Bool] = [
        "name": false, "cores": false, "freq_steps_mhz": false, "static_power_w": false,
        "core_power_w": false, "power_exponent": true, "ambient_c": false,
        "thermal_resistance_c_per_w": false, "thermal_capacity_j_per_c": false,
        "trip_passive_c": false, "trip_critical_c": true, "hysteresis_c": true,
        "governor_interval_s": true,
        "int8_conv1x1_gmacs": false, "int8_depthwise_gmacs": false, "int8_conv_gmacs": false,
        "int8_fc_gmacs": false, "int8_elementwise_gbps": false,
        "fp32_conv1x1_gmacs": false, "fp32_depthwise_gmacs": false, "fp32_conv_gmacs": false,
        "fp32_fc_gmacs": false, "fp32_elementwise_gbps": false,
        "parallel_efficiency": false,
    ]

    /// Loads and checks the profile at `path`.
    public static func load(path: String) throws -> DeviceProfile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileError(file: path, line: nil, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProfileError(file: path, line: nil, message: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses profile text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> DeviceProfile {
        var values: [String: (value: String, line: Int)] = [:]
        // "\r\n" is one Character in Swift: splitting on "\n" alone would leave a CRLF file
        // one long line. Any newline ends a line, as in theme files.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNo = index + 1
            let line = (raw.firstIndex(of: "#").map { raw[..<$0] } ?? raw[...]).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw ProfileError(file: file, line: lineNo, message: "expected 'key = value', got \"\(clean(line))\"")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard keys[key] != nil else {
                throw ProfileError(file: file, line: lineNo, message: "unknown key '\(clean(key))' (known: \(keys.keys.sorted().joined(separator: ", ")))")
            }
            if let first = values[key] {
                throw ProfileError(file: file, line: lineNo, message: "'\(key)' is set twice (first on line \(first.line))")
            }
            guard !value.isEmpty else { throw ProfileError(file: file, line: lineNo, message: "'\(key)' has no value") }
            values[key] = (value, lineNo)
        }
        for (key, optional) in keys.sorted(by: { $0.key < $1.key }) where !optional && values[key] == nil {
            throw ProfileError(file: file, line: nil, message: "missing key '\(key)'")
        }

        func number(_ key: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let (text, line) = values[key] else { return nil }
            guard let v = Double(text), v.isFinite else {
                throw ProfileError(file: file, line: line, message: "'\(key)' must be a number, got \"\(clean(text))\"")
            }
            guard range.contains(v) else {
                throw ProfileError(file: file, line: line, message: "'\(key)' = \(text) is outside \(fmt(range.lowerBound))…\(fmt(range.upperBound))")
            }
            return v
        }
        func list(_ key: String, _ range: ClosedRange<Double>) throws -> [Double] {
            guard let (text, line) = values[key] else { return [] }
            var out: [Double] = []
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                let t = item.trimmingCharacters(in: .whitespaces)
                guard let v = Double(t), v.isFinite else {
                    throw ProfileError(file: file, line: line, message: "'\(key)' must be a comma-separated list of numbers, got \"\(clean(t))\"")
                }
                guard range.contains(v) else {
                    throw ProfileError(file: file, line: line, message: "'\(key)' value \(t) is outside \(fmt(range.lowerBound))…\(fmt(range.upperBound))")
                }
                if let last = out.last, v <= last {
                    throw ProfileError(file: file, line: line, message: "'\(key)' must be in ascending order without repeats")
                }
                out.append(v)
            }
            return out
        }

        let name = clean(values["name"]!.value)
        let cores = try number("cores", 1...1024)!
        guard cores == cores.rounded() else {
            throw ProfileError(file: file, line: values["cores"]!.line, message: "'cores' must be a whole number")
        }
        let steps = try list("freq_steps_mhz", 1...100_000)
        let ambient = try number("ambient_c", -40...60)!
        let trips = try list("trip_passive_c", -40...200)
        if let first = trips.first, first <= ambient {
            throw ProfileError(file: file, line: values["trip_passive_c"]!.line, message: "the first passive trip (\(fmt(first)) °C) must be above ambient_c (\(fmt(ambient)) °C)")
        }
        let critical = try number("trip_critical_c", -40...250)
        if let critical, let last = trips.last, critical <= last {
            throw ProfileError(file: file, line: values["trip_critical_c"]!.line, message: "trip_critical_c (\(fmt(critical)) °C) must be above the last passive trip (\(fmt(last)) °C)")
        }
        func rates(_ prefix: String) throws -> ComputeRates {
            ComputeRates(conv1x1GMACs: try number(prefix + "_conv1x1_gmacs", 0.001...100_000)!,
                         depthwiseGMACs: try number(prefix + "_depthwise_gmacs", 0.001...100_000)!,
                         convGMACs: try number(prefix + "_conv_gmacs", 0.001...100_000)!,
                         fullyConnectedGMACs: try number(prefix + "_fc_gmacs", 0.001...100_000)!,
                         elementwiseGBps: try number(prefix + "_elementwise_gbps", 0.001...100_000)!)
        }
        let compute = ComputeModel(int8: try rates("int8"), fp32: try rates("fp32"),
                                   parallelEfficiency: try number("parallel_efficiency", 0...1)!)
        return DeviceProfile(
            name: name, cores: Int(cores), freqStepsMHz: steps,
            staticPowerW: try number("static_power_w", 0...1000)!,
            corePowerW: try number("core_power_w", 0.000_001...1000)!,
            powerExponent: try number("power_exponent", 0...5) ?? 3,
            ambientC: ambient,
            thermalResistanceCPerW: try number("thermal_resistance_c_per_w", 0.001...10_000)!,
            thermalCapacityJPerC: try number("thermal_capacity_j_per_c", 0.001...1_000_000)!,
            passiveTripsC: trips, criticalC: critical,
            hysteresisC: try number("hysteresis_c", 0...50) ?? 2,
            governorIntervalS: try number("governor_interval_s", 0.01...60) ?? 0.25,
            compute: compute, file: file)
    }

    /// Text from the file made safe to print: control characters become "?", bidi overrides
    /// and line separators go, long text is cut.
    static func clean(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars.prefix(80) {
            if scalar.properties.generalCategory == .control { out.append("?") } else { out.unicodeScalars.append(scalar) }
        }
        return sanitize(out)
    }

    static func fmt(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
