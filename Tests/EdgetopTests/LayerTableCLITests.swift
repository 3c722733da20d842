import EdgeTrace
import Foundation
import XCTest

/// Layer profiles and process samples end to end: a real recording holds them, `stats
/// --layers` prints the table, `stats --compare` and `stats A B` compare layer by layer, and
/// a replay in tmux shows both tables and answers the table keys.
final class LayerTableCLITests: XCTestCase {
    private func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-layers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    private func events(_ path: String) throws -> [Event] {
        let r = try TraceReader(path: path)
        var out: [Event] = []
        while let e = try r.next() { out.append(e) }
        return out
    }

    func testARecordingHoldsLayerProfilesAndProcessesThatStatsPrintsAndCompares() throws {
        let out = try scratch().appendingPathComponent("layers.jsonl").path
        let r = try runEdgetop(["record", "-o", out, "--duration", "4", "--model", "mobilenet-v1-0.25-128", "--threads", "1",
                                "--schedule", "int8:2,fp32:2", "--profile-every", "3", "--sample-interval", "0.25",
                                "--process-interval", "0.5"], timeout: 180)
        XCTAssertEqual(r.status, 0, r.stderr)
        let all = try events(out)
        let profiles = all.compactMap { if case .layers(let l) = $0 { return l } else { return nil } }
        XCTAssertFalse(profiles.isEmpty, "no layer profile in the trace")
        let int8 = try XCTUnwrap(profiles.first { $0.backend == "int8" })
        XCTAssertEqual(int8.layers.count, 29, "every operator of MobileNet v1: 27 convolutions, the pool and fc")
        XCTAssertFalse(int8.emulated)
        XCTAssertTrue(int8.layers.allSatisfy { !$0.kernel.isEmpty && !$0.shape.isEmpty })
        XCTAssertTrue(int8.layers.contains { $0.kind == "dw3x3s2" })
        // The same kernel names as `bench --profile` prints.
        let bench = try runEdgetop(["bench", "--model", "mobilenet-v1-0.25-128", "--backend", "int8", "--warmup", "1",
                                    "--runs", "2", "--json"], timeout: 120)
        XCTAssertEqual(bench.status, 0, bench.stderr)
        let kernels = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])?["kernels"] as? [String])
        XCTAssertEqual(Set(int8.layers.map(\.kernel)), Set(kernels))

        let samples = all.compactMap { if case .processes(let p) = $0 { return p } else { return nil } }
        XCTAssertFalse(samples.isEmpty, "no process sample in the trace")
        XCTAssertTrue(samples.contains { $0.processes.contains { $0.kind == .ownThread && $0.name == "edgetop-infer" } },
                      "edgetop's inference thread is marked: \(samples.map { $0.processes.map(\.name) })")

        let layers = try runEdgetop(["stats", out, "--layers"])
        XCTAssertEqual(layers.status, 0, layers.stderr)
        XCTAssertTrue(layers.stdout.contains("layers: mobilenet-v1-0.25-128 on int8, measured here, median of"), layers.stdout)
        XCTAssertTrue(layers.stdout.contains("layers: mobilenet-v1-0.25-128 on fp32, measured here"), layers.stdout)
        let json = try runEdgetop(["stats", out, "--layers", "--json", "--backend", "fp32"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let tables = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["layer_tables"] as? [[String: Any]])
        XCTAssertEqual(tables.map { $0["backend"] as? String }, ["fp32"])

        let ab = try runEdgetop(["stats", out, "--compare", "int8,fp32"])
        XCTAssertEqual(ab.status, 0, ab.stderr)
        XCTAssertTrue(ab.stdout.contains("layers, B/A:"), ab.stdout)
        XCTAssertTrue(ab.stdout.split(separator: "\n").contains { $0.contains("qu8_") && $0.contains(" -> f32_") },
                      "a kernel change is shown per layer:\n\(ab.stdout)")
        let same = try runEdgetop(["stats", out, out, "--backend", "int8"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertTrue(same.stdout.contains("no layer changed by more than 10%"), same.stdout)
    }

    func testAnEmulatedRecordingHoldsTheDevicesLayerTimesLabelledEmulated() throws {
        let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../profiles").standardized.path
        let out = try scratch().appendingPathComponent("emulated.jsonl").path
        let r = try runEdgetop(["record", "-o", out, "--duration", "3", "--model", "mobilenet-v1-0.25-128", "--threads", "1",
                                "--emulate", "a53-phone-2013", "--profile-every", "2", "--process-interval", "0"],
                               environment: ["EDGETOP_PROFILES": profiles], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let all = try events(out)
        let profilesSeen = all.compactMap { if case .layers(let l) = $0 { return l } else { return nil } }
        let p = try XCTUnwrap(profilesSeen.first, "no layer profile")
        XCTAssertTrue(profilesSeen.allSatisfy(\.emulated))
        XCTAssertNil(p.peakGMACs, "the host's peak is not the device's")
        XCTAssertFalse(all.contains { if case .processes = $0 { return true } else { return false } }, "--process-interval 0 samples none")
        // The device's layer times add up to about its inference time (the recorded latency at an uncapped clock).
        let latencies = all.compactMap { if case .inference(let i) = $0 { return Double(i.latencyNs) } else { return nil } }
        let median = latencies.sorted()[latencies.count / 2]
        XCTAssertEqual(Double(p.totalNs), median, accuracy: median * 0.25, "layers \(p.totalNs) ns vs inference \(median) ns")
        let text = try runEdgetop(["stats", out, "--layers"])
        XCTAssertTrue(text.stdout.contains("on int8, emulated (the device profile's compute model)"), text.stdout)
    }

    func testStatsLayersOnATraceWithoutProfilesSaysHowToGetThem() throws {
        let dir = try scratch()
        let path = dir.appendingPathComponent("none.jsonl").path
        let w = try TraceWriter(path: path, header: TraceHeader(device: DeviceInfo(cpuModel: "x", cores: 1, os: "Linux", kernel: "6",
                                                                                  hasThermalSensors: false),
                                                               source: .recorded, model: "m", startTime: "2026-01-01T00:00:00Z"))
        try w.write(.inference(InferenceEvent(t: 1, backend: "int8", model: "m", latencyNs: 5)))
        try w.close()
        let r = try runEdgetop(["stats", path, "--layers"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "edgetop: \(path): no layer profiles (a live session records them with --profile-every N above 0)\n")
    }

    func testBadProfileEveryIsAUsageError() throws {
        let r = try runEdgetop(["record", "-o", "/tmp/never.jsonl", "--profile-every=-1"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("--profile-every must be between 0 and 1000000"), r.stderr)
    }

    func testReplayShowsBothTablesAndAnswersTheTableKeys() throws {
        let dir = try scratch()
        let path = dir.appendingPathComponent("tables.jsonl").path
        let w = try TraceWriter(path: path, header: TraceHeader(
            device: DeviceInfo(cpuModel: "Sample Cortex-A76", cores: 2, os: "Linux", kernel: "6.1.0", hasThermalSensors: false),
            source: .recorded, model: "mobilenet-v1-0.25-128", startTime: "2026-01-01T00:00:00Z"))
        try w.write(.config(ConfigChange(t: 0, backend: "int8", model: "mobilenet-v1-0.25-128", threads: 2)))
        for i in 1...40 {
            let t = Double(i) * 0.1
            try w.write(.inference(InferenceEvent(t: t, backend: "int8", model: "mobilenet-v1-0.25-128", latencyNs: 9_000_000)))
            if i % 10 == 0 {
                try w.write(.layers(LayerProfile(t: t, backend: "int8", model: "mobilenet-v1-0.25-128", peakGMACs: 150, layers: [
                    LayerSample(name: "conv_0", kind: "conv3x3s2", shape: "64x64x8", macs: 884_736, kernel: "q8conv_slow", ns: 900_000),
                    LayerSample(name: "pw_1", kind: "conv1x1s1", shape: "64x64x16", macs: 524_288, kernel: "q8gemm_fast", ns: 100_000),
                ])))
                try w.write(.processes(ProcessSample(t: t, interval: 1, processes: [
                    ProcessEntry(pid: 4242, name: "cc1plus", cpu: 1.9, rssBytes: 300 << 20),
                    ProcessEntry(pid: 77, name: "edgetop-infer", cpu: 0.1, rssBytes: 50 << 20, kind: .ownThread),
                ])))
            }
        }
        try w.close()
        let tmux = try TmuxSession(width: 140, height: 50)
        defer { tmux.close() }
        let app = try EdgetopInPane.start(in: tmux, ["--replay", path, "--interval", "0.2"])
        XCTAssertNotNil(tmux.waitFor("cc1plus"), "the process table on a large terminal:\n\(tmux.capture())")
        XCTAssertNotNil(tmux.waitFor("sort time desc"), tmux.capture())
        XCTAssertNotNil(tmux.waitFor("*edgetop-infer"), tmux.capture())
        try tmux.keys("l")
        XCTAssertNotNil(tmux.waitFor { $0.contains("q8conv_slow") && !$0.contains("cc1plus") }, "l: the layers over the body\n\(tmux.capture())")
        try tmux.keys(">")
        XCTAssertNotNil(tmux.waitFor("sort share desc"), tmux.capture())
        try tmux.keys("Escape")
        XCTAssertNotNil(tmux.waitFor("cc1plus"), "Escape: back to the panels\n\(tmux.capture())")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit(), "q did not end edgetop")
    }
}
