import XCTest
import EdgeCore
@testable import EdgeKernels

/// The banded expansion (1x1 or a 3x3 stride-2 stem) + depthwise against the two layers run
/// one after the other: the same bits for every kernel family with a row kernel, over
/// strides, vertical padding, odd heights and channel counts, and rings from one band row
/// (every band wraps) to the whole image (one band).
final class FExpandDepthwiseTests: XCTestCase {
    private struct Case {
        var height: Int, width: Int, inC: Int, channels: Int, stride: Int
        var padTop: Int, padBottom: Int
        var clamp: (Float, Float) = (-.infinity, .infinity)
        /// A 3x3 stride-2 stem (indirect GEMM) with these top/bottom pads instead of a 1x1 expansion.
        var stem: (top: Int, bottom: Int)? = nil
    }

    private let cases: [Case] = [
        Case(height: 11, width: 9, inC: 5, channels: 24, stride: 1, padTop: 1, padBottom: 1),
        Case(height: 12, width: 10, inC: 3, channels: 40, stride: 2, padTop: 0, padBottom: 1),
        Case(height: 13, width: 7, inC: 16, channels: 20, stride: 2, padTop: 1, padBottom: 1, clamp: (0, 6)),
        Case(height: 9, width: 12, inC: 7, channels: 33, stride: 1, padTop: 0, padBottom: 0),
        Case(height: 5, width: 6, inC: 9, channels: 96, stride: 2, padTop: 1, padBottom: 1, clamp: (-0.5, 0.5)),
        Case(height: 22, width: 18, inC: 3, channels: 32, stride: 1, padTop: 1, padBottom: 1, stem: (0, 1)),
        Case(height: 23, width: 17, inC: 3, channels: 24, stride: 2, padTop: 0, padBottom: 1, clamp: (0, 6), stem: (1, 1)),
    ]

    func testBandsGiveTheBitsOfTheUnfusedLayers() throws {
        var ran = 0
        for (name, features) in floatTestFeatureSets {
            var seed: UInt64 = 900
            for c in cases {
                seed += 1
                var rng = SplitMix64(seed: seed)
                let k = c.stem == nil ? 1 : 3, s = c.stem == nil ? 1 : 2
                let expand = FConvolution(inputChannels: c.inC, outputChannels: c.channels, kernelHeight: k, kernelWidth: k,
                                          strideHeight: s, strideWidth: s, padTop: c.stem?.top ?? 0,
                                          padLeft: c.stem?.top ?? 0, padBottom: c.stem?.bottom ?? 0,
                                          padRight: c.stem?.bottom ?? 0, weights: rng.floats(c.channels * k * k * c.inC),
                                          bias: rng.floats(c.channels), outputMin: c.clamp.0, outputMax: c.clamp.1,
                                          features: features)
                XCTAssertEqual(expand.algorithm, c.stem == nil ? .gemm : .implicitGemm)
                let (midH, midW) = expand.outputSize(inputHeight: c.height, inputWidth: c.width)
                let depthwise = FConvolution(inputChannels: c.channels, outputChannels: c.channels, kernelHeight: 3,
                                             kernelWidth: 3, strideHeight: c.stride, strideWidth: c.stride,
                                             padTop: c.padTop, padLeft: 1, padBottom: c.padBottom, padRight: 1,
                                             groups: c.channels, weights: rng.floats(c.channels * 9),
                                             bias: rng.floats(c.channels), outputMin: c.clamp.0, outputMax: c.clamp.1,
                                             features: features)
                let input = rng.floats(c.height * c.width * c.inC)
                let (outH, outW) = depthwise.outputSize(inputHeight: midH, inputWidth: midW)
                let outCount = outH * outW * c.channels
                // Unfused: expansion to a full tensor, then the depthwise.
                var expanded = [Float](repeating: 0, count: midH * midW * c.channels)
                var want = [Float](repeating: 0, count: outCount)
                let pool = ThreadPool(threads: 1)
                input.withUnsafeBufferPointer { i in
                    expanded.withUnsafeMutableBufferPointer { e in
                        expand.run(input: i.baseAddress!, inputHeight: c.height, inputWidth: c.width,
                                   output: e.baseAddress!, pool: pool)
                    }
                }
                expanded.withUnsafeBufferPointer { e in
                    want.withUnsafeMutableBufferPointer { o in
                        depthwise.run(input: e.baseAddress!, inputHeight: midH, inputWidth: midW,
                                      output: o.baseAddress!, pool: pool)
                    }
                }
                let rowBytes = midW * c.channels * 4
                // Ring budgets: under 3 rows (one-row bands), 7 rows (bands that wrap unevenly),
                // the whole image (one band); each planned for 1, 2 and 4 threads (one segment per
                // thread, each after the first starting mid-image), and run on 1 and on 2 threads.
                // (A plan for 4 run on 2 threads is how several segments land on one thread.)
                let budgets = [1, 7 * rowBytes, midH * rowBytes + 3 * rowBytes]
                for (ringBytes, planned) in budgets.flatMap({ r in [(r, 1), (r, 2), (r, 4)] }) {
                    guard let pair = FExpandDepthwise.fuse(expand: expand, depthwise: depthwise, inputHeight: c.height,
                                                           inputWidth: c.width, threads: planned, minimumBytes: 0,
                                                           ringBytes: ringBytes)
                    else {
                        XCTAssertNil(depthwise.depthwiseRowKernel, "\(name): no fusion although the row kernel fits")
                        continue
                    }
                    XCTAssertEqual(pair.ringRows, (pair.bandRows - 1) * c.stride + 3)
                    XCTAssertEqual(pair.segments, planned)
                    for threads in [1, 2] {
                        let pool = ThreadPool(threads: threads)
                        input.withUnsafeBufferPointer { i in
                            _ = withCanaryOutput(count: outCount) { out in
                                pair.run(input: i.baseAddress!, output: out, pool: pool)
                                for j in 0..<outCount where out[j].bitPattern != want[j].bitPattern {
                                    XCTFail("\(name) \(c.height)x\(c.width)x\(c.inC)->\(c.channels) k\(k) s\(c.stride) "
                                            + "pad \(c.padTop)/\(c.padBottom) ring \(pair.ringRows) rows, "
                                            + "\(pair.segments) segments, "
                                            + "\(threads) threads: value \(j) is \(out[j]), unfused \(want[j])")
                                    break
                                }
                            }
                        }
                        ran += 1
                    }
                }
            }
        }
        if ran == 0 { throw XCTSkip("no kernel family on this CPU has the depthwise row kernel") }
    }

