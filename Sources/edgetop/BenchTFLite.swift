import ArgumentParser
import EdgeInference
import EdgeKernels
import EdgeImages
import EdgeTFLite
import EdgeTrace
import Foundation

/// `edgetop bench --model FILE.tflite`: times a TensorFlow Lite model on edgetop's kernels
/// (`int8` or `fp32`, whichever the model is) or on the scalar reference (`ref`).
extension Bench {
    /// Whether --model names a .tflite file rather than a built-in model.
    var isTFLiteModel: Bool { workload.namesTFLiteFile }
    private var model: String { workload.model }
    private var backend: String { workload.backend ?? "int8" }

    /// Checks the options a .tflite benchmark uses; a bad one exits 2 with the same message
    /// as for a built-in model (`ModelOptions`).
    func tfliteSettings() throws -> (threads: Int, warmup: Int, runs: Int) {
        guard workload.width == nil, workload.resolution == nil, workload.emulate == nil else {
            TraceCLI.error("bench: --width, --resolution and --emulate apply to the built-in models, not to a .tflite file")
            throw ExitCode(2)
        }
        return (try workload.threadCount(default: 1), try ModelOptions.integer("warmup", warmup, 0...1_000_000, "0 or more"),
                try ModelOptions.integer("runs", runs, 1...10_000_000, "at least 1"))
    }

