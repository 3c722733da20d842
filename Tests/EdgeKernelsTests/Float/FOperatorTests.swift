import XCTest
@testable import EdgeKernels

/// FFullyConnected, FGlobalAveragePool and FAdd against the reference.
final class FOperatorTests: XCTestCase {
    func testFullyConnectedShapesAndBatches() {
        var rng = FloatTestRandom(seed: 300)
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
                    }
                }
            }
        }
    }

    func testGlobalAveragePool() {
        var rng = FloatTestRandom(seed: 301)
        let pool = ThreadPool(threads: 2)
        for (h, w, c) in [(1, 1, 1), (7, 7, 1024), (3, 5, 13), (2, 2, 130)] {
            let input = rng.floats(h * w * c)
            let expected = Reference.globalAveragePool(input: input, height: h, width: w, channels: c, outputMin: -0.1)
            let op = FGlobalAveragePool(channels: c, outputMin: -0.1)
            let actual = withCanaryOutput(count: c) { op.run(input: input, height: h, width: w, output: $0, pool: pool) }
            XCTAssertLessThanOrEqual(relativeToMaxError(actual, expected), 1e-5, "\(h)x\(w)x\(c)")
        }
    }

    func testAddIsExactAndClamps() {
        var rng = FloatTestRandom(seed: 302)
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
