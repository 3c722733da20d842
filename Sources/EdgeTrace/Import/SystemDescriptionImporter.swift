/// Imports an MLPerf system description JSON (`system_*.json`, submitted beside results)
/// for the header's device: CPU model, core count, OS. It contributes no events.
enum SystemDescriptionImporter {
    /// More cores than this is a mistake in the file, not a device.
    static let maxCores = 1 << 16

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
            // The parser counts bytes; a person looks for a line.
            let upTo = text.prefix(max(0, min(e.column - 1, text.count)))
            let line = upTo.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let column = upTo.count - (upTo.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            throw TraceError(file: path, line: line, problem: "not JSON: \(e.message) (column \(column))")
        }
        /// The line where `needle` first appears, for errors about a member's value.
        func lineOf(_ needle: String) -> Int? {
            let n = Array(needle.utf8)
            guard n.count <= text.count else { return nil }
            var line = 1
            for i in 0...(text.count - n.count) {
                if text[i] == 0x0A { line += 1 }
                if text[i] == n[0] && Array(text[i..<(i + n.count)]) == n { return line }
            }
            return nil
        }
        func s(_ k: String) -> String? {
            guard let v = value[k]?.stringValue.map(sanitize), !v.isEmpty else { return nil }
            return v
        }
        var cores = 0
        if let n = value["host_processor_core_count"]?.int64Value {
            guard n >= 0, n <= Int64(SystemDescriptionImporter.maxCores) else {
                throw TraceError(file: path, line: lineOf("\"host_processor_core_count\""),
                                 problem: "host_processor_core_count \(n) is not a core count (0 to \(SystemDescriptionImporter.maxCores))")
            }
            cores = Int(n)
        }
        if cores == 0 {
            // Phone descriptions list clusters: "CPU_Type_1": "1x Kryo Prime: 3.2 GHz".
            for i in 1...8 {
                if let c = s("CPU_Type_\(i)"), let x = c.firstIndex(of: "x"), let n = Int(c[..<x]) {
                    guard (0...SystemDescriptionImporter.maxCores).contains(n), cores + n <= SystemDescriptionImporter.maxCores else {
                        throw TraceError(file: path, line: lineOf("\"CPU_Type_\(i)\""),
                                         problem: "CPU_Type_\(i) gives \(n) cores: more than \(SystemDescriptionImporter.maxCores) in all is not a device")
                    }
                    cores += n
                }
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
