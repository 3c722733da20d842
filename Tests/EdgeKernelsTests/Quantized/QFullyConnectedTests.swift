import XCTest
import EdgeCore
import EdgeKernels

/// Fully connected layers against the reference: portable, host and (where the CPU allows) AVX2 kernels.
final class QFullyConnectedTests: XCTestCase {
    func check(rows: Int, inputs: Int, outputs: Int, zin: UInt8 = 128, zout: UInt8 = 128,
               clamp: (UInt8, UInt8) = (0, 255), seed: UInt64 = 1, line: UInt = #line) {
        var rng = SplitMix64(seed: seed)
        let input = rng.bytes(rows * inputs), weights = rng.int8s(outputs * inputs)
        let bias = rng.int32s(outputs, in: -5000...5000), scales = rng.floats(outputs, in: 0.002...0.008)
        let ip = QuantizationParams(scale: 0.03, zeroPoint: zin)
        let op = QuantizationParams(scale: 0.03 * 0.005 * 5476 * Float(inputs).squareRoot() / 60, zeroPoint: zout)
        let expected = QReference.fullyConnected(input: input, rows: rows, inputChannels: inputs, outputChannels: outputs,
                                                 weights: weights, weightScales: scales, bias: bias, inputParams: ip,
                                                 outputParams: op, outputMin: clamp.0, outputMax: clamp.1)
        for features in CPUFeatures.quantizedTestFamilies {
            let fc = QFullyConnected(inputChannels: inputs, outputChannels: outputs, weights: weights, weightScales: scales,
                                     bias: bias, input: ip, output: op, outputMin: clamp.0, outputMax: clamp.1,
                                     features: features)
            for pool in ThreadPool.testPools {
                var out = CanaryBuffer(count: rows * outputs)
                out.withTensor { fc.run(input: input, rows: rows, output: $0, pool: pool) }
                XCTAssertTrue(out.guardsIntact, "\(fc.kernelName), \(pool.threads) threads, overran", line: line)
                XCTAssertTrue(out.tensor == expected,
                              "\(fc.kernelName), \(pool.threads) threads: \(firstMismatch(out.tensor, expected))", line: line)
            }
        }
    }

    func testShapes() {
        for rows in [1, 3, 4, 5] {
            for inputs in [1, 3, 4, 5, 64, 100] {
                for outputs in [1, 10, 64, 65] {
                    check(rows: rows, inputs: inputs, outputs: outputs, seed: UInt64(rows * 10000 + inputs * 100 + outputs))
                }
            }
        }
    }

    func testClassifierSizedLayer() {
        check(rows: 1, inputs: 1024, outputs: 1001)
    }

    func testZeroPointsAndClamps() {
        for z: UInt8 in [0, 128, 255] {
            check(rows: 2, inputs: 37, outputs: 70, zin: z, zout: 255 - z)
        }
        check(rows: 2, inputs: 37, outputs: 70, zin: 0, zout: 0, clamp: (0, 100))
    }
}
