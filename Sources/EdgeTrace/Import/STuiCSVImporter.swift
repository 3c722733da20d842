/// Imports s-tui's `--csv` log: a `Time` column (`YYYY-MM-DD_HH:MM:SS`) then one column
/// per `Source:Sensor` — Frequency (MHz), Util (%), Temp (°C), Power (W), Fan (RPM). Each
/// row becomes a system sample. s-tui logs only total utilisation per core, which is
/// stored as the core's user share; its `Avg` columns are derived and left out, as are fans.
enum STuiCSVImporter {
    static func load(path: String) throws -> ImportedLog {
        var log = ImportedLog(path: path, format: .stuiCSV)
        let reader = try LineReader(path: path)
        reader.byteLimit = InputLimits.maxImportedBytes
        var columns: [Column] = []
        var firstTime: Double? = nil
        var lastTime = -Double.infinity
        var samples: [Event] = []
        while let fields = try reader.withNextLine({ bytes, terminated in (splitCSV(String(decoding: bytes, as: UTF8.self)), terminated) }) {
            let line = reader.lineNumber
            if fields.0.count == 1 && fields.0[0].isEmpty { continue }
            if columns.isEmpty {
                guard fields.0.first == "Time" else { throw TraceError(file: path, line: line, problem: "expected a header row starting with Time") }
                columns = fields.0.dropFirst().map(Column.init)
                continue
            }
            guard fields.0.count == columns.count + 1 else {
                if !fields.1 {
                    log.warnings.append(TraceError(file: path, line: line, problem: "last line is cut off; ignored it").description)
                    break
                }
                throw TraceError(file: path, line: line, problem: "expected \(columns.count + 1) fields, found \(fields.0.count)")
            }
            guard let wall = CivilTime.parseISO(fields.0[0]) else {
                throw TraceError(file: path, line: line, problem: "Time \"\(sanitize(fields.0[0]))\" is not YYYY-MM-DD_HH:MM:SS")
            }
            if firstTime == nil { firstTime = wall; log.startTime = CivilTime.format(wall); log.wallStart = wall }
            guard wall >= lastTime else {
                throw TraceError(file: path, line: line, problem: "time goes backwards: \(sanitize(fields.0[0])) after an earlier row")
            }
            lastTime = wall
            let t = CivilTime.interval(wall, since: firstTime!)
            guard TraceFormat.importedTimeRange.contains(t) else {
                throw TraceError(file: path, line: line, problem: "Time \"\(sanitize(fields.0[0]))\" is \(fixed(t, 0)) s after the first row: not one run")
            }
            var sample = SystemSample(t: t)
            var freq: [(Int, Double)] = [], util: [(Int, Double)] = []
            for (col, text) in zip(columns, fields.0.dropFirst()) {
                if col.kind == .ignored || text.isEmpty { continue }
                guard let v = Double(text), v.isFinite else {
                    throw TraceError(file: path, line: line, problem: "column \"\(col.title)\": \"\(sanitize(text))\" is not a number")
                }
                let range: ClosedRange<Double>
                switch col.kind {
                case .frequency: range = TraceFormat.frequencyRange
                case .utilisation: range = 0...100
                case .temperature: range = TraceFormat.celsiusRange
                case .power: range = TraceFormat.wattsRange
                case .ignored: range = -Double.infinity...Double.infinity
                }
                guard range.contains(v) else {
                    throw TraceError(file: path, line: line, problem: "column \"\(col.title)\": \(v) is out of range (expected \(range.lowerBound) to \(range.upperBound))")
                }
                switch col.kind {
                case .frequency(let core): freq.append((core, v))
                case .utilisation(let core): util.append((core, v))
                case .temperature(let name): sample.temperatures.append(Temperature(sensor: name, celsius: v))
                case .power(let name): sample.power.append(PowerReading(source: name, watts: v))
                case .ignored: break
                }
            }
            sample.frequency = freq.sorted { $0.0 < $1.0 }.map { CoreFrequency(curMHz: $0.1) }
            sample.load = util.sorted { $0.0 < $1.0 }.map { CoreLoad(user: min(max($0.1 / 100, 0), 1)) }
            samples.append(.system(sample))
            try InputLimits.checkHeld(samples.count, file: path, line: line, holder: "import")
        }
        guard !columns.isEmpty else { throw TraceError(file: path, problem: "empty file: no header row") }
        let cores = columns.reduce(0) { n, c in
            switch c.kind { case .frequency(let i), .utilisation(let i): return max(n, i + 1); default: return n }
        }
        let hasTemps = columns.contains { if case .temperature = $0.kind { return true }; return false }
        log.device = DeviceInfo(cpuModel: "unknown", cores: cores, os: "unknown", kernel: "unknown", hasThermalSensors: hasTemps)
        log.events = samples
        return log
    }

    private struct Column {
        enum Kind: Equatable { case frequency(Int), utilisation(Int), temperature(String), power(String), ignored }
        let title: String
        let kind: Kind

        init(_ raw: String) {
            title = sanitize(raw)
            guard let colon = raw.firstIndex(of: ":") else { kind = .ignored; return }
            let source = String(raw[..<colon])
            let sensor = sanitize(String(raw[raw.index(after: colon)...]))
            func core() -> Int? {
                // More than 4096 cores is not a CPU s-tui saw; treat the column as unknown.
                guard sensor.hasPrefix("Core "), let i = Int(sensor.dropFirst(5)), (0..<4096).contains(i) else { return nil }
                return i
            }
            switch source {
            case "Frequency": kind = core().map(Kind.frequency) ?? .ignored
            case "Util": kind = core().map(Kind.utilisation) ?? .ignored
            case "Temp": kind = .temperature(sensor)
            case "Power": kind = .power(sensor)
            default: kind = .ignored
            }
        }
    }
}

/// Splits one CSV record (RFC 4180 quoting: fields in double quotes may hold commas, and
/// `""` inside them is a quote).
func splitCSV(_ line: String) -> [String] {
    var fields: [String] = []
    var field = ""
    var quoted = false
    var it = line.makeIterator()
    while let c = it.next() {
        if quoted {
            if c == "\"" {
                // Either a doubled quote or the end of the quoted part.
                var look = it
                if look.next() == "\"" { field.append("\""); _ = it.next() } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" { quoted = true }
        else if c == "," { fields.append(field); field = "" }
        else { field.append(c) }
    }
    fields.append(field)
    return fields
}
