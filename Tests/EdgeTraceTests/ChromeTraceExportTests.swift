import Foundation
import XCTest
@testable import EdgeTrace

/// The Trace Event export is checked against the format's rules, not against a copy of
/// itself: required fields per phase, timestamps that never go back on a track, and every
/// begin closed by an end of the same name on the same track.
final class ChromeTraceExportTests: XCTestCase {
    private let header = TraceHeader(device: DeviceInfo(cpuModel: "Test SoC \u{1b}[31m", cores: 2, os: "Linux", kernel: "6.1",
                                                        hasThermalSensors: true),
                                     source: .recorded, model: "m", startTime: "2026-01-01T00:00:00Z")

    private func export(_ events: [Event]) throws -> (json: [String: Any], slices: Int, text: String) {
        var bytes: [UInt8] = []
        var exporter = ChromeTraceExporter { bytes.append(contentsOf: $0) }
        try exporter.export(MemoryEventSource(header: header, events: events))
        let text = String(decoding: bytes, as: UTF8.self)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any], text)
        return (json, exporter.slices, text)
    }

    func testASessionExportsAsValidTraceEventsWithOneSlicePerInference() throws {
        var events: [Event] = [.config(ConfigChange(t: 0, backend: "int8", model: "m", threads: 2))]
        var t = 0.0
        for i in 0 ..< 300 {
            t += 0.01
            let backend = i < 150 ? "int8" : "fp32"
            if i == 150 { events.append(.config(ConfigChange(t: t, backend: "fp32"))) }
            // Latencies longer than the spacing make slices that would overlap on their track.
            events.append(.inference(InferenceEvent(t: t, backend: backend, model: "m", latencyNs: UInt64(5_000_000 + (i % 7) * 3_000_000))))
            if i % 50 == 0 {
                events.append(.system(SystemSample(t: t, load: [CoreLoad(user: 0.5), CoreLoad(user: 0.25)],
                                                   frequency: [CoreFrequency(curMHz: 1800), CoreFrequency(curMHz: 1200)],
                                                   temperatures: [Temperature(sensor: "soc", celsius: 60 + Double(i) / 10)],
                                                   throttling: i == 100 ? ["cpu0 capped"] : [],
                                                   power: [PowerReading(source: "package", watts: 3)])))
            }
        }
        // One profiled inference: its three operators on the backend's layer track.
        events.append(.layers(LayerProfile(t: t, backend: "fp32", model: "m", layers: [
            LayerSample(name: "conv_0", kind: "conv3x3s2", shape: "64x64x8", macs: 1000, kernel: "f32-gemm", ns: 2_000_000),
            LayerSample(name: "conv_dw_1", kind: "dw3x3s1", shape: "64x64x8", macs: 500, kernel: "f32-dw", ns: 1_000_000),
            LayerSample(name: "fc", kind: "fc", shape: "1x1x10", macs: 80, kernel: "f32-gemm", ns: 500_000),
        ])))
        events.append(.mark(Mark(t: t, label: "end")))
        let (json, slices, text) = try export(events)
        XCTAssertEqual(slices, 300)
        let traceEvents = try XCTUnwrap(json["traceEvents"] as? [[String: Any]])
        try validate(traceEvents)
        XCTAssertEqual(traceEvents.filter { $0["ph"] as? String == "B" && $0["cat"] as? String == "inference" }.count, 300, "one slice per inference")
        let layers = traceEvents.filter { $0["ph"] as? String == "B" && $0["cat"] as? String == "layer" }
        XCTAssertEqual(layers.compactMap { $0["name"] as? String }, ["conv_0", "conv_dw_1", "fc"])
        XCTAssertEqual(layers.compactMap { $0["ts"] as? Double }, [t * 1e6 - 3500, t * 1e6 - 1500, t * 1e6 - 500])
        let threadNames = traceEvents.filter { $0["name"] as? String == "thread_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        XCTAssertEqual(threadNames, ["backend int8", "backend fp32", "layers fp32 (profiled)"])
        let counters = Set(traceEvents.filter { $0["ph"] as? String == "C" }.compactMap { $0["name"] as? String })
        XCTAssertEqual(counters, ["FPS", "core load %", "frequency MHz", "temperature soc °C", "power package W"])
        let instants = traceEvents.filter { $0["ph"] as? String == "i" }.compactMap { $0["name"] as? String }
        XCTAssertEqual(instants, ["throttling starts: cpu0 capped", "backend int8 -> fp32", "throttling ends", "mark: end"])
        let fps = traceEvents.filter { $0["name"] as? String == "FPS" }.compactMap { ($0["args"] as? [String: Double])?["int8"] }
        XCTAssertEqual(fps.first, 99, "the first second holds inferences 0.01 ... 0.99 s")
        let metadata = try XCTUnwrap(json["metadata"] as? [String: Any])
        XCTAssertEqual(metadata["device"] as? String, sanitize("Test SoC \u{1b}[31m"))
        XCTAssertFalse(text.contains("\u{1b}"), "control characters from the trace reach the export")
    }

    func testTheSampleTracesExportValidly() throws {
        for name in ["recorded-int8-fp32-int8.jsonl", "short.jsonl"] {
            try checkSampleTrace(name)
        }
    }

    private func checkSampleTrace(_ name: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../sample-traces/" + name).standardized.path
        var inferences = 0
        let counting = try TraceReader(path: path)
        while let e = try counting.next() { if case .inference = e { inferences += 1 } }
        var bytes: [UInt8] = []
        var exporter = ChromeTraceExporter { bytes.append(contentsOf: $0) }
        try exporter.export(try TraceReader(path: path))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let traceEvents = try XCTUnwrap(json["traceEvents"] as? [[String: Any]])
        try validate(traceEvents)
        XCTAssertGreaterThan(inferences, 0)
        XCTAssertEqual(exporter.slices, inferences)
        XCTAssertEqual(traceEvents.filter { $0["ph"] as? String == "B" && $0["cat"] as? String == "inference" }.count, inferences)
    }

    /// The Trace Event format's rules for the phases edgetop writes.
    /// Quality checks and process samples appear too: the cosine as a counter, the counts
    /// behind an accuracy (never a bare rate) and the busiest processes as instants' arguments,
    /// with names sanitized; the other processes' CPU as a counter without edgetop's threads.
    func testQualityAndProcessesExportWithTheirCounts() throws {
        var q = QualityReport(t: 1.5, backend: "int8", model: "m\u{1b}[2J", cosine: 0.9985, top1Agree: true,
                              accuracy: ImageAccuracyCount(images: 3, top1: 2, top5: 3))
        q.agreement = ImageAgreementCount(with: "m-fp32", images: 3, top1: 3)
        let events: [Event] = [
            .inference(InferenceEvent(t: 1.0, backend: "int8", model: "m", latencyNs: 2_000_000)),
            .quality(q),
            .processes(ProcessSample(t: 2.0, interval: 1.0, processes: [
                ProcessEntry(pid: 42, name: "cc1\u{7}", cpu: 0.75, rssBytes: 1 << 20),
                ProcessEntry(pid: 7, name: "edgetop-loop", cpu: 1.0, rssBytes: 2 << 20, kind: .ownThread),
                ProcessEntry(pid: 9, name: "kworker/0:1", cpu: 0.125, rssBytes: 0, kind: .kernelThread),
            ])),
        ]
        let (json, _, text) = try export(events)
        XCTAssertFalse(text.contains("\u{1b}") || text.contains("\u{7}"), "no raw control characters")
        let traceEvents = try XCTUnwrap(json["traceEvents"] as? [[String: Any]])
        try validate(traceEvents)
        let cosine = try XCTUnwrap(traceEvents.first { $0["name"] as? String == "quality int8: cosine vs reference" })
        XCTAssertEqual((cosine["args"] as? [String: Double])?["cosine"], 0.9985)
        let check = try XCTUnwrap(traceEvents.first { $0["name"] as? String == "quality int8" && $0["ph"] as? String == "i" })
        let args = try XCTUnwrap(check["args"] as? [String: Any])
        XCTAssertEqual(args["images"] as? Int, 3)
        XCTAssertEqual(args["top1_hits"] as? Int, 2)
        XCTAssertEqual(args["top5_hits"] as? Int, 3)
        XCTAssertEqual(args["agreement_with"] as? String, "m-fp32")
        XCTAssertEqual(args["top1_agrees_with_reference"] as? Bool, true)
        XCTAssertEqual(check["ts"] as? Double, 1.5e6)
        let others = try XCTUnwrap(traceEvents.first { $0["name"] as? String == "other processes' CPU % (busiest listed)" })
        XCTAssertEqual(try XCTUnwrap((others["args"] as? [String: Double])?["cpu_percent"]), 87.5, accuracy: 1e-9)
        let busiest = try XCTUnwrap(traceEvents.first { $0["name"] as? String == "busiest processes" })
        let list = try XCTUnwrap((busiest["args"] as? [String: Any])?["processes"] as? [[String: Any]])
        XCTAssertEqual(list.compactMap { $0["pid"] as? Int }, [42, 7, 9])
        XCTAssertEqual(list.compactMap { $0["kind"] as? String }, ["process", "own", "kernel"])
        XCTAssertEqual(list.first?["rss_bytes"] as? Int, 1 << 20)
    }

    private func validate(_ events: [[String: Any]], file: StaticString = #filePath, line: UInt = #line) throws {
        var lastTs: [String: Double] = [:]
        var open: [String: [String]] = [:]
        for (i, e) in events.enumerated() {
            let where_ = "event \(i): \(e)"
            let ph = try XCTUnwrap(e["ph"] as? String, where_, file: file, line: line)
            XCTAssertTrue(["B", "E", "C", "i", "M"].contains(ph), where_, file: file, line: line)
            XCTAssertNotNil(e["name"] as? String, where_, file: file, line: line)
            let pid = try XCTUnwrap(e["pid"] as? Int, where_, file: file, line: line)
            let tid = try XCTUnwrap(e["tid"] as? Int, where_, file: file, line: line)
            if ph == "M" {
                XCTAssertNotNil((e["args"] as? [String: Any])?["name"] as? String, where_, file: file, line: line)
                continue
            }
            let ts = try XCTUnwrap(e["ts"] as? Double, where_, file: file, line: line)
            XCTAssertGreaterThanOrEqual(ts, 0, where_, file: file, line: line)
            let track: String
            switch ph {
            case "C":
                track = "C/\(pid)/\(e["name"]!)"
                let args = try XCTUnwrap(e["args"] as? [String: Any], where_, file: file, line: line)
                XCTAssertFalse(args.isEmpty, where_, file: file, line: line)
                for (_, v) in args { XCTAssertNotNil(v as? Double, where_, file: file, line: line) }
            case "i":
                track = "i/\(pid)/\(tid)"
                XCTAssertTrue(["g", "p", "t"].contains(e["s"] as? String ?? "t"), where_, file: file, line: line)
            default:
                track = "slice/\(pid)/\(tid)"
            }
            if let last = lastTs[track] { XCTAssertGreaterThanOrEqual(ts, last, "timestamps go back on \(track): \(where_)", file: file, line: line) }
            lastTs[track] = ts
            if ph == "B" { open[track, default: []].append(e["name"] as! String) }
            if ph == "E" {
                let name = open[track]?.popLast()
                XCTAssertEqual(name, e["name"] as? String, "end without a matching begin: \(where_)", file: file, line: line)
            }
        }
        for (track, names) in open { XCTAssertTrue(names.isEmpty, "unclosed slices on \(track): \(names)", file: file, line: line) }
    }
}
