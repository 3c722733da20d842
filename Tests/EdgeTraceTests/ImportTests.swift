import Foundation
import XCTest
@testable import EdgeTrace

/// LoadGen's own summary figures, read here with a parser independent of the importer's.
private func loadgenSummaryFigures(_ path: String) throws -> [String: UInt64] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var out: [String: UInt64] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let v = UInt64(parts[1]) else { continue }
        switch parts[0] {
        case "50.00 percentile latency (ns)": out["p50"] = v
        case "90.00 percentile latency (ns)": out["p90"] = v
        case "95.00 percentile latency (ns)": out["p95"] = v
        case "97.00 percentile latency (ns)": out["p97"] = v
        case "99.00 percentile latency (ns)": out["p99"] = v
        case "99.90 percentile latency (ns)": out["p99.9"] = v
        case "Min latency (ns)": out["min"] = v
        case "Max latency (ns)": out["max"] = v
        case "Mean latency (ns)": out["mean"] = v
        default: break
        }
    }
    return out
}

/// Our statistics in the same shape.
private func figures(_ s: LatencyStats) -> [String: UInt64] {
    var out = ["min": s.minNs, "max": s.maxNs, "mean": s.meanNs]
    for (k, p) in LatencyStats.reportedPercentiles.enumerated() { out[percentileName(p)] = s.percentilesNs[k] }
    return out
}

final class ImportTests: XCTestCase {
    func testLoadGenTracePercentilesEqualLoadGensSummaryToTheNanosecond() throws {
        // 3000 samples that LoadGen 6.0 measured itself (make_loadgen_fixture.py); gzip-compressed.
        let source = try SessionFile.open(TestPaths.fixture("loadgen/mlperf_log_trace.json.gz"))
        let (summary, _) = try SessionSummary.compute(source, file: "fixture")
        XCTAssertEqual(summary.backends.count, 1)
        let stats = try XCTUnwrap(summary.backends.first?.stats)
        XCTAssertEqual(stats.count, 3000)
        let expected = try loadgenSummaryFigures(TestPaths.fixture("loadgen/mlperf_log_summary.txt"))
        XCTAssertEqual(expected.count, 9, "the summary should hold min, max, mean and six percentiles")
        XCTAssertEqual(figures(stats), expected)
        XCTAssertEqual(summary.warnings, [])
    }

    func testLoadGenDetailFixtureReportsTheSameFiguresAsItsSummary() throws {
        let log = try Importer.load(path: TestPaths.fixture("loadgen/mlperf_log_detail.txt"))
        let r = try XCTUnwrap(log.reported)
        let expected = try loadgenSummaryFigures(TestPaths.fixture("loadgen/mlperf_log_summary.txt"))
        XCTAssertEqual(r.percentiles.count, 6)
        for p in r.percentiles { XCTAssertEqual(p.latencyNs, expected[percentileName(p.percent / 100)], "\(p.percent)") }
        XCTAssertEqual(r.queryCount, 3000)
    }

    private func checkRealDetail(_ detail: String, _ summaryPath: String, queries: Int, scenario: String) throws {
        let log = try Importer.load(path: detail)
        XCTAssertEqual(log.format, .loadgenDetail)
        let r = try XCTUnwrap(log.reported)
        let expected = try loadgenSummaryFigures(summaryPath)
        XCTAssertEqual(r.minNs, expected["min"]); XCTAssertEqual(r.maxNs, expected["max"]); XCTAssertEqual(r.meanNs, expected["mean"])
        XCTAssertEqual(r.percentiles.map(\.percent), [50, 90, 95, 97, 99, 99.9])
        for p in r.percentiles { XCTAssertEqual(p.latencyNs, expected[percentileName(p.percent / 100)], "\(p.percent)") }
        XCTAssertEqual(r.queryCount, queries)
        XCTAssertEqual(r.scenario, scenario)
        XCTAssertEqual(r.valid, true)
        // The detail log holds no per-query data: only marks, never made-up inferences.
        XCTAssertFalse(log.events.contains { if case .inference = $0 { return true }; return false })
        XCTAssertTrue(log.events.contains { if case .mark(let m) = $0 { return m.label.hasPrefix("LoadGen: Ending naturally") }; return false })
        XCTAssertEqual(log.warnings, [])
    }

    private func checkPhoneAndJetson(requireShared: Bool) throws {
        try checkRealDetail(TestPaths.realdata(phoneDetail, requireShared: requireShared),
                            TestPaths.realdata(phoneSummary, requireShared: requireShared), queries: 188_507, scenario: "SingleStream")
        try checkRealDetail(TestPaths.realdata(jetsonDetail, requireShared: requireShared),
                            TestPaths.realdata(jetsonSummary, requireShared: requireShared), queries: 400_518, scenario: "SingleStream")
    }

