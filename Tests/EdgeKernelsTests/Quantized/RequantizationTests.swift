import XCTest
import EdgeCore
import EdgeKernels

/// The fp32 requantization rule: exact powers of two, every tie direction, clamps; scalar,
/// SIMD and C kernel paths.
final class RequantizationTests: XCTestCase {
    let rq = QRequantization(zeroPoint: 128, outputMin: 0, outputMax: 255)

    func testTiesRoundToEvenInEveryDirection() {
        // acc * 0.5 lands exactly on .5: positive ties down and up, negative ties down and up.
        let cases: [(acc: Int32, out: UInt8)] = [
            (1, 128), (3, 130), (5, 130), (7, 132), (9, 132),          // 0.5→0, 1.5→2, 2.5→2, 3.5→4, 4.5→4
            (-1, 128), (-3, 126), (-5, 126), (-7, 124), (-9, 124),     // -0.5→0, -1.5→-2, -2.5→-2, -3.5→-4, -4.5→-4
        ]
        for (acc, out) in cases {
            XCTAssertEqual(rq.requantize(acc, scale: 0.5), out, "acc \(acc)")
        }
        // Just off the tie goes to the nearer integer either way.
        XCTAssertEqual(rq.requantize(5, scale: 0.5000001), 131)
        XCTAssertEqual(rq.requantize(5, scale: 0.4999999), 130)
        XCTAssertEqual(rq.requantize(-5, scale: 0.5000001), 125)
    }

    func testExactPowersOfTwo() {
        for e in 0..<24 {
            let scale = Float(sign: .plus, exponent: -e, significand: 1)
            for j in Int32(-128)...127 {
                let acc = j << e
                XCTAssertEqual(rq.requantize(acc, scale: scale), UInt8(j + 128), "2^-\(e) * \(acc)")
                if e > 0 {
                    // Halfway between j and j+1: the even one wins.
                    let tie = acc + (1 << (e - 1))
                    let even = j % 2 == 0 ? j : j + 1
                    XCTAssertEqual(rq.requantize(tie, scale: scale), UInt8(clamping: even + 128), "2^-\(e) * \(tie)")
                }
            }
        }
    }

    func testClampsAndLargeValues() {
        let relu6 = QRequantization(zeroPoint: 10, outputMin: 10, outputMax: 70)
        XCTAssertEqual(relu6.requantize(-1000, scale: 1), 10)
        XCTAssertEqual(relu6.requantize(1000, scale: 1), 70)
        XCTAssertEqual(relu6.requantize(30, scale: 1), 40)
        XCTAssertEqual(rq.requantize(.max, scale: 1), 255)
        XCTAssertEqual(rq.requantize(.min, scale: 1), 0)
        XCTAssertEqual(rq.requantize(.max, scale: 1e-9), 130)   // 2.147 → 2
        XCTAssertEqual(rq.requantize(300, scale: 3), 255)       // multipliers ≥ 1 are allowed
    }

    func testSIMDMatchesScalar() {
        var rng = SplitMix64(seed: 3)
        let rule = QRequantization(zeroPoint: 77, outputMin: 5, outputMax: 250)
        for _ in 0..<2000 {
            let acc = SIMD16<Int32>((0..<16).map { _ in Int32.random(in: -2_000_000...2_000_000, using: &rng) })
            let scale = SIMD16<Float>((0..<16).map { _ in Float.random(in: 1e-5...1e-3, using: &rng) })
            let v = rule.requantize(acc, scale: scale)
            for i in 0..<16 { XCTAssertEqual(v[i], rule.requantize(acc[i], scale: scale[i])) }
        }
    }

    /// The C kernels requantize in their own code: drive them with accumulators that are
    /// exact ties. One input channel of value 0 (zero point 0) makes acc = bias exactly.
    func testKernelsRoundTiesToEven() {
        let biases: [Int32] = [1, 3, 5, 7, -1, -3, -5, -7, 2, -2, 255, -255, 1_000_001, -1_000_001]
        let expected: [UInt8] = [128, 130, 130, 132, 128, 126, 126, 124, 129, 127, 255, 0, 255, 0]
        for features in [CPUFeatures.portable, CPUFeatures.host] {
            for rows in [1, 5] {
                let fc = QFullyConnected(inputChannels: 1, outputChannels: biases.count,
                                         weights: [Int8](repeating: 1, count: biases.count), weightScales: [0.5], bias: biases,
                                         input: QuantizationParams(scale: 1, zeroPoint: 0),
                                         output: QuantizationParams(scale: 1, zeroPoint: 128), features: features)
                let input = [UInt8](repeating: 0, count: rows)
                var out = [UInt8](repeating: 0, count: rows * biases.count)
                out.withUnsafeMutableBufferPointer { fc.run(input: input, rows: rows, output: $0.baseAddress!, pool: ThreadPool(threads: 1)) }
                for r in 0..<rows {
                    XCTAssertEqual(Array(out[(r * biases.count)..<((r + 1) * biases.count)]), expected, fc.kernelName)
                }
            }
            // The depthwise kernels: one tap, one pixel, input at its zero point.
            let dw = QConvolution(inputChannels: biases.count, outputChannels: biases.count, kernelHeight: 1, kernelWidth: 1,
                                  strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0,
                                  groups: biases.count, weights: [Int8](repeating: 3, count: biases.count), weightScales: [0.5],
                                  bias: biases, input: QuantizationParams(scale: 1, zeroPoint: 200),
                                  output: QuantizationParams(scale: 1, zeroPoint: 128), features: features)
            let input = [UInt8](repeating: 200, count: biases.count)
            var out = [UInt8](repeating: 0, count: biases.count)
            out.withUnsafeMutableBufferPointer { dw.run(input: input, inputHeight: 1, inputWidth: 1, output: $0.baseAddress!, pool: ThreadPool(threads: 1)) }
            XCTAssertEqual(out, expected, dw.kernelName)
        }
    }
}
