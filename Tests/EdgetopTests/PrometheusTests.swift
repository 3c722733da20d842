import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// A real Prometheus server scrapes two `edgetop agent`s as two devices; its answers must
/// agree with edgetop's own exact figures for the same run.
final class PrometheusTests: XCTestCase {
    private var processes: [Spawned] = []

    override func tearDown() {
        for p in processes where p.process.isRunning { p.process.terminate() }
        for p in processes { p.process.waitUntilExit() }
        processes = []
    }

    func testPrometheusScrapesTwoAgentsAndAgreesWithEdgetopsFigures() throws {
        guard let prometheus = which("prometheus"), let promtool = which("promtool") else {
            throw XCTSkip("prometheus and promtool are not installed here (.ci/run installs Debian's prometheus package)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // Two devices: a small paced model so both fit on a shared machine, fixed duration.
        let devices = ["dev-a", "dev-b"]
        var ports: [String: Int] = [:]
        for device in devices {
            let agent = try Spawned(try edgetopBinary(), [
                "agent", "--metrics", "127.0.0.1:0", "--device", device, "--model", "mobilenet-v1", "--width", "0.25",
                "--resolution", "128", "--threads", "1", "--target-fps", "100", "--duration", "4", "--serve-after", "120",
                "--record", dir.appendingPathComponent("\(device).jsonl").path])
            processes.append(agent)
            let line = try agent.waitForStderr(containing: "serving metrics on http://127.0.0.1:", timeout: 60)
            let port = line.split(separator: ":").last.flatMap { Int($0.split(separator: "/").first ?? "") }
            ports[device] = try XCTUnwrap(port, line)
        }

        let promPort = try freeLoopbackPort()
        let config = dir.appendingPathComponent("prometheus.yml")
        try """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: edgetop
                static_configs:
                  - targets: [\(devices.map { "'127.0.0.1:\(ports[$0]!)'" }.joined(separator: ", "))]
            """.write(to: config, atomically: true, encoding: .utf8)
        let server = try Spawned(URL(fileURLWithPath: prometheus), [
            "--config.file=\(config.path)", "--storage.tsdb.path=\(dir.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(promPort)", "--log.level=warn"])
        processes.append(server)
        let api = "http://127.0.0.1:\(promPort)"
        try waitUntil(timeout: 60, "Prometheus ready") { (try? httpGet("\(api)/-/ready"))?.status == 200 }

        // The runs end; wait until Prometheus scraped each agent after its end.
        for agent in processes.prefix(2) { _ = try agent.waitForStderr(containing: "run finished", timeout: 60) }
        let finished = Date().timeIntervalSince1970
        // A scrape after the end (the final totals), and two samples of each counter for rate().
        try waitUntil(timeout: 60, "scrapes of both agents after their runs ended") {
            let r = try query(api, "timestamp(up == 1)")
            let samples = try query(api, "count_over_time(edgetop_inferences_total[5m])")
            return r.count == 2 && r.allSatisfy { $0.value > finished + 1 } && samples.count == 2 && samples.allSatisfy { $0.value >= 2 }
        }

        for device in devices {
            let trace = dir.appendingPathComponent("\(device).jsonl").path
            let stats = try runEdgetop(["stats", trace, "--json"])
            XCTAssertEqual(stats.status, 0, stats.stderr)
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
            let count = try XCTUnwrap(json["inference_count"] as? Int)
            let backends = try XCTUnwrap(json["backends"] as? [String: [String: Any]])
            let p99 = Double(try XCTUnwrap(backends["int8"]?["p99_ns"] as? Int)) / 1e9
            XCTAssertGreaterThan(count, 100, "\(device) ran too few inferences to judge")

            let total = try query(api, "sum(edgetop_inferences_total{device=\"\(device)\"})")
            XCTAssertEqual(total.first?.value, Double(count), "\(device): Prometheus counter vs the trace's inference count")
            let sampleCount = try query(api, "sum(edgetop_inference_latency_seconds_count{device=\"\(device)\"})")
            XCTAssertEqual(sampleCount.first?.value, Double(count))
            let misses = try traceDeadlineMisses(trace, intervalSeconds: 1.0 / 100)
            let missQuery = try query(api, "sum(edgetop_deadline_misses_total{device=\"\(device)\"})")
            XCTAssertEqual(missQuery.first?.value, Double(misses), "\(device): deadline misses")

            let quantile = try query(api, "histogram_quantile(0.99, sum by (le) (edgetop_inference_latency_seconds_bucket{device=\"\(device)\"}))")
            let q = try XCTUnwrap(quantile.first?.value)
            let bounds = try query(api, "edgetop_inference_latency_seconds_bucket{device=\"\(device)\"}")
                .compactMap { $0.labels["le"].flatMap(Double.init) }.filter(\.isFinite).sorted()
            func bucket(_ v: Double) -> Int { bounds.firstIndex { v <= $0 } ?? bounds.count }
            XCTAssertLessThanOrEqual(abs(bucket(q) - bucket(p99)), 1,
                                     "\(device): histogram_quantile p99 \(q) s vs edgetop's exact p99 \(p99) s over \(count) inferences")
        }

        // Every query of the Grafana dashboard is valid PromQL that finds edgetop's series.
        let dashboard = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../grafana/edgetop-fleet.json")
        let grafana = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: dashboard)) as? [String: Any])
        var expressions = ((grafana["panels"] as? [[String: Any]]) ?? []).flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        expressions += (((grafana["annotations"] as? [String: Any])?["list"] as? [[String: Any]]) ?? []).compactMap { $0["expr"] as? String }
        XCTAssertGreaterThanOrEqual(expressions.count, 8)
        for expr in expressions {
            let promql = expr.replacingOccurrences(of: "$__rate_interval", with: "30s")
                .replacingOccurrences(of: "$device", with: ".*").replacingOccurrences(of: "$model", with: ".*")
            XCTAssertNoThrow(try query(api, promql), expr)
        }
        let fps = try query(api, "sum by (device, model) (increase(edgetop_inferences_total[1m]))")
        XCTAssertEqual(Set(fps.compactMap { $0.labels["device"] }), Set(devices), "the FPS panel's series cover both devices")

