import EdgeCore
import Foundation
import XCTest
import CEdgeKernels
@testable import EdgeKernels

/// The fp32 kernels that replaced older paths, each timed against the path it replaced in
/// the same run (interleaved, one thread, median and fastest of `runs` per layer) on the
/// MobileNet v1/v2 layer shapes, for every C kernel family this CPU runs (the AVX2+FMA set
/// is forced on AVX-512 hosts). They print figures and assert nothing about time; they run
/// only with `EDGETOP_BENCH=1`:
///
///     EDGETOP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter FloatKernelBenchmarks
final class FloatKernelBenchmarks: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["EDGETOP_BENCH"] == "1", "set EDGETOP_BENCH=1 to run")
    }

    private let runs = 60

    private var families: [(name: String, features: CPUFeatures)] {
        floatTestFeatureSets.filter { $0.name != "swift_simd" }
    }

    private static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    /// Times `new` and `old` alternately; returns (median, min) seconds of each.
    private func interleave(_ new: () -> Void, _ old: () -> Void) -> (new: (Double, Double), old: (Double, Double)) {
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        for _ in 0..<3 { new(); old() }
        var a: [Double] = [], b: [Double] = []
        for _ in 0..<runs {
            var t = clock.now; new(); a.append(seconds(clock.now - t))
            t = clock.now; old(); b.append(seconds(clock.now - t))
        }
        return ((Self.median(a), a.min()!), (Self.median(b), b.min()!))
    }

    private func line(_ label: String, macs: Int, _ r: (new: (Double, Double), old: (Double, Double))) {
        let g = { (t: Double) in Double(macs) / t / 1e9 }
        print(String(format: "%@ new %7.1f us %5.1f GMAC/s (min %5.1f)  old %7.1f us %5.1f GMAC/s (min %5.1f)  old/new %.2fx (min %.2fx)",
                     label, r.new.0 * 1e6, g(r.new.0), g(r.new.1), r.old.0 * 1e6, g(r.old.0), g(r.old.1),
                     r.old.0 / r.new.0, r.old.1 / r.new.1))
    }

    /// A convolution with TensorFlow SAME padding (stride 2 pads only bottom and right).
    private func convolution(h: Int, w: Int, inC: Int, outC: Int, k: Int, stride: Int, groups: Int,
                             features: CPUFeatures) -> FConvolution {
        var rng = SplitMix64(seed: 77)
        let total = max(k - stride, 0)
        let (before, after) = stride == 1 ? (total / 2, total - total / 2) : (0, total)
        return FConvolution(inputChannels: inC, outputChannels: outC, kernelHeight: k, kernelWidth: k,
                            strideHeight: stride, strideWidth: stride, padTop: before, padLeft: before,
                            padBottom: after, padRight: after, groups: groups,
                            weights: rng.floats(outC * k * k * inC / groups).map { $0 * 0.2 },
                            bias: rng.floats(outC), outputMin: 0, outputMax: 6, features: features)
    }

    private func buffers(_ input: Int, _ output: Int, _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        var rng = SplitMix64(seed: 78)
        let x = rng.floats(input)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: output)
        y.initialize(repeating: 0, count: output)
        defer { y.deallocate() }
        x.withUnsafeBufferPointer { body($0.baseAddress!, y) }
    }

    func testDepthwiseRowKernelVersusIndirectionKernel() {
        let pool = ThreadPool(threads: 1)
        // (input size, channels, stride) of MobileNet v1 and v2's depthwise layers.
        let shapes = [(112, 32, 1), (112, 64, 2), (56, 128, 1), (56, 128, 2), (28, 256, 1), (28, 256, 2),
                      (14, 512, 1), (14, 512, 2), (7, 1024, 1),
                      (112, 96, 2), (56, 144, 1), (56, 144, 2), (28, 192, 1), (28, 192, 2), (14, 384, 1),
                      (14, 576, 1), (14, 576, 2), (7, 960, 1)]
        for (name, features) in families {
            print("\ndepthwise 3x3, \(name): f32_dwconv3x3_row (new) against the indirection kernel up*x9 (old)")
            var newTotal = 0.0, oldTotal = 0.0
            for (size, c, s) in shapes {
                let conv = convolution(h: size, w: size, inC: c, outC: c, k: 3, stride: s, groups: c, features: features)
                let (oh, ow) = conv.outputSize(inputHeight: size, inputWidth: size)
                buffers(size * size * c, oh * ow * c) { x, y in
                    let r = interleave(
                        { conv.runDepthwise(input: x, inputHeight: size, inputWidth: size, output: y, pool: pool) },
                        { conv.runDepthwise(input: x, inputHeight: size, inputWidth: size, output: y, pool: pool,
                                            rowKernel: false) })
                    newTotal += r.new.0; oldTotal += r.old.0
                    line(String(format: "%4dx%-4dx%-5d s%d", size, size, c, s), macs: conv.macs(inputHeight: size, inputWidth: size), r)
                }
            }
            print(String(format: "depthwise total (sum of medians), \(name): new %.3f ms, old %.3f ms, old/new %.2fx",
                         newTotal * 1e3, oldTotal * 1e3, oldTotal / newTotal))
        }
    }

    /// The AVX2 depthwise row kernels on MobileNet's layer shapes: the 16-channel one (new)
    /// against the 8-channel one it replaced (old), called row by row as the operator does,
    /// input and output page-aligned as the plan's buffers are (their 4 KiB offsets alias).
    func testAVX2DepthwiseRowKernel16cVersus8c() throws {
        #if arch(x86_64)
        try XCTSkipUnless(CPUFeatures.host.hasAVX2FMA, "this CPU has no AVX2+FMA")
        let shapes = [(112, 32, 1), (112, 64, 2), (56, 128, 1), (56, 128, 2), (28, 256, 1), (28, 256, 2),
                      (14, 512, 1), (14, 512, 2), (7, 1024, 1),
                      (112, 96, 2), (56, 144, 1), (56, 144, 2), (28, 192, 1), (28, 192, 2), (14, 384, 1),
                      (14, 576, 1), (14, 576, 2), (7, 960, 1)]
        print("\ndepthwise 3x3 rows, avx2_fma: f32_dwconv3x3_row_minmax_ukernel_16c (new) against _8c (old)")
        var newTotal = 0.0, oldTotal = 0.0
        var rng = SplitMix64(seed: 79)
        for (size, c, s) in shapes {
            // TensorFlow SAME: stride 1 pads one pixel each side, stride 2 only bottom/right.
            let pad = s == 1 ? 1 : 0, outSize = s == 1 ? size : size / 2
            let (packed, _) = FConvolution.packDepthwise(weights: rng.floats(c * 9).map { $0 * 0.2 },
                                                         bias: rng.floats(c), channels: c, taps: 9, block: 8)
            let bytes = (size * size * c * 4 + 4095) / 4096 * 4096
            let x = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 4096).bindMemory(to: Float.self, capacity: bytes / 4)
            let y = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 4096).bindMemory(to: Float.self, capacity: bytes / 4)
            let zero = UnsafeMutablePointer<Float>.allocate(capacity: c + 16)
            defer { x.deallocate(); y.deallocate(); zero.deallocate() }
            let input = rng.floats(size * size * c)
            x.update(from: input, count: input.count)
            y.initialize(repeating: 0, count: bytes / 4)
            zero.initialize(repeating: 0, count: c + 16)
            func run(_ kernel: F32DepthwiseRowFunction) {
                var rows: [UnsafePointer<Float>?] = [nil, nil, nil]
                rows.withUnsafeMutableBufferPointer { r in
                    for oy in 0..<outSize {
                        for ky in 0..<3 {
                            let iy = oy * s - pad + ky
                            r[ky] = iy >= 0 && iy < size ? UnsafePointer(x + iy * size * c) : nil
                        }
                        kernel(c, outSize, size, s, pad, r.baseAddress, zero, packed.pointer, y + oy * outSize * c, 0, 6)
                    }
                }
            }
            let r = interleave({ run(f32_dwconv3x3_row_minmax_ukernel_16c__avx2_fma) },
                               { run(f32_dwconv3x3_row_minmax_ukernel_8c__avx2_fma) })
            newTotal += r.new.0; oldTotal += r.old.0
            line(String(format: "%4dx%-4dx%-5d s%d", size, size, c, s), macs: outSize * outSize * c * 9, r)
        }
        print(String(format: "depthwise rows total (sum of medians), avx2_fma: new %.3f ms, old %.3f ms, old/new %.2fx",
                     newTotal * 1e3, oldTotal * 1e3, oldTotal / newTotal))
        #else
        throw XCTSkip("x86-64 only")
        #endif
    }

    func testIndirectGemmVersusPatchGemm() {
        let pool = ThreadPool(threads: 1)
        // MobileNet's stem, ResNet-18's stem and its 3x3 stride-2 layers.
        let shapes = [(224, 3, 32, 3, 2), (224, 3, 64, 7, 2), (56, 64, 128, 3, 2), (28, 128, 256, 3, 2), (14, 256, 512, 3, 2)]
        for (name, features) in families {
            print("\nimplicit GEMM, \(name): indirect rows (new) against copied patches (old)")
            for (size, inC, outC, k, s) in shapes {
                let conv = convolution(h: size, w: size, inC: inC, outC: outC, k: k, stride: s, groups: 1, features: features)
                XCTAssertEqual(conv.algorithm, .implicitGemm)
                let (oh, ow) = conv.outputSize(inputHeight: size, inputWidth: size)
                buffers(size * size * inC, oh * ow * outC) { x, y in
                    let r = interleave(
                        { conv.runImplicitGemm(input: x, inputHeight: size, inputWidth: size, output: y, pool: pool) },
                        { conv.runImplicitGemm(input: x, inputHeight: size, inputWidth: size, output: y, pool: pool,
                                               indirect: false) })
                    line(String(format: "%4dx%-4dx%-4d->%-4d k%ds%d", size, size, inC, outC, k, s),
                         macs: conv.macs(inputHeight: size, inputWidth: size), r)
                }
            }
        }
    }
}
