import XCTest
import EdgeCore
@testable import EdgeKernels

/// FFullyConnected, FGlobalAveragePool, FMaxPool and FAdd against the reference.
final class FOperatorTests: XCTestCase {
    func testFullyConnectedShapesAndBatches() {
        var rng = SplitMix64(seed: 300)
        let pool = ThreadPool(threads: 1)
        for inC in [1, 7, 64, 300] {
            for outC in [1, 5, 16, 33, 257] {
                for batch in [1, 3, 8] {
                    let input = rng.floats(batch * inC), weights = rng.floats(inC * outC), bias = rng.floats(outC)
                    var expected: [Float] = []
                    for b in 0..<batch {
                        expected += Reference.fullyConnected(input: Array(input[(b * inC)..<((b + 1) * inC)]),
                                                             inputChannels: inC, outputChannels: outC,
                                                             weights: weights, bias: bias, outputMin: -0.5, outputMax: 2)
                    }
                    for (name, features) in floatTestFeatureSets {
                        let fc = FFullyConnected(inputChannels: inC, outputChannels: outC, weights: weights, bias: bias,
                                                 outputMin: -0.5, outputMax: 2, features: features)
                        let actual = withCanaryOutput(count: batch * outC) { out in
                            fc.run(input: input, output: out, batch: batch, pool: pool)
                        }
                        XCTAssertLessThanOrEqual(relativeToMaxError(actual, expected), 1e-5,
                                                 "\(name) \(inC)->\(outC) batch \(batch)")
                        // Split over threads, each tile still runs the same kernel call: identical floats.
                        for threads in ThreadPool.testPools.dropFirst() {
                            let split = withCanaryOutput(count: batch * outC) { out in
                                fc.run(input: input, output: out, batch: batch, pool: threads)
                            }
                            XCTAssertEqual(split, actual, "\(name) \(inC)->\(outC) batch \(batch), \(threads.threads) threads")
                        }
                    }
                }
            }
        }
    }

    func testGlobalAveragePool() {
        var rng = SplitMix64(seed: 301)
        let pool = ThreadPool(threads: 2)
        for (h, w, c) in [(1, 1, 1), (7, 7, 1024), (3, 5, 13), (2, 2, 130)] {
            let input = rng.floats(h * w * c)
            let expected = Reference.globalAveragePool(input: input, height: h, width: w, channels: c, outputMin: -0.1)
            let op = FGlobalAveragePool(channels: c, outputMin: -0.1)
            let actual = withCanaryOutput(count: c) { op.run(input: input, height: h, width: w, output: $0, pool: pool) }
            XCTAssertLessThanOrEqual(relativeToMaxError(actual, expected), 1e-5, "\(h)x\(w)x\(c)")
        }
    }

    func testMaxPoolMatchesTheReferenceExactly() {
        var rng = SplitMix64(seed: 303)
        let pool = ThreadPool(threads: 2)
        // (h, w, c, kernel, stride, pad): ResNet's 3x3 s2 p1, odd channels, 2x2 s2, asymmetric pad.
        for (h, w, c, k, s, p) in [(12, 12, 64, 3, 2, 1), (7, 9, 13, 3, 2, 1), (8, 8, 5, 2, 2, 0), (5, 6, 9, 3, 1, 2)] {
            let input = rng.floats(h * w * c)
            let expected = Reference.maxPool(input: input, inputHeight: h, inputWidth: w, channels: c,
                                             poolHeight: k, poolWidth: k, strideHeight: s, strideWidth: s,
                                             padTop: p, padLeft: p, padBottom: p, padRight: p, outputMax: 0.9)
            let op = FMaxPool(channels: c, poolHeight: k, poolWidth: k, strideHeight: s, strideWidth: s,
                              padTop: p, padLeft: p, padBottom: p, padRight: p, outputMax: 0.9)
            let (oh, ow) = op.outputSize(inputHeight: h, inputWidth: w)
            XCTAssertEqual(oh * ow * c, expected.count)
            let actual = withCanaryOutput(count: expected.count) {
                op.run(input: input, inputHeight: h, inputWidth: w, output: $0, pool: pool)
            }
            // A maximum selects one of its inputs: no rounding, so the results are identical.
            XCTAssertEqual(actual, expected, "\(h)x\(w)x\(c) k\(k) s\(s) p\(p)")
        }
    }

    func testAddIsExactAndClamps() {
        var rng = SplitMix64(seed: 302)
        let pool = ThreadPool(threads: 2)
        for count in [1, 7, 8, 9, 40_000] {
            let a = rng.floats(count), b = rng.floats(count)
            let expected = Reference.add(a, b, outputMin: -0.75, outputMax: 0.75)
            let actual = withCanaryOutput(count: count) { FAdd(outputMin: -0.75, outputMax: 0.75).run(a, b, output: $0, count: count, pool: pool) }
            // One fp32 addition per element: the result must be bit-identical.
            XCTAssertEqual(actual, expected, "count \(count)")
        }
    }
}
