import XCTest
import EdgeKernels
import CEdgeKernels
import EdgeCore

/// Per-layer throughput of the int8 operators on MobileNet v1 1.0@224's real layer shapes.
///
/// A benchmark, not a test: it only runs with `EDGETOP_BENCH=1` and prints figures, e.g.
/// `swift build -c release --build-tests -Xswiftc -enable-testing && EDGETOP_BENCH=1 swift test
/// -c release --skip-build -Xswiftc -enable-testing --filter QMobileNetBenchmark` (other test
/// targets use `@testable import`, hence `-enable-testing`). `EDGETOP_BENCH_PORTABLE=1` also
/// times the portable kernels; `EDGETOP_BENCH_ISA=avx2` times the AVX2 kernels in place of the
/// host's (as on a CPU without VNNI), `avxvnni-evex` the AVX-VNNI kernels' EVEX twin (any name of
/// `CPUFeatures.forcingInt8ISA`); `EDGETOP_BENCH_RUNS` sets the runs per layer (default 50),
/// `EDGETOP_BENCH_THREADS` the threads (default 1).
final class QMobileNetBenchmark: XCTestCase {
    struct Layer {
        let name: String
        let size: Int          // input height = width
        let inC: Int, outC: Int
        let kernel: Int, stride: Int, depthwise: Bool
    }

    /// MobileNet v1 1.0@224: the stem, then 13 depthwise-separable blocks.
    static let layers: [Layer] = {
        var layers = [Layer(name: "conv0 3x3 s2", size: 224, inC: 3, outC: 32, kernel: 3, stride: 2, depthwise: false)]
        let blocks: [(Int, Int, Int)] = [(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1),
                                         (256, 512, 2), (512, 512, 1), (512, 512, 1), (512, 512, 1), (512, 512, 1),
                                         (512, 512, 1), (512, 1024, 2), (1024, 1024, 1)]
        var size = 112
        for (i, (inC, outC, stride)) in blocks.enumerated() {
            layers.append(Layer(name: "dw\(i + 1) 3x3 s\(stride)", size: size, inC: inC, outC: inC, kernel: 3,
                                stride: stride, depthwise: true))
            size /= stride
            layers.append(Layer(name: "pw\(i + 1) 1x1", size: size, inC: inC, outC: outC, kernel: 1, stride: 1,
                                depthwise: false))
        }
        return layers
    }()