    /// Loads, times and reports a .tflite model.
    func runTFLite() throws {
        let (threadCount, warmupRuns, timedRuns) = try tfliteSettings()
        do {
            let start = MonotonicClock.now()
            let m = try TFLiteModel.read(path: model)
            let precision = m.precision
            let interpreter = try ReferenceInterpreter(model: m)
            let pool = ThreadPool(threads: threadCount)
            switch backend {
            case "ref": break
            case "int8" where precision == .int8, "fp32" where precision == .fp32:
                try TFLiteKernels.attach(to: interpreter, pool: pool)
            case "int8", "fp32":
                TraceCLI.error("bench: \(model) is a \(precision.rawValue) model; use --backend \(precision == .mixed ? "ref" : precision.rawValue) or ref")
                throw ExitCode(2)
            default:
                TraceCLI.error("bench: unknown backend '\(sanitize(backend))' (known: int8, fp32, ref)")
                throw ExitCode(2)
            }
            let loadNs = MonotonicClock.now() - start
            let input = TFLiteBenchInput.bytes(for: interpreter.inputTensor)
            var t = MonotonicClock.now()
            var output = try interpreter.run(input: input)
            let firstNs = MonotonicClock.now() - t
            for _ in 0..<warmupRuns { _ = try interpreter.run(input: input) }
            var samples: [UInt64] = []
            samples.reserveCapacity(timedRuns)
            for _ in 0..<timedRuns {
                t = MonotonicClock.now()
                output = try interpreter.run(input: input)
                samples.append(MonotonicClock.now() - t)
            }
            var perOperator: [UInt64] = []
            if profile {
                // Median per operator over up to 20 profiled runs, apart from the timed ones.
                interpreter.profiling = true
                var times: [[UInt64]] = []
                for _ in 0..<min(timedRuns, 20) { _ = try interpreter.run(input: input); times.append(interpreter.operatorNanoseconds) }
                interpreter.profiling = false
                perOperator = (0..<m.main.operators.count).map { i in times.map { $0[i] }.sorted()[times.count / 2] }
            }
            let accuracy = try images.map { try scoreImages($0, model: m, interpreter: interpreter) }
            let s = BenchLatencySummary(samples: samples)
            let macs = m.plan().reduce(0) { $0 + $1.macs }
            let top = TFLiteBenchInput.topClass(output, tensor: interpreter.outputTensor)
            let label = top.flatMap { i in m.labels.flatMap { i < $0.count ? $0[i] : nil } }
            func ms(_ ns: UInt64) -> String { String(format: "%.2f", Double(ns) / 1e6) }
            // The rule of docs/statistics.md: a percentile the runs cannot support is not a figure.
            let percentiles = BenchReport.percentiles(s)
            func pct(_ name: String) -> String {
                let p = percentiles.first { $0.name == name }!
                return p.ns.map { ms($0) + " ms" } ?? "– (n<\(p.needs))"
            }
            if json {
                var w = JSONWriter()
                w.beginObject()
                w.string("model", sanitize(model)); w.string("backend", backend); w.int("threads", Int64(threadCount))
                w.int("macs", Int64(macs)); w.int("load_ns", Int64(Int(loadNs))); w.int("first_ns", Int64(Int(firstNs))); w.int("runs", Int64(s.count))
                w.int("min_ns", Int64(Int(s.min))); w.int("max_ns", Int64(Int(s.max)))
                for p in percentiles {
                    if let ns = p.ns { w.int(p.name + "_ns", Int64(ns)) }
                    else { w.null(p.name + "_ns"); w.int(p.name + "_min_count", Int64(p.needs)) }
                }
                if let top { w.int("top_class", Int64(top)) }
                if let a = accuracy {
                    w.int("images", Int64(a.count)); w.int("top1_correct", Int64(a.top1)); w.int("top5_correct", Int64(a.top5))
                }
                w.endObject()
                print(String(decoding: w.bytes, as: UTF8.self))
            } else {
                var out = "Model: \(sanitize(model))  (\(precision.rawValue), \(m.main.operators.count) operators, \(macs) MACs)  backend: \(backend)  threads: \(threadCount)\n"
                out += "Load: \(ms(loadNs)) ms (read, check, pack weights)   first run: \(ms(firstNs)) ms\n"
                out += "Latency over \(s.count) runs, measured here: median \(pct("p50"))  p90 \(pct("p90"))  p99 \(pct("p99"))  min \(ms(s.min))  max \(ms(s.max))\n"
                out += s.count >= 2 ? String(format: "Throughput: %.1f GMAC/s at the median\n", Double(macs) / Double(max(s.p50, 1)))
                    : String(format: "Throughput: %.1f GMAC/s at the mean\n", Double(macs) / max(s.mean, 1))
                if let top { out += "Top class on the seeded input: \(top)\(label.map { " (\($0))" } ?? "") — not a quality figure\n" }
                if !perOperator.isEmpty {
                    let plans = m.plan()
                    out += "Per operator (median of \(min(timedRuns, 20)) profiled runs, measured here):\n"
                    for (p, ns) in zip(plans, perOperator) {
                        let kind = interpreter.intLayers[p.index] != nil || interpreter.floatLayers[p.index] != nil ? p.kernel ?? ""
                            : interpreter.operatorLayers[p.index] != nil ? "buffer loop" : "reference loop"
                        let name = p.name.padding(toLength: max(18, p.name.count), withPad: " ", startingAt: 0)
                        out += String(format: "  %3d ", p.index) + name + String(format: " %8.3f ms  ", Double(ns) / 1e6) + kind + "\n"
                    }
                }
                if let a = accuracy {
                    func share(_ k: Int) -> String { String(format: "%d/%d (%.1f %%)", k, a.count, 100 * Double(k) / Double(a.count)) }
                    out += "Accuracy on \(a.count) labelled images, measured here: top-1 \(share(a.top1))  top-5 \(share(a.top5))\n"
                }
                print(sanitizeLines(out), terminator: "")
            }
        } catch let e as TFLiteError {
            TraceCLI.error(e.description)
            throw ExitCode(1)
        } catch let e as ImageError {
            TraceCLI.error(e.description)
            throw ExitCode(1)
        }
    }

