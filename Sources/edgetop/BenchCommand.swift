import ArgumentParser
import EdgeEmulation
import EdgeInference
import EdgeKernels
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
            Environment: EDGETOP_BENCH_ISA=avx2|avxvnni|avxvnni-evex|avx512vnni|portable|host forces the int8
            microkernel family of the built-in models, and their fp32 kernels to AVX2+FMA where the family has no
            AVX-512 (avx2, avxvnni; portable: Swift SIMD), to time another CPU's kernels here (docs/benchmarks.md).
            """)

    @OptionGroup var workload: ModelOptions

    @Option(parsing: .unconditional, help: "Warm-up runs before timing; the first run is always made and reported apart.")
    var warmup: String = "10"

    @Option(parsing: .unconditional, help: "Timed runs (at least 1).")
    var runs: String = "50"

    @Flag(help: "Print one JSON object instead of the text summary.")
    var json = false

    @Flag(help: "Also time every layer (median of up to 20 profiled runs) and print time and GMAC/s per layer.")
    var profile = false

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

    /// The settings the options name; a `ValidationError` says what is wrong with them.
    func settings() throws -> Settings {
        Settings(spec: try workload.modelSpec(), backend: try workload.backendValue(), threads: try workload.threadCount(default: 1),
                 warmup: try ModelOptions.integer("warmup", warmup, 0...1_000_000, "0 or more"),
                 runs: try ModelOptions.integer("runs", runs, 1...10_000_000, "at least 1"))
    }

    func validate() throws {
        if workload.models.count > 1 { throw ValidationError("bench times one model: give --model once") }
        if isTFLiteModel { return }  // checked by runTFLite: built-in model options do not apply
        if images != nil {
            TraceCLI.error("bench: --images needs a .tflite model with labels (the built-in models' weights are seeded, not trained)")
            throw ExitCode(2)
        }
        _ = try settings()
    }

    mutating func run() throws {
        if isTFLiteModel { return try runTFLite() }
        let s = try settings()
        var tracker: EmulationTracker?
        if let profile = try workload.profile() {
            tracker = EmulationTracker(DeviceEmulator(profile: profile),
                                       workload: DeviceWorkload(spec: s.spec, backend: s.backend), threads: s.threads)
        }
        let result = Benchmark.run(spec: s.spec, backend: s.backend, threads: s.threads,
                                   warmup: s.warmup, runs: s.runs, profileRuns: profile ? min(s.runs, 20) : 0,
                                   slowdown: tracker.map { t in { t.slowdown(latencyNs: $0) } },
                                   features: try Self.forcedFeatures())
        let report = BenchReport(result, emulation: tracker?.report)
        if json {
            print(sanitizeLines(report.jsonString()))
        } else {
            print(sanitizeLines(report.text()), terminator: "")
        }
    }
}

extension Bench {
    /// The kernels `EDGETOP_BENCH_ISA` forces (int8 family; fp32 follows its AVX-512 or not), or the host's; a family this CPU cannot
    /// run (it would fault) or an unknown name is a usage error.
    static func forcedFeatures(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CPUFeatures {
        guard let name = environment["EDGETOP_BENCH_ISA"], !name.isEmpty else { return .host }
        do {
            return try CPUFeatures.host.forcingInt8ISA(name)
        } catch {
            TraceCLI.error("bench: EDGETOP_BENCH_ISA=\(sanitize(name)): \(error)")
            throw ExitCode(2)
        }
    }
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
            let host = BenchLatencySummary(samples: e.hostNs)
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
    static func percentiles(_ s: BenchLatencySummary) -> [(name: String, ns: UInt64?, needs: Int)] {
        [("p50", 0.5, s.p50), ("p90", 0.9, s.p90), ("p99", 0.99, s.p99)].map { name, p, v in
            let needs = LatencyStats.minimumCount(for: p)
            return (name, s.count >= needs ? v : nil, needs)
        }
    }

    private func supported(_ p: Double, _ s: BenchLatencySummary) -> Bool { s.count >= LatencyStats.minimumCount(for: p) }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }

    /// One JSON object; times in milliseconds. Written with the project's `JSONWriter`, like
    /// traces and `stats --json`, so numbers and escapes follow one set of rules.
    func jsonString() -> String {
        let r = result, s = r.summary
        var w = JSONWriter()
        w.beginObject()
        w.string("model", r.model); w.string("backend", r.backend.rawValue)
        w.int("threads", Int64(r.threads)); w.int("macs", Int64(r.macs))
        w.int("runs", Int64(s.count)); w.int("warmup", Int64(r.warmupRuns))
        w.double("init_ms", ms(Double(r.initNs))); w.double("first_ms", ms(Double(r.firstNs)))
        if let avg = r.warmupMeanNs { w.double("warmup_avg_ms", ms(avg)) }
        if let c = r.calibrationNs { w.double("calibration_ms", ms(Double(c))) }
        w.double("mean_ms", ms(s.mean)); w.double("std_ms", ms(s.std)); w.double("min_ms", ms(Double(s.min)))
        // A percentile the runs cannot support is null, with the count that would support it beside it.
        for p in BenchReport.percentiles(s) {
            if let ns = p.ns { w.double(p.name + "_ms", ms(Double(ns))) }
            else { w.null(p.name + "_ms"); w.int(p.name + "_min_count", Int64(p.needs)) }
        }
        w.double("max_ms", ms(Double(s.max))); w.double("gmacs", r.gmacs)
        w.beginArray("kernels")
        for k in r.kernels { w.string(nil, k) }
        w.endArray()
        w.beginObject("quality"); w.double("cosine", Double(r.quality.cosine)); w.bool("top1_agree", r.quality.top1Agree); w.endObject()
        if let e = emulation {
            w.beginObject("emulation")
            w.string("profile", e.profile); w.bool("emulated", true); w.double("max_mhz", e.maxMHz)
            w.double("temperature_c", e.temperatureC); w.double("cap_mhz", e.capMHz); w.int("throttle_steps", Int64(e.throttleSteps))
            w.double("peak_temperature_c", e.peakTemperatureC); w.double("lowest_cap_mhz", e.lowestCapMHz)
            w.int("most_throttle_steps", Int64(e.mostThrottleSteps)); w.double("device_ms_at_max", ms(Double(e.deviceNs)))
            w.double("host_p50_ms", ms(Double(BenchLatencySummary(samples: e.hostNs).p50))); w.int("host_bound_runs", Int64(e.hostBound))
            w.bool("latencies_emulated", true)
            w.endObject()
        }
        if let profile = r.profile {
            w.beginArray("layers")
            for l in profile {
                w.beginObject()
                w.string("name", l.name); w.string("kind", l.kind); w.string("kernel", l.kernel)
                w.int("macs", Int64(l.macs)); w.double("ms", ms(Double(l.nanoseconds)))
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