    /// The core's vpdpbusd rate right now (GMAC/s, best of 5 short probes).
    static func vnniPeak() -> Double {
        #if arch(x86_64)
        guard CPUFeatures.host.hasVNNI512 else { return .nan }
        let iterations = 20_000
        var best = 0.0
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let sink = q8_vnni_peak_probe(iterations)
            let d = ContinuousClock.now - start
            precondition(sink != 12345, "keeps the probe alive")
            let ns = Double(d.components.attoseconds) / 1e9 + Double(d.components.seconds) * 1e9
            best = max(best, Double(iterations * 16 * 64) / ns)
        }
        return best
        #else
        return .nan
        #endif
    }

    /// Median nanoseconds of `runs` calls after 5 warm-up calls.
    static func medianNs(runs: Int, _ body: () -> Void) -> Double {
        var times: [Double] = []
        for i in 0..<(runs + 5) {
            let start = ContinuousClock.now
            body()
            let d = ContinuousClock.now - start
            if i >= 5 { times.append(Double(d.components.attoseconds) / 1e9 + Double(d.components.seconds) * 1e9) }
        }
        times.sort()
        return times[times.count / 2]
    }

    /// The classifier tail of MobileNet v1 and a MobileNet v2 residual add.
    func testTailOperators() throws {
        let env = ProcessInfo.processInfo.environment
        try XCTSkipUnless(env["EDGETOP_BENCH"] == "1", "benchmark: set EDGETOP_BENCH=1 (release build)")
        let runs = Int(env["EDGETOP_BENCH_RUNS"] ?? "") ?? 50
        let pool = ThreadPool(threads: 1)
        var rng = SplitMix64(seed: 9)
        let p = QuantizationParams(scale: 0.05, zeroPoint: 10)
        for features in [CPUFeatures.host, .portable] {
            let gap = QGlobalAveragePool(channels: 1024, input: p, output: p, features: features)
            let fc = QFullyConnected(inputChannels: 1024, outputChannels: 1001, weights: rng.int8s(1024 * 1001),
                                     weightScales: [0.01], bias: rng.int32s(1001, in: -100...100), input: p, output: p,
                                     features: features)
            let add = QAdd(a: p, b: QuantizationParams(scale: 0.04, zeroPoint: 20), output: p, features: features)
            let x = rng.bytes(56 * 56 * 24), y = rng.bytes(56 * 56 * 24)
            var out = [UInt8](repeating: 0, count: 56 * 56 * 24)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    out.withUnsafeMutableBufferPointer { o in
                        let g = Self.medianNs(runs: runs) { gap.run(input: xp.baseAddress!, height: 7, width: 7, output: o.baseAddress!, pool: pool) }
                        let f = Self.medianNs(runs: runs) { fc.run(input: xp.baseAddress!, output: o.baseAddress!, pool: pool) }
                        let a = Self.medianNs(runs: runs) { add.run(a: xp.baseAddress!, b: yp.baseAddress!, count: 56 * 56 * 24, output: o.baseAddress!, pool: pool) }
                        print(String(format: "  gavgpool 7x7x1024: %.1f us (%@)", g / 1e3, gap.kernelName))
                        print(String(format: "  fc 1024->1001:     %.1f us, %.1f GMAC/s (%@)", f / 1e3, 1024.0 * 1001 / f, fc.kernelName))
                        print(String(format: "  add 56x56x24:      %.1f us, %.2f GB/s in+out (%@)", a / 1e3, 3.0 * 56 * 56 * 24 / a, add.kernelName))
                    }
                }
            }
        }
    }

    func testMobileNetV1Layers() throws {
        let env = ProcessInfo.processInfo.environment
        try XCTSkipUnless(env["EDGETOP_BENCH"] == "1", "benchmark: set EDGETOP_BENCH=1 (release build)")
        var families: [(String, CPUFeatures)] = [("host", .host)]
        if let isa = env["EDGETOP_BENCH_ISA"], !isa.isEmpty {
            do {
                families = [(isa, try CPUFeatures.host.forcingInt8ISA(isa))]
            } catch {
                throw XCTSkip("EDGETOP_BENCH_ISA=\(isa): \(error)")
            }
        }
        if env["EDGETOP_BENCH_PORTABLE"] == "1" { families.append(("portable", .portable)) }
        let runs = Int(env["EDGETOP_BENCH_RUNS"] ?? "") ?? 50
        // EDGETOP_BENCH_THREADS=2 shows each layer's two-thread split, for every kernel family.
        let pool = ThreadPool(threads: Int(env["EDGETOP_BENCH_THREADS"] ?? "") ?? 1)
        for (familyName, features) in families {
            print("int8 MobileNet v1 1.0@224 layers, \(pool.threads) thread(s), \(familyName) kernels, median of \(runs) runs")
            var totalNs = 0.0, totalMacs = 0, gemmNs = 0.0, gemmMacs = 0, dwNs = 0.0, dwMacs = 0
            var peaks: [Double] = []
            var rng = SplitMix64(seed: 42)
            for layer in Self.layers {
                let taps = layer.kernel * layer.kernel
                let groupInC = layer.depthwise ? 1 : layer.inC
                let pad = layer.kernel / 2
                // TF "SAME": stride 2 pads only bottom/right.
                let (pt, pb) = layer.stride == 2 ? (0, 1) : (pad, pad)
                let conv = QConvolution(
                    inputChannels: layer.inC, outputChannels: layer.outC, kernelHeight: layer.kernel,
                    kernelWidth: layer.kernel, strideHeight: layer.stride, strideWidth: layer.stride,
                    padTop: pt, padLeft: pt, padBottom: pb, padRight: pb, groups: layer.depthwise ? layer.inC : 1,
                    weights: rng.int8s(layer.outC * taps * groupInC), weightScales: rng.floats(layer.outC, in: 0.001...0.01),
                    bias: rng.int32s(layer.outC, in: -1000...1000),
                    input: QuantizationParams(scale: 0.02, zeroPoint: 128), output: QuantizationParams(scale: 0.1, zeroPoint: 0),
                    outputMin: 0, outputMax: 255, features: features)
                let input = rng.bytes(layer.size * layer.size * layer.inC)
                let o = conv.outputSize(inputHeight: layer.size, inputWidth: layer.size)
                var output = [UInt8](repeating: 0, count: o.height * o.width * layer.outC)
                let peak = Self.vnniPeak()
                peaks.append(peak)
                var times: [Double] = []
                input.withUnsafeBufferPointer { inp in
                    output.withUnsafeMutableBufferPointer { out in
                        for i in 0..<(runs + 5) {
                            let start = ContinuousClock.now
                            conv.run(input: inp.baseAddress!, inputHeight: layer.size, inputWidth: layer.size,
                                     output: out.baseAddress!, pool: pool)
                            let d = ContinuousClock.now - start
                            if i >= 5 { times.append(Double(d.components.attoseconds) / 1e9 + Double(d.components.seconds) * 1e9) }
                        }
                    }
                }
                times.sort()
                let ns = times[times.count / 2]
                let macs = conv.macs(inputHeight: layer.size, inputWidth: layer.size)
                totalNs += ns; totalMacs += macs
                if layer.depthwise { dwNs += ns; dwMacs += macs } else if layer.kernel == 1 { gemmNs += ns; gemmMacs += macs }
                let line = "  \(layer.name.padding(toLength: 14, withPad: " ", startingAt: 0))"
                    + " \(layer.size)x\(layer.size)x\(layer.inC)->\(layer.outC)".padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(format: " %8.3f ms %7.1f GMAC/s %5.1f%% of peak  %@", ns / 1e6, Double(macs) / ns,
                             100 * Double(macs) / ns / peak, conv.kernelName)
                print(line)
            }
            print(String(format: "  1x1 convolutions: %.3f ms, %.1f GMAC/s; depthwise: %.3f ms, %.1f GMAC/s",
                         gemmNs / 1e6, Double(gemmMacs) / gemmNs, dwNs / 1e6, Double(dwMacs) / dwNs))
            let meanPeak = peaks.reduce(0, +) / Double(peaks.count)
            print(String(format: "  total (convolutions): %.3f ms, %.1f M MACs, %.1f GMAC/s",
                         totalNs / 1e6, Double(totalMacs) / 1e6, Double(totalMacs) / totalNs))
            print(String(format: "  vpdpbusd peak measured between layers: %.1f GMAC/s (mean); the convolutions ran at %.1f%% of it;"
                         + " at the nominal 234.8 GMAC/s peak the total would be %.3f ms",
                         meanPeak, 100 * Double(totalMacs) / totalNs / meanPeak, totalNs / 1e6 * meanPeak / 234.8))
        }
    }
}