    func testRealDetailLogsMatchTheirSummaries() throws { try checkPhoneAndJetson(requireShared: false) }
    func testSharedRealDetailLogsMatchTheirSummaries() throws { try checkPhoneAndJetson(requireShared: true) }

    private func checkMobileBERT(requireShared: Bool) throws {
        let path = try TestPaths.realdata(bertTrace, requireShared: requireShared)
        // Independent reading of the per-sample latencies: every "complete_ns":N in the file.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var latencies: [UInt64] = []
        var rest = Substring(text)
        while let r = rest.range(of: "\"complete_ns\":") {
            rest = rest[r.upperBound...]
            latencies.append(UInt64(rest.prefix { $0.isNumber })!)
        }
        XCTAssertEqual(latencies.count, 100)
        let sorted = latencies.sorted()
        let source = try SessionFile.open(path)
        let events = try readAll(source)
        XCTAssertEqual(source.warnings, [])
        let inferences = events.compactMap { if case .inference(let e) = $0 { return e }; return nil }
        XCTAssertEqual(inferences.count, 100)
        XCTAssertEqual(inferences.first?.latencyNs, 8_336_875)   // first Sample: "complete_ns":8336875
        XCTAssertEqual(inferences.first?.t, 0.008336875)         // ends complete_ns after its own begin
        let stats = try XCTUnwrap(LatencyStats(latencies: inferences.map(\.latencyNs)))
        for (k, p) in LatencyStats.reportedPercentiles.enumerated() {
            XCTAssertEqual(stats.percentilesNs[k], sorted[Int(Double(sorted.count) * p)])
        }
        XCTAssertEqual(stats.maxNs, sorted.last)
        // Times are in order and span the run (~0.8 s of ~8 ms inferences).
        XCTAssertEqual(inferences.map(\.t), inferences.map(\.t).sorted())
        XCTAssertEqual(inferences.last!.t, 0.8, accuracy: 0.05)
    }

    func testRealMobileBERTTraceImportsEverySample() throws { try checkMobileBERT(requireShared: false) }
    func testSharedRealMobileBERTTraceImportsEverySample() throws { try checkMobileBERT(requireShared: true) }

    func testJetsonRunMergesDetailPowerLogAndSystemDescription() throws {
        let paths = [jetsonDetail, jetsonPower, jetsonSystem].map { try! TestPaths.realdata($0) }
        let source = try Importer.session(paths: paths, options: ImportOptions(model: "resnet50"))
        let h = source.header
        XCTAssertEqual(h.source, .imported)
        XCTAssertEqual(h.model, "resnet50")
        XCTAssertEqual(h.device.cores, 12)
        XCTAssertEqual(h.device.cpuModel, "12-core ARM Cortex-A78AE CPU (NVIDIA Jetson AGX Orin (MaxQ, TensorRT))")
        XCTAssertEqual(h.device.os, "Ubuntu 20.04")
        XCTAssertEqual(h.reported?.percentiles.first?.latencyNs, 1_578_304)
        let events = try readAll(source)
        let power = events.compactMap { if case .system(let s) = $0 { return s.power.first?.watts }; return nil }
        let splLines = try String(contentsOfFile: paths[1], encoding: .utf8).split(whereSeparator: \.isNewline).count
        XCTAssertEqual(power.count, splLines)
        XCTAssertEqual(power.first, 6.32)
        XCTAssertEqual(events.map(\.t), events.map(\.t).sorted())
        XCTAssertGreaterThanOrEqual(events.first!.t, 0)
        // The run's end mark sits about 600 s after power logging of the run began.
        let end = events.first { if case .mark(let m) = $0 { return m.label.hasPrefix("LoadGen: Ending") }; return false }!
        let start = events.first { if case .mark(let m) = $0 { return m.label.hasPrefix("LoadGen: Starting") }; return false }!
        XCTAssertEqual(end.t - start.t, 612.19, accuracy: 0.1)
    }

    func testPhoneSystemDescriptionCountsClusterCores() throws {
        let log = try Importer.load(path: TestPaths.realdata(phoneSystem))
        XCTAssertEqual(log.format, .systemDescription)
        XCTAssertEqual(log.device?.cores, 8)
        XCTAssertEqual(log.device?.cpuModel, "Qualcomm Snapdragon 8+ Gen 1 (Asus ROG 6)")
    }

