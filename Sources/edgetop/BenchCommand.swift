import ArgumentParser
import EdgeEmulation
import EdgeInference
import EdgeTrace
import Foundation

/// `edgetop bench`: times one model on one backend and prints a summary in the manner of
/// TensorFlow Lite's benchmark_model (or one JSON object), with the quality figures.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a model on one backend: latency percentiles, GMAC/s, microkernels and agreement with the reference.",
        discussion: """
            Example: edgetop bench --model mobilenet-v1 --width 1.0 --resolution 224 --backend int8 --threads 1 --warmup 30 --runs 200
            Models: mobilenet-v1 (widths 0.25, 0.5, 0.75, 1.0), mobilenet-v2 (width 1.0), resnet-18 (224 only);
            resolutions 128, 160, 192, 224. A full catalog name such as mobilenet-v1-0.25-128 is accepted too.
            """)

    // Numbers are read as text and checked in `validate()`, so that every bad value gets
    // the same clear message and exit code 2 (the parser's own errors exit with 64).
    @Option(help: "Model family (mobilenet-v1, mobilenet-v2, resnet-18), a catalog name, or a .tflite file.")
    var model: String = "mobilenet-v1"

    @Option(parsing: .unconditional, help: "Width multiplier (MobileNet v1: 0.25, 0.5, 0.75, 1.0; default 1.0).")
    var width: String?

    @Option(parsing: .unconditional, help: "Input resolution (128, 160, 192, 224; default 224).")
    var resolution: String?

    @Option(help: "Backend: int8, fp32 or ref.")
    var backend: String = "int8"

    @Option(parsing: .unconditional, help: "Threads, the calling thread included (1-256).")
    var threads: String = "1"

    @Option(parsing: .unconditional, help: "Warm-up runs before timing; the first run is always made and reported apart.")
    var warmup: String = "10"

    @Option(parsing: .unconditional, help: "Timed runs (at least 1).")
    var runs: String = "50"

    @Flag(help: "Print one JSON object instead of the text summary.")
    var json = false

    @Flag(help: "Also time every layer (median of up to 20 profiled runs) and print time and GMAC/s per layer.")
    var profile = false

    @Option(help: ArgumentHelp("Emulate a device at its own speed: a profile name from profiles/ or a .profile file; latencies, FPS, power and temperature become the device's (see docs/emulation.md).", valueName: "profile"))
    var emulate: String?

    @Option(help: ArgumentHelp("A folder of labelled images (labels.csv or one subfolder per label) to score top-1/top-5 accuracy on (.tflite models).", valueName: "dir"))
    var images: String?

    /// The checked settings of one benchmark.
    struct Settings {
        var spec: ModelSpec
        var backend: Backend
        var threads: Int
        var warmup: Int
        var runs: Int
    }

    /// The settings the options name, or a message saying what is wrong with them.
    func settings() -> Result<Settings, BenchUsageError> {
        func integer(_ name: String, _ text: String, _ range: ClosedRange<Int>, _ rule: String) -> Result<Int, BenchUsageError> {
            guard let v = Int(text) else { return .failure(.init("--\(name) must be a whole number (got '\(text)')")) }
            guard range.contains(v) else { return .failure(.init("--\(name) must be \(rule) (got \(v))")) }
            return .success(v)
        }
        return Result {
            var w: Double?, r: Int?
            if let width {
                guard let v = Double(width) else { throw BenchUsageError("--width must be a number (got '\(width)')") }
                w = v
            }
            if let resolution {
                guard let v = Int(resolution) else {
                    throw BenchUsageError("--resolution must be a whole number (got '\(resolution)')")
                }
                r = v
            }
            // An option the model cannot honour is an error, not ignored.
            let spec = try ModelSpec.resolve(model: model, width: w, resolution: r).mapError { BenchUsageError($0.description) }.get()
            guard let b = Backend(rawValue: backend) else {
                throw BenchUsageError("unknown backend '\(backend)' (known: \(Backend.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return Settings(spec: spec, backend: b,
                            threads: try integer("threads", threads, 1...256, "at least 1 and at most 256").get(),
                            warmup: try integer("warmup", warmup, 0...1_000_000, "0 or more").get(),
                            runs: try integer("runs", runs, 1...10_000_000, "at least 1").get())
        }.mapError { $0 as? BenchUsageError ?? BenchUsageError("\($0)") }
    }

    /// The emulation profile, or a usage error naming the file and line that is wrong.
    func emulationProfile() -> Result<DeviceProfile?, BenchUsageError> {
        guard let emulate else { return .success(nil) }
        do { return .success(try ProfileLocator.load(emulate)) } catch { return .failure(BenchUsageError(sanitize("\(error)"))) }
    }

    func validate() throws {
        if isTFLiteModel { return }  // checked by runTFLite: built-in model options do not apply
        if images != nil {
            TraceCLI.error("bench: --images needs a .tflite model with labels (the built-in models' weights are seeded, not trained)")
            throw ExitCode(2)
        }
        if case .failure(let error) = emulationProfile() {
            TraceCLI.error("error: \(error.message)")
            throw ExitCode(2)
        }
        if case .failure(let error) = settings() {
            FileHandle.standardError.write(Data(sanitizeLines("Error: \(error.message)\nUsage: edgetop \(Bench.usageString())\n  See 'edgetop bench --help' for more information.\n").utf8))
            throw ExitCode(2)
        }
    }

    mutating func run() throws {
        if isTFLiteModel { return try runTFLite() }
        let s = try settings().get()
        var tracker: EmulationTracker?
        if let profile = try emulationProfile().get() {
            tracker = EmulationTracker(DeviceEmulator(profile: profile),
                                       workload: DeviceWorkload(spec: s.spec, backend: s.backend), threads: s.threads)
        }
        let result = Benchmark.run(spec: s.spec, backend: s.backend, threads: s.threads,
                                   warmup: s.warmup, runs: s.runs, profileRuns: profile ? min(s.runs, 20) : 0,
                                   slowdown: tracker.map { t in { t.slowdown(latencyNs: $0) } })
        let report = BenchReport(result, emulation: tracker?.report)
        if json {
            print(sanitizeLines(report.jsonString()))
        } else {
            print(sanitizeLines(report.text()), terminator: "")
        }
    }
}

