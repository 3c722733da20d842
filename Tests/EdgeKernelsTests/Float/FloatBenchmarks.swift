import EdgeCore
import Foundation
import XCTest
@testable import EdgeKernels

/// fp32 benchmarks on real layer shapes. They print figures and assert nothing about time;
/// they run only with `EDGETOP_BENCH=1` (threads from `EDGETOP_BENCH_THREADS`, default 1;
/// `EDGETOP_BENCH_PORTABLE=1` forces the portable Swift SIMD kernels, `EDGETOP_BENCH_ISA=avx2`
/// the AVX2+FMA ones):
///
///     EDGETOP_BENCH=1 swift test --filter FloatBenchmarks
///     EDGETOP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter FloatBenchmarks
///
/// EdgeKernels is built -Ounchecked and its C kernels -O2 in both configurations, so the two
/// agree within noise. The machine is shared: compare with XNNPACK (`shared/anchors`) run in
/// the same minute, and prefer minima and per-layer medians to end-to-end medians.
final class FloatBenchmarks: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["EDGETOP_BENCH"] == "1", "set EDGETOP_BENCH=1 to run")
    }

    private var threads: Int { Int(ProcessInfo.processInfo.environment["EDGETOP_BENCH_THREADS"] ?? "") ?? 1 }

    private static var features: CPUFeatures {
        let environment = ProcessInfo.processInfo.environment
        if environment["EDGETOP_BENCH_PORTABLE"] == "1" { return .portable }
        // EDGETOP_BENCH_ISA=avx2 runs the AVX2+FMA kernels (what a Zen 3 gets) on an AVX-512 host.
        var host = CPUFeatures.host
        if environment["EDGETOP_BENCH_ISA"] == "avx2" { host.avx512f = false }
        return host
    }

    /// One layer of the benchmark network, run on ping-pong activation buffers.
    private struct Layer {
        let name: String
        let shape: String
        let algorithm: String
        let kernel: String
        let macs: Int
        let run: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, ThreadPool) -> Void
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    /// He-style uniform weights: activations stay in a normal range (no overflow, no denormals).
    private static func weights(_ count: Int, fanIn: Int, _ rng: inout SplitMix64) -> [Float] {
        let scale = Float(sqrt(6.0 / Double(fanIn)))
        return rng.floats(count).map { $0 * scale }
    }

    private static func convolution(_ name: String, h: Int, w: Int, inC: Int, outC: Int, k: Int, stride: Int,
                                    groups: Int, _ rng: inout SplitMix64,
                                    algorithm: ConvolutionAlgorithm? = nil) -> (Layer, Int, Int) {
        // TensorFlow SAME padding: stride 2 pads only bottom and right on even inputs.
        let total = max(k - stride, 0)
        let (before, after) = stride == 1 ? (total / 2, total - total / 2) : (0, total)
        let conv = FConvolution(inputChannels: inC, outputChannels: outC, kernelHeight: k, kernelWidth: k,
                                strideHeight: stride, strideWidth: stride, padTop: before, padLeft: before,
                                padBottom: after, padRight: after, groups: groups,
                                weights: weights(outC * k * k * inC / groups, fanIn: k * k * inC / groups, &rng),
                                bias: rng.floats(outC).map { $0 * 0.1 }, outputMin: 0, outputMax: 6,
                                features: features, algorithm: algorithm)
        let (oh, ow) = conv.outputSize(inputHeight: h, inputWidth: w)
        let layer = Layer(name: name, shape: "\(h)x\(w)x\(inC)->\(oh)x\(ow)x\(outC) k\(k)s\(stride)",
                          algorithm: conv.algorithm.rawValue, kernel: conv.kernelName,
                          macs: conv.macs(inputHeight: h, inputWidth: w)) { input, output, pool in
            conv.run(input: input, inputHeight: h, inputWidth: w, output: output, pool: pool)
        }
        return (layer, oh, ow)
    }

    /// MobileNet v1 1.0@224: the stem, 13 depthwise/pointwise pairs, pooling and the classifier.
    private func mobileNetV1() -> [Layer] {
        var rng = SplitMix64(seed: 2024)
        var layers: [Layer] = []
        var (h, w, c) = (224, 224, 3)
        let (stem, sh, sw) = Self.convolution("conv0", h: h, w: w, inC: 3, outC: 32, k: 3, stride: 2, groups: 1, &rng)
        layers.append(stem); (h, w, c) = (sh, sw, 32)
        let blocks: [(Int, Int)] = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
                                    (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
        for (i, (outC, stride)) in blocks.enumerated() {
            let (dw, dh, dwid) = Self.convolution("dw\(i + 1)", h: h, w: w, inC: c, outC: c, k: 3, stride: stride,
                                                  groups: c, &rng)
            layers.append(dw); (h, w) = (dh, dwid)
            let (pw, _, _) = Self.convolution("pw\(i + 1)", h: h, w: w, inC: c, outC: outC, k: 1, stride: 1,
                                              groups: 1, &rng)
            layers.append(pw); c = outC
        }
        let gap = FGlobalAveragePool(channels: c)
        let (gh, gw, gc) = (h, w, c)
        layers.append(Layer(name: "pool", shape: "\(gh)x\(gw)x\(gc)->\(gc)", algorithm: "-", kernel: gap.kernelName,
                            macs: gh * gw * gc) { input, output, pool in
            gap.run(input: input, height: gh, width: gw, output: output, pool: pool)
        })
        let fc = FFullyConnected(inputChannels: c, outputChannels: 1001,
                                 weights: Self.weights(1001 * c, fanIn: c, &rng), bias: rng.floats(1001),
                                 features: Self.features)
        layers.append(Layer(name: "fc", shape: "\(gc)->1001", algorithm: "gemm", kernel: fc.kernelName,
                            macs: gc * 1001) { input, output, pool in
            fc.run(input: input, output: output, pool: pool)
        })
        return layers
    }

    /// Runs `layers` as a chain `runs` times after `warmup` runs; prints per-layer medians and the
    /// median end-to-end time.
    private func report(_ title: String, _ layers: [Layer], bufferSize: Int, input: [Float],
                        warmup: Int = 5, runs: Int = 30) -> (median: Double, min: Double) {
        let pool = ThreadPool(threads: threads)
        let a = UnsafeMutablePointer<Float>.allocate(capacity: bufferSize)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: bufferSize)
        defer { a.deallocate(); b.deallocate() }
        a.initialize(repeating: 0, count: bufferSize); b.initialize(repeating: 0, count: bufferSize)
        a.update(from: input, count: input.count)
        var perLayer = [[Double]](repeating: [], count: layers.count)
        var totals: [Double] = []
        let clock = ContinuousClock()
        for iteration in 0..<(warmup + runs) {
            a.update(from: input, count: input.count)
            var (src, dst) = (a, b)
            let start = clock.now
            for (i, layer) in layers.enumerated() {
                let t0 = clock.now
                layer.run(src, dst, pool)
                if iteration >= warmup { perLayer[i].append(Self.seconds(clock.now - t0)) }
                swap(&src, &dst)
            }
            if iteration >= warmup { totals.append(Self.seconds(clock.now - start)) }
        }
        let pad = { (s: String, n: Int) in s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        print("\n\(title) — fp32, \(threads) thread(s), kernels \(F32KernelSet.select(Self.features).isa), median of \(runs) runs")
        print(pad("layer", 7) + pad("shape", 30) + pad("algorithm", 15) + pad("microkernel", 44) + "median ms  min ms  GMAC/s")
        var macs = 0
        var sumOfMedians = 0.0
        for (i, layer) in layers.enumerated() {
            let t = Self.median(perLayer[i])
            macs += layer.macs
            sumOfMedians += t
            print(pad(layer.name, 7) + pad(layer.shape, 30) + pad(layer.algorithm, 15) + pad(layer.kernel, 44)
                  + String(format: "%9.3f  %6.3f  %6.1f", t * 1e3, (perLayer[i].min() ?? 0) * 1e3,
                           Double(layer.macs) / t / 1e9))
        }
        let total = Self.median(totals)
        print(String(format: "total: %.3f ms median, %.3f ms min, %.3f ms sum of layer medians; %.1f M MACs, %.1f GMAC/s (median)",
                     total * 1e3, (totals.min() ?? 0) * 1e3, sumOfMedians * 1e3, Double(macs) / 1e6,
                     Double(macs) / total / 1e9))
        // The machine is shared: the sum of per-layer medians resists bursts of other load
        // better than the end-to-end median, so it is the figure compared with XNNPACK.
        return (sumOfMedians, totals.min() ?? 0)
    }

    func testMobileNetV1Float() {
        var rng = SplitMix64(seed: 7)
        let total = report("MobileNet v1 1.0@224", mobileNetV1(), bufferSize: 112 * 112 * 64,
                           input: rng.floats(224 * 224 * 3))
        print(String(format: "vs XNNPACK fp32 11.04 ms (anchor table, 1 thread): sum of layer medians %.2fx, "
                     + "fastest whole run %.2fx; goal <= 1.0x", total.median * 1e3 / 11.04, total.min * 1e3 / 11.04))
    }

    func testWinogradVersusImplicitGemmOnResNet3x3Layers() {
        // ResNet-18's 3x3 stride-1 layers, one per stage; 56x56x64 is the comparison.
        for (size, channels) in [(56, 64), (28, 128), (14, 256), (7, 512)] {
            var rng = SplitMix64(seed: 8)
            let input = rng.floats(size * size * channels)
            var times: [ConvolutionAlgorithm: (median: Double, min: Double)] = [:]
            for algorithm in [ConvolutionAlgorithm.winograd6x6, .implicitGemm] {
                var wrng = SplitMix64(seed: 9)
                let (layer, _, _) = Self.convolution("res", h: size, w: size, inC: channels, outC: channels, k: 3,
                                                     stride: 1, groups: 1, &wrng, algorithm: algorithm)
                times[algorithm] = report("ResNet-18 3x3 layer, \(algorithm.rawValue)", [layer],
                                          bufferSize: size * size * channels, input: input, warmup: 3, runs: 15)
            }
            if let wino = times[.winograd6x6], let gemm = times[.implicitGemm] {
                print(String(format: "%dx%dx%d->%d: Winograd F(6x6,3x3) %.2fx faster than implicit GEMM (medians), %.2fx (minima)",
                             size, size, channels, channels, gemm.median / wino.median, gemm.min / wino.min))
            }
        }
    }
}