    func testSTuiCSVBecomesSystemSamples() throws {
        let log = try Importer.load(path: TestPaths.fixture("stui/stui_log.csv"))
        XCTAssertEqual(log.format, .stuiCSV)
        XCTAssertEqual(log.device?.cores, 4)
        XCTAssertEqual(log.device?.hasThermalSensors, true)
        let samples = log.events.compactMap { if case .system(let s) = $0 { return s }; return nil }
        XCTAssertEqual(samples.map(\.t), [0, 1, 2, 3])
        XCTAssertEqual(samples[1].frequency.map(\.curMHz), [3401.0, 3399.0, 3402.0, 3400.0])
        XCTAssertEqual(samples[0].load.map(\.user), [0.2, 0.1, 0.1, 0.1])
        XCTAssertEqual(samples[3].temperatures.map(\.sensor), ["acpitz,0", "Package id 0", "Core 0"])
        XCTAssertEqual(samples[3].temperatures.map(\.celsius), [42, 91, 90])
        XCTAssertEqual(samples[2].power, [PowerReading(source: "package-0", watts: 23.95)])
        XCTAssertEqual(log.startTime, "2026-11-26T04:10:00")
    }

    func testSTuiCSVWithABadNumberNamesLineAndColumn() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/bad.csv"
        try "Time,Util:Core 0,Temp:skin\n2026-11-26_04:10:00,50,40\n2026-11-26_04:10:01,fifty,41\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Importer.load(path: path)) { e in
            XCTAssertEqual((e as? TraceError)?.description, "\(path):3: column \"Util:Core 0\": \"fifty\" is not a number")
        }
    }

    func testFormatIsDetectedFromContentNotName() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let cases: [(String, LogFormat)] = [
            (try TestPaths.realdata(bertTrace), .loadgenTrace),
            (try TestPaths.realdata(phoneDetail), .loadgenDetail),
            (try TestPaths.realdata(phoneSummary), .loadgenSummary),
            (try TestPaths.realdata(jetsonPower), .powerLog),
            (try TestPaths.realdata(jetsonSystem), .systemDescription),
            (TestPaths.fixture("stui/stui_log.csv"), .stuiCSV),
            (TestPaths.fixture("truncated-last-line.jsonl"), .edgetopTrace),
            (TestPaths.fixture("loadgen/mlperf_log_trace.json.gz"), .loadgenTrace),
        ]
        for (i, (path, format)) in cases.enumerated() {
            // Copied under a meaningless name: only the content can tell.
            let copy = dir + "/file\(i).dat"
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            XCTAssertEqual(try LogFormat.detect(path: copy), format, path)
        }
    }

    func testUnrecognisedFileGetsAClearError() {
        let p = TestPaths.fixture("invalid/plain-text.txt")
        XCTAssertThrowsError(try SessionFile.open(p)) { e in
            XCTAssertEqual((e as? TraceError)?.description, "\(p): not a format edgetop reads: expected an edgetop trace, an MLPerf LoadGen mlperf_log_trace.json, mlperf_log_detail.txt or mlperf_log_summary.txt, an s-tui CSV log, an MLPerf power log (spl.txt) or an MLPerf system description JSON")
        }
    }

    func testBrokenLoadGenTraceLineNamesTheLine() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/mlperf_log_trace.json"
        try """
        {"traceEvents":[
        {"name":"Sample","cat":"default","ph":"b","pid":1,"id":0,"ts":10.5,"args":{"sample_seq":0,"complete_ns":1000}},
        {"name":"Sample","cat":"default","ph":"b","pid":1,"id":1,"ts":20.5,"args":{"sample_seq":1,"complete_ns":"slow"}},

        """.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SessionFile.open(path)) { e in
            XCTAssertEqual((e as? TraceError)?.description, "\(path):3: \"args.complete_ns\" should be a non-negative integer, found a string")
        }
    }

    func testCutOffLoadGenTraceKeepsCompleteSamplesWithAWarning() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/mlperf_log_trace.json"
        try """
        {"traceEvents":[
        {"name":"Sample","cat":"default","ph":"b","pid":1,"id":0,"ts":-3.25,"args":{"sample_seq":0,"complete_ns":1000}},
        {"name":"LogDetail","ph":"X","args":{"key":""loadgen_version""}},
        {"name":"Sample","cat":"default","ph":"b","pid":1,"id":1,"ts":20.5,"args":{"sample_seq":1,"compl
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let source = try SessionFile.open(path)
        XCTAssertEqual(try readAll(source), [.inference(InferenceEvent(t: 0.000001, backend: "loadgen", model: "unknown", latencyNs: 1000))])
        XCTAssertEqual(source.warnings, ["\(path):4: the trace is cut off; imported the 1 complete samples before the cut"])
    }
}