/// A bad option value, in words for the user.
struct BenchUsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Formats a `BenchmarkResult` as text or JSON.
/// Drives an emulated device through a benchmark: idles after each run until it has lasted
/// as long as the device takes for the model's layers at its clock cap, advances its thermal
/// model, and keeps the extremes it went through and this machine's own times.
final class EmulationTracker {
    let device: DeviceEmulator
    let workload: DeviceWorkload
    let threads: Int
    private let start = MonotonicClock.now()
    private(set) var report: EmulationReport

    init(_ device: DeviceEmulator, workload: DeviceWorkload, threads: Int) {
        self.device = device; self.workload = workload; self.threads = threads
        report = EmulationReport(device.model, deviceNs: device.deviceLatencyNs(workload, threads: threads))
    }

    /// The benchmark's slowdown hook: the idle to add after a run that took `latencyNs` here.
    func slowdown(latencyNs: UInt64) -> UInt64 {
        let extra = device.idle(after: workload, threads: threads, hostLatencyNs: latencyNs)
        // Advance the thermal model to the end of this emulated frame.
        _ = device.sample(t: Double(MonotonicClock.now() - start + extra) / 1e9)
        report.update(device.model, hostNs: latencyNs, hostBound: device.counts.hostBound)
        return extra
    }
}

/// The emulated device over a benchmark: every figure is modelled, not measured.
struct EmulationReport {
    var profile: String
    var maxMHz: Double
    /// At the end of the benchmark.
    var temperatureC: Double
    var capMHz: Double
    var throttleSteps: Int
    /// Extremes over the benchmark.
    var peakTemperatureC: Double
    var lowestCapMHz: Double
    var mostThrottleSteps: Int
    /// The device's time for one inference at the maximum clock, from the profile's rates.
    var deviceNs: UInt64
    /// This machine's own time for each run (warm-up included), before the emulated idle.
    var hostNs: [UInt64] = []
    /// Runs this machine took longer for than the device: their latency is this machine's.
    var hostBound = 0

    init(_ model: ThermalModel, deviceNs: UInt64) {
        profile = model.profile.name; maxMHz = model.profile.maxMHz
        temperatureC = model.temperatureC; capMHz = model.capMHz; throttleSteps = model.throttleSteps
        peakTemperatureC = temperatureC; lowestCapMHz = capMHz; mostThrottleSteps = throttleSteps
        self.deviceNs = deviceNs
    }