    /// Runs every image of `directory` through the model and tallies top-1 and top-5.
    func scoreImages(_ directory: String, model m: TFLiteModel, interpreter: ReferenceInterpreter) throws -> ImageAccuracy {
        let set = try LabelledImages(directory: directory)
        guard let labels = m.labels else { throw ImageError(file: model, "the model carries no labels to score images against") }
        let index = Dictionary(labels.enumerated().map { ($0.element.lowercased(), $0.offset) }, uniquingKeysWith: { a, _ in a })
        let t = interpreter.inputTensor
        guard t.shape.count == 4, t.shape[0] == 1, t.shape[3] == 3 else {
            throw ImageError(file: model, "input \(t.shape) is not one RGB image (1xHxWx3)")
        }
        var tally = ImageAccuracy()
        for item in set.items {
            guard let label = index[item.label.lowercased()] else {
                throw ImageError(file: item.path, "label \"\(item.label)\" is not one of the model's \(labels.count) labels")
            }
            let image = try RGBImage.read(path: item.path).resized(width: t.shape[2], height: t.shape[1])
            let output = try interpreter.run(input: TFLiteBenchInput.bytes(for: image, tensor: t))
            tally.add(scores: TFLiteBenchInput.scores(output, tensor: interpreter.outputTensor), label: label)
        }
        return tally
    }
}

/// The seeded input a .tflite benchmark feeds (speed does not depend on the values).
enum TFLiteBenchInput {
    /// Bytes for `t`: uniform stored values for integer types, uniform [-1, 1) floats.
    static func bytes(for t: Tensor) -> [UInt8] {
        var state: UInt64 = 0xC0FFEE
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        if t.type == .float32 {
            var out: [UInt8] = []
            out.reserveCapacity(t.elementCount * 4)
            for _ in 0..<t.elementCount {
                let f = Float(next() >> 40) / Float(1 << 24) * 2 - 1
                let u = f.bitPattern
                out += [UInt8(u & 0xFF), UInt8(u >> 8 & 0xFF), UInt8(u >> 16 & 0xFF), UInt8(u >> 24)]
            }
            return out
        }
        return (0..<(t.elementCount * (t.type.byteSize ?? 1))).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// An image as the input tensor's bytes: uint8 inputs take the pixels as they are, int8
    /// ones the pixels less 128, float ones the pixels scaled to [-1, 1].
    static func bytes(for image: RGBImage, tensor t: Tensor) -> [UInt8] {
        switch t.type {
        case .uint8: return image.pixels
        case .int8: return image.pixels.map { $0 &- 128 }
        default:
            var out: [UInt8] = []
            out.reserveCapacity(image.pixels.count * 4)
            for p in image.pixels {
                let u = ((Float(p) - 127.5) / 127.5).bitPattern
                out += [UInt8(u & 0xFF), UInt8(u >> 8 & 0xFF), UInt8(u >> 16 & 0xFF), UInt8(u >> 24)]
            }
            return out
        }
    }

    /// Class scores of an output in a comparable form (stored values keep their order).
    static func scores(_ bytes: [UInt8], tensor t: Tensor) -> [Float] {
        switch t.type {
        case .uint8: return bytes.map { Float($0) }
        case .int8: return bytes.map { Float(Int8(bitPattern: $0)) }
        default:
            return stride(from: 0, to: bytes.count, by: 4).map { (p: Int) -> Float in
                let lo = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8
                let hi = UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
                return Float(bitPattern: lo | hi)
            }
        }
    }

    /// The arg-max class of a one-row classifier output, or nil for other outputs.
    static func topClass(_ bytes: [UInt8], tensor t: Tensor) -> Int? {
        guard t.shape.count == 2, t.shape[0] == 1 else { return nil }
        switch t.type {
        case .uint8: return bytes.indices.max { bytes[$0] < bytes[$1] }
        case .int8: return bytes.indices.max { Int8(bitPattern: bytes[$0]) < Int8(bitPattern: bytes[$1]) }
        case .float32:
            let f: [Float] = stride(from: 0, to: bytes.count, by: 4).map { (p: Int) -> Float in
                let lo = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8
                let hi = UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
                return Float(bitPattern: lo | hi)
            }
            return f.indices.max { f[$0] < f[$1] }
        default: return nil
        }
    }
}