        // The exposition itself passes promtool's checks.
        let exposition = try httpGet("http://127.0.0.1:\(ports["dev-a"]!)/metrics")
        XCTAssertEqual(exposition.status, 200)
        let check = try runTool(promtool, ["check", "metrics"], stdin: exposition.body)
        XCTAssertEqual(check.status, 0, "promtool check metrics: \(check.output)")
        XCTAssertEqual(check.output.trimmingCharacters(in: .whitespacesAndNewlines), "", "promtool found problems")

        // The OpenMetrics form (what Prometheus asked for above) passes the strict parser of
        // the Python client, where scripts/ci-prometheus.sh installed it.
        if (try? runTool("/usr/bin/env", ["python3", "-c", "import prometheus_client"], stdin: ""))?.status == 0 {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(ports["dev-a"]!)/metrics")!, timeoutInterval: 10)
            request.setValue("application/openmetrics-text; version=1.0.0", forHTTPHeaderField: "Accept")
            let open = try httpGet(request)
            XCTAssertTrue(open.body.hasSuffix("# EOF\n"))
            let parse = try runTool("/usr/bin/env", ["python3", "-c", """
                import sys
                from prometheus_client.openmetrics.parser import text_string_to_metric_families
                families = list(text_string_to_metric_families(sys.stdin.read()))
                assert any(f.name == "edgetop_inferences" and f.type == "counter" for f in families), families
                """], stdin: open.body)
            XCTAssertEqual(parse.status, 0, "OpenMetrics parser: \(parse.output)")
        } else {
            print("note: python3 prometheus_client not installed; the OpenMetrics parse check did not run")
        }

        // SIGTERM ends each agent cleanly.
        for agent in processes.prefix(2) {
            agent.process.terminate()
            try waitUntil(timeout: 15, "agent exits on SIGTERM") { !agent.process.isRunning }
            XCTAssertEqual(agent.process.terminationStatus, 0, agent.stderr)
            XCTAssertEqual(agent.process.terminationReason, .exit)
        }
    }

    /// Inferences in `path` slower than `intervalSeconds`, read straight from the trace.
    private func traceDeadlineMisses(_ path: String, intervalSeconds: Double) throws -> Int {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var misses = 0
        for line in text.split(separator: "\n") where line.contains("\"inference\"") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let ns = o?["latency_ns"] as? Int, Double(ns) / 1e9 > intervalSeconds { misses += 1 }
        }
        return misses
    }
}

/// One sample of a Prometheus instant query.
private struct PromSample { var labels: [String: String]; var value: Double }

/// Runs an instant query against Prometheus's HTTP API.
private func query(_ api: String, _ promql: String) throws -> [PromSample] {
    var components = URLComponents(string: "\(api)/api/v1/query")!
    components.queryItems = [URLQueryItem(name: "query", value: promql)]
    let r = try httpGet(components.url!.absoluteString)
    guard r.status == 200, let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any],
          let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]] else {
        throw PrometheusTestError("query \(promql) failed: \(r.status) \(r.body)")
    }
    return result.compactMap { item in
        guard let value = item["value"] as? [Any], value.count == 2, let text = value[1] as? String, let v = Double(text) else { return nil }
        return PromSample(labels: item["metric"] as? [String: String] ?? [:], value: v)
    }
}

private struct PrometheusTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Polls `condition` every 0.2 s until it holds; fails after `timeout` seconds.
private func waitUntil(timeout: Double, _ what: String, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if (try? condition()) == true { return }
        usleep(200_000)
    }
    throw PrometheusTestError("timed out after \(timeout) s waiting for \(what)")
}

/// The full path of `tool` on PATH, nil when absent.
private func which(_ tool: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// Runs a tool to completion with `stdin`, returning its status and combined output.
private func runTool(_ path: String, _ args: [String], stdin: String) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let inp = Pipe(), out = Pipe()
    p.standardInput = inp; p.standardOutput = out; p.standardError = out
    try p.run()
    inp.fileHandleForWriting.write(Data(stdin.utf8))
    try inp.fileHandleForWriting.close()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A child process whose stderr is collected as it arrives.
final class Spawned: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var collected = Data()

    init(_ executable: URL, _ args: [String]) throws {
        process.executableURL = executable
        process.arguments = args
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        err.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self, !d.isEmpty else { h.readabilityHandler = nil; return }
            self.lock.lock(); self.collected.append(d); self.lock.unlock()
        }
        try process.run()
    }

    /// What the child wrote to stderr so far.
    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: collected, as: UTF8.self) }

    /// The first stderr line containing `text`; throws after `timeout` seconds.
    func waitForStderr(containing text: String, timeout: Double) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stderr.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if !process.isRunning { break }
            usleep(50_000)
        }
        throw PrometheusTestError("no stderr line with '\(text)' within \(timeout) s; stderr: \(stderr)")
    }
}