    mutating func update(_ model: ThermalModel, hostNs ns: UInt64, hostBound: Int) {
        hostNs.append(ns)
        self.hostBound = hostBound
        temperatureC = model.temperatureC; capMHz = model.capMHz; throttleSteps = model.throttleSteps
        peakTemperatureC = max(peakTemperatureC, temperatureC)
        lowestCapMHz = min(lowestCapMHz, capMHz)
        mostThrottleSteps = max(mostThrottleSteps, throttleSteps)
    }
}

struct BenchReport {
    let result: BenchmarkResult
    let emulation: EmulationReport?

    init(_ result: BenchmarkResult, emulation: EmulationReport? = nil) { self.result = result; self.emulation = emulation }

    private func ms(_ ns: Double) -> Double { ns / 1e6 }
    private func us(_ ns: Double) -> String { String(format: "%.1f", ns / 1e3) }

    /// The human summary, TensorFlow Lite style (times in microseconds).
    func text() -> String {
        let r = result, s = r.summary
        var out = ""
        out += "Model: \(r.model)  backend: \(r.backend)  threads: \(r.threads)\n"
        out += String(format: "MACs: %.1f M\n", Double(r.macs) / 1e6)
        out += "Microkernels: \(r.kernels.joined(separator: ", "))\n"
        out += "Init: \(us(Double(r.initNs))) us"
            + (r.calibrationNs.map { " (after int8 calibration: \(us(Double($0))) us)" } ?? "") + "\n"
        // Under emulation every latency below is the device's, so each line says so.
        let unit = emulation == nil ? "(us)" : "(us, emulated)"
        var warm = "Warm-up: count=\(r.warmupRuns) first=\(us(Double(r.firstNs)))"
        if let avg = r.warmupMeanNs { warm += " avg=\(us(avg))" }
        out += warm + " \(unit)\n"
        let percentiles = BenchReport.percentiles(s).map { "\($0.name)=" + ($0.ns.map { us(Double($0)) } ?? "– (n<\($0.needs))") }
        out += "Timing: count=\(s.count) mean=\(us(s.mean)) std=\(us(s.std)) min=\(us(Double(s.min))) "
            + percentiles.joined(separator: " ") + " max=\(us(Double(s.max))) \(unit)\n"
        if BenchReport.percentiles(s).contains(where: { $0.ns == nil }) {
            out += "– (n<N): too few timed runs for that percentile, it needs N (see docs/statistics.md)\n"
        }
        out += String(format: "Rate: %.2f GMAC/s at the mean", r.gmacs)
            + (supported(0.5, s) ? String(format: ", %.2f at p50", Double(r.macs) / Double(s.p50)) : "")
            + (emulation == nil ? "" : " (emulated)") + "\n"
        out += String(format: "Quality vs ref: cosine=%.6f top1=%@ (seeded weights, noise input; not accuracy)\n", r.quality.cosine,
                      r.quality.top1Agree ? "agree" : "differ")
        if let e = emulation {
            out += "Emulated device: \(e.profile) (emulated: latencies are the device's time for these layers at its clock)\n"
            out += "Emulated at the top clock: \(us(Double(e.deviceNs))) us per inference (emulated, from the profile's rates)\n"
            let host = LatencySummary(samples: e.hostNs)
            out += "This machine: p50=\(us(Double(host.p50))) mean=\(us(host.mean)) us over \(host.count) runs (measured here, "
                + "\(e.hostBound) slower than the device and kept as the floor)\n"
            out += String(format: "Emulated peak: %.1f °C, lowest clock cap %.0f of %.0f MHz, %d throttle step(s) (all emulated)\n",
                          e.peakTemperatureC, e.lowestCapMHz, e.maxMHz, e.mostThrottleSteps)
            out += String(format: "Emulated at the end: %.1f °C, clock cap %.0f MHz (emulated)\n", e.temperatureC, e.capMHz)
        }
        if let profile = r.profile {
            // The same table as the dashboard's and `stats --layers`: one profile per run.
            if let table = BenchReport.layerTable(r) { out += "\n" + table.text() }
            let total = Double(profile.reduce(0) { $0 + $1.nanoseconds })
            var byKind: [String: (ns: UInt64, macs: Int)] = [:]
            var order: [String] = []
            for l in profile {
                if byKind[l.kind] == nil { order.append(l.kind) }
                byKind[l.kind, default: (0, 0)].ns += l.nanoseconds
                byKind[l.kind, default: (0, 0)].macs += l.macs
            }
            out += "\nPer kind:\n"
            for k in order {
                let v = byKind[k]!
                let rate = v.ns > 0 && v.macs > 0 ? String(format: "%.1f", Double(v.macs) / Double(v.ns)) : "-"
                out += pad(k, 22) + lpad(us(Double(v.ns)), 10) + " us" + lpad(rate, 9) + " GMAC/s"
                    + lpad(String(format: "%.1f", total > 0 ? 100 * Double(v.ns) / total : 0), 7) + " %\n"
            }
        }
        return out
    }

