import Foundation
import EdgeTrace
@testable import EdgeDashboard
import EdgeTestSupport

/// A fixed session built in code: 60 s of a 4-core device pacing to 30 FPS, int8 for the
/// first 30 s then fp32, two sensors (one crossing its passive trip at the end), per-core
/// load and frequency every 0.5 s, a quality report per backend. Every value is derived
/// from a fixed linear congruential sequence, so each run folds to the same screen.
enum Fixture {
    /// A tiny deterministic generator (no dependence on the standard library's seeding).
    struct LCG {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    static func header(cores: Int = 4, sensors: Bool = true) -> TraceHeader {
        TestEvents.header(cpuModel: "Test SoC Cortex-A76", cores: cores, sensors: sensors, model: "mobilenet-v1-1.0-224")
    }

    static func events(cores: Int = 4, seconds: Int = 60, sensors: Bool = true) -> [Event] {
        var g = LCG(state: 42)
        var out: [Event] = [.config(ConfigChange(t: 0, backend: "int8", model: "mobilenet-v1-1.0-224", threads: 2, targetFPS: 30))]
        var t = 0.0
        var nextSample = 0.5
        var switched = false
        while t < Double(seconds) {
            let fp32 = t >= Double(seconds) / 2
            if fp32 && !switched {
                switched = true
                out.append(.config(ConfigChange(t: t, backend: "fp32")))
                out.append(.quality(QualityReport(t: t, backend: "int8", model: "mobilenet-v1-1.0-224", cosine: 0.99812, top1Agree: true)))
            }
            let base = fp32 ? 38.0 : 24.0
            let ms = base + g.next() * 8 + (g.next() < 0.02 ? 20 : 0)
            t += max(ms, 1000.0 / 30) / 1000
            out.append(.inference(InferenceEvent(t: t, backend: fp32 ? "fp32" : "int8", model: "mobilenet-v1-1.0-224",
                                                 latencyNs: UInt64(ms * 1e6), threads: 2)))
            while nextSample <= t {
                let heat = nextSample / Double(seconds)
                let load = (0..<cores).map { c -> CoreLoad in
                    let u = c < 2 ? 0.7 + 0.25 * g.next() : 0.05 + 0.1 * g.next()
                    return CoreLoad(user: u, system: 0.04 + 0.04 * g.next())
                }
                let freq = (0..<cores).map { c in
                    CoreFrequency(curMHz: c < 2 ? 2400 - 600 * heat : 1800, maxMHz: c < 2 ? 2400 : 1800, governor: "schedutil")
                }
                let temps = sensors ? [
                    Temperature(sensor: "cpu-0-0-usr", celsius: 48 + 32 * heat, passiveC: 75, criticalC: 95),
                    Temperature(sensor: "battery", celsius: 31 + 2 * heat),
                ] : []
                let throttling = sensors && 48 + 32 * heat >= 75 ? ["cpu0 at 77% of max under load"] : []
                out.append(.system(SystemSample(t: nextSample, load: load, frequency: freq, temperatures: temps, throttling: throttling)))
                nextSample += 0.5
            }
        }
        out.append(.quality(QualityReport(t: t, backend: "fp32", model: "mobilenet-v1-1.0-224", cosine: 1.0, top1Agree: true)))
        return out
    }

    static func state(mode: SourceMode = .live(recordingTo: nil), theme: Theme = .builtinDefault,
                      capabilities: RenderCapabilities = .full, cores: Int = 4, sensors: Bool = true) -> DashboardState {
        var s = DashboardState(header: header(cores: cores, sensors: sensors), mode: mode, themes: [theme], capabilities: capabilities)
        s.ingest(events(cores: cores, sensors: sensors))
        return s
    }
}

extension Fixture {
    /// The repository's `themes/` folder.
    static let themesDirectory = TestFiles.path("themes")

    /// A theme shipped in `themes/`, loaded from its file.
    static func shipped(_ name: String) throws -> Theme {
        try Theme.load(path: themesDirectory + "/" + name + ".theme")
    }
}
