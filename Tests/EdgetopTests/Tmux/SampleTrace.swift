import EdgeTrace
import Foundation
import EdgeTestSupport

/// A small, fully known trace for the end-to-end tests: two backends with clearly different
/// latencies, system samples for two cores and one sensor, and a quality report each.
enum SampleTrace {
    /// Session length in seconds.
    static let length = 40.0
    /// int8 runs the first half at 25 FPS (40 ms), fp32 the second half at 10 FPS (100 ms).
    static let switchAt = 20.0

    /// Writes the trace into a fresh temporary folder and returns its path.
    static func write() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("sample.jsonl").path
        let header = TestEvents.header(cpuModel: "Sample Cortex-A76", cores: 2, sensors: true, model: "mobilenet-v1-0.25-128",
                                       kernel: "6.1.0")
        let writer = try TraceWriter(path: path, header: header)
        for event in events() { try writer.write(event) }
        try writer.close()
        return path
    }

    static func events() -> [Event] {
        var out: [Event] = [.config(ConfigChange(t: 0, backend: "int8", model: "mobilenet-v1-0.25-128", threads: 2, targetFPS: 0))]
        var t = 0.0
        while t < switchAt {
            t += 0.040
            out.append(.inference(InferenceEvent(t: t, backend: "int8", model: "mobilenet-v1-0.25-128",
                                                 latencyNs: 40_000_000 + UInt64(Int(t * 1000) % 7) * 100_000, threads: 2)))
        }
        out.append(.config(ConfigChange(t: switchAt, backend: "fp32")))
        t = switchAt
        while t < length - 0.1 {
            t += 0.100
            out.append(.inference(InferenceEvent(t: t, backend: "fp32", model: "mobilenet-v1-0.25-128",
                                                 latencyNs: 100_000_000 + UInt64(Int(t * 1000) % 5) * 100_000, threads: 2)))
        }
        for s in 1...Int(length) {
            let ts = Double(s)
            out.append(.system(SystemSample(t: ts,
                                            load: [CoreLoad(user: 0.8, system: 0.1), CoreLoad(user: 0.5, system: 0.05)],
                                            frequency: [CoreFrequency(curMHz: 2400, maxMHz: 2400), CoreFrequency(curMHz: 1800, maxMHz: 2400)],
                                            temperatures: [Temperature(sensor: "cpu-thermal", celsius: 50 + ts / 2, passiveC: 85, criticalC: 95)])))
        }
        out.append(.quality(QualityReport(t: 1, backend: "int8", model: "mobilenet-v1-0.25-128", cosine: 0.998, top1Agree: true)))
        out.append(.quality(QualityReport(t: switchAt + 1, backend: "fp32", model: "mobilenet-v1-0.25-128", cosine: 1.0, top1Agree: true)))
        return out.sorted { $0.t < $1.t }
    }
}