    /// The profiled runs as a layer table (nil when none were profiled).
    static func layerTable(_ r: BenchmarkResult) -> LayerTable? {
        let profiles = r.profiledRuns.map { run in
            LayerProfile(t: 0, backend: r.backend.rawValue, model: r.model, peakGMACs: r.peakGMACs,
                         layers: run.map { LayerSample(name: $0.name, kind: $0.kind, shape: $0.shape, macs: $0.macs,
                                                       kernel: $0.kernel, ns: $0.nanoseconds) })
        }
        guard let first = profiles.first else { return nil }
        var table = LayerTable(first)
        for p in profiles.dropFirst() { table.add(p) }
        return table
    }

    /// p50, p90 and p99 of the timed runs; `ns` is nil where the runs are too few to
    /// support the percentile (the rule of `LatencyStats.minimumCount`), `needs` says how many would.
    static func percentiles(_ s: LatencySummary) -> [(name: String, ns: UInt64?, needs: Int)] {
        [("p50", 0.5, s.p50), ("p90", 0.9, s.p90), ("p99", 0.99, s.p99)].map { name, p, v in
            let needs = LatencyStats.minimumCount(for: p)
            return (name, s.count >= needs ? v : nil, needs)
        }
    }

    private func supported(_ p: Double, _ s: LatencySummary) -> Bool { s.count >= LatencyStats.minimumCount(for: p) }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }

    /// One JSON object; times in milliseconds.
    func jsonString() -> String {
        let r = result, s = r.summary
        var object: [String: Any] = [
            "model": r.model, "backend": r.backend.rawValue, "threads": r.threads, "macs": r.macs,
            "runs": s.count, "warmup": r.warmupRuns, "init_ms": ms(Double(r.initNs)), "first_ms": ms(Double(r.firstNs)),
            "mean_ms": ms(s.mean), "std_ms": ms(s.std), "min_ms": ms(Double(s.min)), "max_ms": ms(Double(s.max)), "gmacs": r.gmacs,
            "kernels": r.kernels,
            "quality": ["cosine": r.quality.cosine, "top1_agree": r.quality.top1Agree],
        ]
        if let e = emulation {
            object["emulation"] = ["profile": e.profile, "emulated": true, "max_mhz": e.maxMHz,
                                   "temperature_c": e.temperatureC, "cap_mhz": e.capMHz, "throttle_steps": e.throttleSteps,
                                   "peak_temperature_c": e.peakTemperatureC, "lowest_cap_mhz": e.lowestCapMHz,
                                   "most_throttle_steps": e.mostThrottleSteps, "device_ms_at_max": ms(Double(e.deviceNs)),
                                   "host_p50_ms": ms(Double(LatencySummary(samples: e.hostNs).p50)), "host_bound_runs": e.hostBound,
                                   "latencies_emulated": true]
        }
        // A percentile the runs cannot support is null, with the count that would support it beside it.
        for p in BenchReport.percentiles(s) {
            if let ns = p.ns { object[p.name + "_ms"] = ms(Double(ns)) }
            else { object[p.name + "_ms"] = NSNull(); object[p.name + "_min_count"] = p.needs }
        }
        if let avg = r.warmupMeanNs { object["warmup_avg_ms"] = ms(avg) }
        if let c = r.calibrationNs { object["calibration_ms"] = ms(Double(c)) }
        if let profile = r.profile {
            object["layers"] = profile.map { l -> [String: Any] in
                ["name": l.name, "kind": l.kind, "kernel": l.kernel, "macs": l.macs, "ms": ms(Double(l.nanoseconds))]
            }
        }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
