/// Imports an MLPerf power analyzer log (`spl.txt`): one reading a second,
/// `Time,MM-DD-YYYY HH:MM:SS.mmm,Watts,<w>,Volts,<v>,Amps,<a>,PF,<pf>,Mark,<label>`.
/// Each line becomes a system sample with a wall power reading; a change of `Mark` label
/// (the power tools' phase name) becomes a mark.
enum PowerLogImporter {
    static let source = "wall (power analyzer)"

    static func load(path: String) throws -> ImportedLog {
        var log = ImportedLog(path: path, format: .powerLog)
        let reader = try LineReader(path: path)
        reader.byteLimit = InputLimits.maxImportedBytes
        var first: Double? = nil
        var last = -Double.infinity
        var lastMark: String? = nil
        while let (text, terminated) = try reader.withNextLine({ (String(decoding: $0, as: UTF8.self), $1) }) {
            let line = reader.lineNumber
            if text.trimmingSpaces.isEmpty { continue }
            let f = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            var named: [String: String] = [:]
            var i = 0
            while i + 1 < f.count { named[f[i]] = f[i + 1]; i += 2 }
            guard let time = named["Time"], let wall = CivilTime.parseUS(time) else {
                if !terminated { log.warnings.append(TraceError(file: path, line: line, problem: "last line is cut off; ignored it").description); break }
                throw TraceError(file: path, line: line, problem: "expected Time,MM-DD-YYYY HH:MM:SS.mmm,Watts,... ")
            }
            guard let wText = named["Watts"], let watts = Double(wText), watts.isFinite else {
                if !terminated { log.warnings.append(TraceError(file: path, line: line, problem: "last line is cut off; ignored it").description); break }
                throw TraceError(file: path, line: line, problem: "missing or non-numeric Watts field")
            }
            guard TraceFormat.wattsRange.contains(watts) else {
                throw TraceError(file: path, line: line, problem: "Watts \(watts) is out of range (expected \(TraceFormat.wattsRange.lowerBound) to \(TraceFormat.wattsRange.upperBound))")
            }
            if first == nil { first = wall; log.wallStart = wall; log.startTime = CivilTime.format(wall) }
            guard wall >= last else { throw TraceError(file: path, line: line, problem: "time goes backwards: \(sanitize(time))") }
            last = wall
            let t = CivilTime.interval(wall, since: first!)
            guard TraceFormat.importedTimeRange.contains(t) else {
                throw TraceError(file: path, line: line, problem: "Time \(sanitize(time)) is \(fixed(t, 0)) s after the first reading: not one run")
            }
            if let mark = named["Mark"].map(sanitize), mark != lastMark {
                log.events.append(.mark(Mark(t: t, label: "power log: \(mark)")))
                lastMark = mark
            }
            log.events.append(.system(SystemSample(t: t, power: [PowerReading(source: source, watts: watts)])))
            try InputLimits.checkHeld(log.events.count, file: path, line: line, holder: "import")
        }
        guard first != nil else { throw TraceError(file: path, problem: "no power readings") }
        return log
    }
}
