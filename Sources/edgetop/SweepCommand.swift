import ArgumentParser
import EdgeEmulation
import EdgeInference
import EdgeLive
import EdgeTelemetry
import EdgeTrace
import Foundation

/// `edgetop sweep`: systematic benchmarking. A matrix of configurations is run as repeated,
/// interleaved runs in a seeded random order, each run a unit, so that the machine's slow
/// drifts (heat, background load, frequency) spread over every configuration instead of
/// favouring whichever ran first, and each configuration's spread is measured run to run.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run models x backends x threads (x emulated profiles) as repeated, interleaved, randomized runs and compare them.",
        discussion: """
            Each round runs every configuration once, in an order shuffled from --seed; --repeats rounds are run. \
            Every run is written as its own trace (OUTPUT/run-NNN-....jsonl) and OUTPUT/summary.json holds the \
            results. Per configuration: the median of run medians with a 95% interval from the run-to-run spread \
            (Student t on the log run medians), and the tails p1, p99, p99.9 over all runs' inferences (shown only \
            when there are at least 100, 100 and 1000 of them). Per pair of configurations that differ in one factor: \
            the ratio and its interval (Welch t), and a verdict only when the interval lies beyond --threshold. \
            Inferences in the first --warmup seconds of a run are recorded but left out of the figures. \
            See docs/statistics.md.
            """)

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Folder for the run traces and summary.json (created; must be empty).", valueName: "dir"))
    var output: String

    @Option(help: ArgumentHelp("Comma-separated models: families (mobilenet-v1) or catalog names (mobilenet-v1-0.25-128).", valueName: "list"))
    var models = "mobilenet-v1-0.25-128"

    @Option(help: ArgumentHelp("Comma-separated backends.", valueName: "list"))
    var backends = "int8,fp32"

    @Option(help: ArgumentHelp("Comma-separated worker thread counts.", valueName: "list"))
    var threads = "1"

    @Option(help: ArgumentHelp("Comma-separated device profiles to emulate; 'host' for no emulation.", valueName: "list"))
    var emulate: String?

    @Option(help: ArgumentHelp("Rounds: runs per configuration.", valueName: "n"))
    var repeats = 3

    @Option(name: .customLong("run-seconds"), help: ArgumentHelp("Seconds each run records after its warm-up.", valueName: "s"))
    var runSeconds = 2.0

    @Option(help: ArgumentHelp("Seconds at the start of each run left out of the figures.", valueName: "s"))
    var warmup = 0.5

    @Option(help: "Seed of the run order.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Smallest difference worth a verdict, in percent.", valueName: "percent"))
    var threshold: Double = ABComparison.defaultThreshold * 100

    /// The matrix, every entry checked, in the order the options list them.
    private func matrix() throws -> (configurations: [SweepSummary.Configuration], specs: [String: ModelSpec], profiles: [String: DeviceProfile]) {
        func list(_ text: String, _ option: String) throws -> [String] {
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !items.contains(where: \.isEmpty) else { throw ValidationError("--\(option): empty item in '\(text)'") }
            guard Set(items).count == items.count else { throw ValidationError("--\(option): an item is listed twice in '\(text)'") }
            return items
        }
        var specs: [String: ModelSpec] = [:]
        var modelNames: [String] = []
        for m in try list(models, "models") {
            switch ModelSpec.family(m, width: 1.0, resolution: 224) {
            case .success(let spec): specs[spec.name] = spec; modelNames.append(spec.name)
            case .failure(let error): throw ValidationError("--models: \(error)")
            }
        }
        let backendNames = try list(backends, "backends")
        for b in backendNames where Backend(rawValue: b) == nil {
            throw ValidationError("--backends: unknown backend '\(b)' (known: \(Backend.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let threadCounts = try list(threads, "threads").map { t -> Int in
            guard let n = Int(t), (1...256).contains(n) else { throw ValidationError("--threads: '\(t)' is not a thread count from 1 to 256") }
            return n
        }
        var profiles: [String: DeviceProfile] = [:]
        var profileNames: [String?] = [nil]
        if let emulate {
            profileNames = []
            for p in try list(emulate, "emulate") {
                if p == "host" { profileNames.append(nil); continue }
                do {
                    let profile = try ProfileLocator.load(p)
                    profiles[p] = profile
                    profileNames.append(p)
                } catch let error as ProfileError {
                    TraceCLI.error("error: \(error)")
                    throw ExitCode(2)
                }
            }
        }
        var out: [SweepSummary.Configuration] = []
        for m in modelNames { for b in backendNames { for t in threadCounts { for p in profileNames {
            out.append(SweepSummary.Configuration(model: m, backend: b, threads: t, profile: p))
        } } } }
        return (out, specs, profiles)
    }

    func validate() throws {
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be from 1 to 100") }
        guard runSeconds.isFinite, runSeconds > 0, runSeconds <= 3600 else { throw ValidationError("--run-seconds must be above 0 and at most 3600") }
        guard warmup.isFinite, warmup >= 0, warmup <= 600 else { throw ValidationError("--warmup must be from 0 to 600 seconds") }
        guard threshold.isFinite, threshold > 0, threshold < 100 else { throw ValidationError("--threshold must be a percentage above 0 and below 100") }
        if output.isEmpty { throw ValidationError("--output must name a folder") }
    }

    func run() throws {
        let (configurations, specs, profiles) = try matrix()
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: output, isDirectory: &isDir) {
            guard isDir.boolValue, (try? fm.contentsOfDirectory(atPath: output))?.isEmpty == true else {
                TraceCLI.error("\(sanitize(output)): already exists and is not an empty folder")
                throw ExitCode(1)
            }
        } else {
            do { try fm.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
                TraceCLI.error("\(sanitize(output)): cannot create the folder: \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        // Each round is the whole matrix in a fresh shuffled order: interleaved and randomized.
        var rng = SplitMix64(seed: seed)
        var plan: [SweepSummary.Configuration] = []
        for _ in 0..<repeats { plan.append(contentsOf: configurations.shuffled(using: &rng)) }
        let total = Double(plan.count) * (runSeconds + warmup)
        TraceCLI.error("sweep of \(configurations.count) configurations x \(repeats) runs, about \(Int(total.rounded(.up))) s")

        let stop = SignalStop()
        defer { stop.restore() }
        var runs: [SweepSummary.Run] = []
        for (order, c) in plan.enumerated() {
            if let signal = stop.received {
                TraceCLI.error("\(signal) received, writing the summary of the \(runs.count) finished runs")
                break
            }
            let name = String(format: "run-%03d-", order + 1) + c.label.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" } + ".jsonl"
            let path = output + "/" + name
            let setup = LiveSetup(model: specs[c.model]!, backend: Backend(rawValue: c.backend)!, threads: c.threads, targetFPS: 0,
                                  profile: c.profile.flatMap { profiles[$0] }, sysroot: SysRoot("/"), sampleInterval: 0.5,
                                  recordingTo: path)
            do {
                let latencies = try record(setup, to: path, stop: stop)
                runs.append(SweepSummary.Run(configuration: c, order: order, file: name, latencies: latencies))
                TraceCLI.error("run \(order + 1)/\(plan.count) \(sanitize(c.label)): \(latencies.count) inferences")
            } catch {
                TraceCLI.error("error: \(path): \(error)")
                throw ExitCode(1)
            }
        }
        let summary = SweepSummary(matrix: configurations, runs: runs, threshold: threshold / 100)
        var w = JSONWriter()
        w.beginObject()
        w.string("format", "edgetop-sweep")
        w.uint("seed", seed); w.int("repeats", Int64(repeats)); w.double("run_seconds", runSeconds); w.double("warmup_s", warmup)
        w.bool("complete", stop.received == nil && runs.count == plan.count)
        summary.writeJSON(into: &w)
        w.endObject()
        let json = String(decoding: w.bytes, as: UTF8.self) + "\n"
        do { try json.write(toFile: output + "/summary.json", atomically: true, encoding: .utf8) } catch {
            TraceCLI.error("error: \(sanitize(output))/summary.json: \(error.localizedDescription)")
            throw ExitCode(1)
        }
        // Profile names come from files: clean every line before it reaches the terminal.
        print(summary.text().split(separator: "\n", omittingEmptySubsequences: false).map { sanitize(String($0)) }.joined(separator: "\n"), terminator: "")
        print("wrote \(runs.count) run traces and summary.json to \(sanitize(output))")
    }

    /// Runs one configuration for the warm-up plus `runSeconds`, writing every event to
    /// `path`; returns the latencies after the warm-up.
    private func record(_ setup: LiveSetup, to path: String, stop: SignalStop) throws -> [UInt64] {
        let session = LiveSession(setup: setup)
        let writer = try TraceWriter(path: path, header: session.header)
        var latencies: [UInt64] = []
        func write(_ events: [Event]) throws {
            for e in events {
                try writer.write(e)
                if case .inference(let i) = e, i.t >= warmup { latencies.append(i.latencyNs) }
            }
        }
        session.start()
        var failure: Error?
        while failure == nil, stop.received == nil, session.now < warmup + runSeconds {
            do { try write(session.poll().events) } catch { failure = error }
            stop.sleep(seconds: 0.05)
        }
        session.stop()
        do { try write(session.poll().events) } catch { if failure == nil { failure = error } }
        do { try writer.close() } catch { if failure == nil { failure = error } }
        if let failure { throw failure }
        if session.droppedRecords > 0 {
            TraceCLI.error("warning: \(path): \(session.droppedRecords) inference records were lost because writing fell behind")
        }
        return latencies
    }
}
