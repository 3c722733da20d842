/// Imports an MLPerf system description JSON (`system_*.json`, submitted beside results)
/// for the header's device: CPU model, core count, OS. It contributes no events.
enum SystemDescriptionImporter {
    static func load(path: String) throws -> ImportedLog {
        let reader = try LineReader(path: path)
        var text: [UInt8] = []
        while let _ = try reader.withNextLine({ bytes, _ in text.append(contentsOf: bytes); text.append(0x0A) }) {
            if text.count > 1 << 20 { throw TraceError(file: path, problem: "too large for a system description") }
        }
        let value: JSONValue
        do {
            value = try text.withUnsafeBufferPointer { try JSONParser.parse($0) }
        } catch let e as JSONParseError {
            throw TraceError(file: path, problem: "not JSON: \(e.message) at byte \(e.column)")
        }
        func s(_ k: String) -> String? {
            guard let v = value[k]?.stringValue.map(sanitize), !v.isEmpty else { return nil }
            return v
        }
        var cores = value["host_processor_core_count"]?.int64Value.map { Int($0) } ?? 0
        if cores == 0 {
            // Phone descriptions list clusters: "CPU_Type_1": "1x Kryo Prime: 3.2 GHz".
            for i in 1...8 {
                if let c = s("CPU_Type_\(i)"), let x = c.firstIndex(of: "x"), let n = Int(c[..<x]) { cores += n }
            }
        }
        var log = ImportedLog(path: path, format: .systemDescription)
        let cpu = s("host_processor_model_name") ?? s("Processor Name") ?? "unknown"
        let system = s("system_name") ?? s("System") ?? s("accelerator_model_name")
        log.device = DeviceInfo(cpuModel: system.map { "\(cpu) (\($0))" } ?? cpu, cores: cores,
                                os: s("operating_system") ?? s("OS Version").map { "OS version \($0)" } ?? "unknown",
                                kernel: "unknown", hasThermalSensors: false)
        return log
    }
}