    func testSmallTensorsAndOtherShapesAreNotFused() {
        var rng = SplitMix64(seed: 950)
        let expand = FConvolution(inputChannels: 4, outputChannels: 16, kernelHeight: 1, kernelWidth: 1,
                                  weights: rng.floats(64), bias: rng.floats(16))
        let depthwise = FConvolution(inputChannels: 16, outputChannels: 16, kernelHeight: 3, kernelWidth: 3,
                                     padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, groups: 16,
                                     weights: rng.floats(144), bias: rng.floats(16))
        // 8x8x16 floats are 4 KiB: they stay in cache, so the layers run unfused.
        XCTAssertNil(FExpandDepthwise.fuse(expand: expand, depthwise: depthwise, inputHeight: 8, inputWidth: 8))
        // 128x128x16 floats are 1 MiB: banded on one thread, but on two each core's half
        // stays in its own L2, and the unfused layers split more finely.
        if depthwise.depthwiseRowKernel != nil {
            XCTAssertNotNil(FExpandDepthwise.fuse(expand: expand, depthwise: depthwise, inputHeight: 128, inputWidth: 128))
            XCTAssertNil(FExpandDepthwise.fuse(expand: expand, depthwise: depthwise, inputHeight: 128, inputWidth: 128, threads: 2))
            XCTAssertNotNil(FExpandDepthwise.fuse(expand: expand, depthwise: depthwise, inputHeight: 182, inputWidth: 182, threads: 2))
        }
        // A dense 3x3 after the expansion is not a depthwise.
        let dense = FConvolution(inputChannels: 16, outputChannels: 8, kernelHeight: 3, kernelWidth: 3,
                                 weights: rng.floats(8 * 9 * 16), bias: rng.floats(8))
        XCTAssertNil(FExpandDepthwise.fuse(expand: expand, depthwise: dense, inputHeight: 8, inputWidth: 8, minimumBytes: 0))
    }
}
