import Foundation
import XCTest
@testable import EdgeTrace

/// Trace throughput, printed as figures (run with EDGETOP_BENCH=1; never a pass/fail timing).
/// The reference in the same run is Foundation's JSONSerialization on the same lines, so
/// the ratio means something on a noisy machine.
final class TraceBenchmarkTests: XCTestCase {
    func testReadAndWriteThroughput() throws {
        guard ProcessInfo.processInfo.environment["EDGETOP_BENCH"] == "1" else {
            throw XCTSkip("set EDGETOP_BENCH=1 to run the trace throughput benchmark")
        }
        let n = Int(ProcessInfo.processInfo.environment["EDGETOP_BENCH_EVENTS"] ?? "") ?? 1_000_000
        let dir = try TestPaths.temporaryDirectory(self)
        for name in ["bench.jsonl", "bench.jsonl.gz"] {
            let path = dir + "/" + name
            var start = Date()
            let w = try TraceWriter(path: path, header: testHeader())
            for i in 0..<n {
                if i % 100 == 99 {
                    try w.write(.system(SystemSample(t: Double(i) * 0.005, load: [CoreLoad(user: 0.9, system: 0.05), CoreLoad(user: 0.8)],
                                                      frequency: [CoreFrequency(curMHz: 2600), CoreFrequency(curMHz: 2600)])))
                } else {
                    try w.write(.inference(InferenceEvent(t: Double(i) * 0.005, backend: i % 2 == 0 ? "int8" : "fp32",
                                                          model: "mobilenet-v1-1.0-224", latencyNs: UInt64(4_000_000 + i % 9973), threads: 2)))
                }
                if i % 200 == 0 { try w.flush() }
            }
            try w.close()
            let writeSeconds = Date().timeIntervalSince(start)
            let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

            start = Date()
            let r = try TraceReader(path: path)
            var count = 0
            var b = SummaryBuilder()
            while let e = try r.next() { count += 1; b.add(e) }
            _ = b.finish(file: path, header: r.header)
            let readSeconds = Date().timeIntervalSince(start)
            XCTAssertEqual(count, n)
            print(String(format: "%@: %d events, %.1f MB: write %.0f events/s, read+summarise %.0f events/s",
                         name, n, Double(bytes) / 1e6, Double(n) / writeSeconds, Double(n) / readSeconds))

            if name.hasSuffix(".jsonl") {
                // Reference: Foundation's JSONSerialization parsing the same lines.
                let text = try Data(contentsOf: URL(fileURLWithPath: path))
                start = Date()
                var parsed = 0
                for line in text.split(separator: 0x0A).dropFirst() {
                    if (try? JSONSerialization.jsonObject(with: Data(line))) != nil { parsed += 1 }
                }
                let refSeconds = Date().timeIntervalSince(start)
                XCTAssertEqual(parsed, n)
                print(String(format: "reference JSONSerialization parse only: %.0f events/s; edgetop reader is %.1fx faster",
                             Double(n) / refSeconds, refSeconds / readSeconds))
            }
        }
    }
}
