import XCTest
import EdgeCore
import EdgeKernels

/// Global average pooling and quantized addition against the reference.
final class QPoolingAndAddTests: XCTestCase {
    func testGlobalAveragePool() {
        var rng = SplitMix64(seed: 5)
        for (h, w) in [(1, 1), (7, 7), (3, 5), (14, 14)] {
            for c in [1, 15, 16, 17, 33, 1024] {
                for (zin, zout): (UInt8, UInt8) in [(0, 0), (128, 128), (255, 3)] {
                    let input = rng.bytes(h * w * c)
                    let ip = QuantizationParams(scale: 0.05, zeroPoint: zin), op = QuantizationParams(scale: 0.04, zeroPoint: zout)
                    let expected = QReference.globalAveragePool(input: input, height: h, width: w, channels: c,
                                                                inputParams: ip, outputParams: op, outputMin: 0, outputMax: 255)
                    let pool = QGlobalAveragePool(channels: c, input: ip, output: op)
                    for threads in ThreadPool.testPools {
                        var out = CanaryBuffer(count: c)
                        out.withTensor { pool.run(input: input, height: h, width: w, output: $0, pool: threads) }
                        XCTAssertTrue(out.guardsIntact)
                        XCTAssertTrue(out.tensor == expected,
                                      "\(h)x\(w)x\(c), \(threads.threads) threads: \(firstMismatch(out.tensor, expected))")
                    }
                }
            }
        }
    }

    func testGlobalAveragePoolOfAConstantIsThatConstant() {
        // Same scale and zero point in and out: the mean of a constant image is the constant.
        let p = QuantizationParams(scale: 0.1, zeroPoint: 50)
        let pool = QGlobalAveragePool(channels: 3, input: p, output: p)
        let input = [UInt8](repeating: 0, count: 7 * 7 * 3).enumerated().map { UInt8(60 + $0.offset % 3) }
        var out = [UInt8](repeating: 0, count: 3)
        out.withUnsafeMutableBufferPointer { pool.run(input: input, height: 7, width: 7, output: $0.baseAddress!, pool: ThreadPool(threads: 1)) }
        XCTAssertEqual(out, [60, 61, 62])
    }

    func testAdd() {
        var rng = SplitMix64(seed: 6)
        // Past 16 Ki elements the work is split in parts, unevenly over two and three threads.
        for count in [1, 15, 16, 17, 4095, 4096, 4097, 10_000, 16_384 * 3 + 5] {
            for (za, zb, zo): (UInt8, UInt8, UInt8) in [(0, 0, 0), (128, 128, 128), (255, 10, 200), (3, 255, 0)] {
                let a = rng.bytes(count), b = rng.bytes(count)
                let ap = QuantizationParams(scale: 0.07, zeroPoint: za), bp = QuantizationParams(scale: 0.03, zeroPoint: zb)
                let op = QuantizationParams(scale: 0.09, zeroPoint: zo)
                let expected = QReference.add(a: a, aParams: ap, b: b, bParams: bp, outputParams: op, outputMin: 0, outputMax: 255)
                XCTAssertGreaterThan(Set(expected).count, min(count, 20) / 2, "degenerate data")
                for features in [CPUFeatures.portable, CPUFeatures.host] {
                    let add = QAdd(a: ap, b: bp, output: op, features: features)
                    for pool in ThreadPool.testPools {
                        var out = CanaryBuffer(count: count)
                        out.withTensor { add.run(a: a, b: b, count: count, output: $0, pool: pool) }
                        XCTAssertTrue(out.guardsIntact, add.kernelName)
                        XCTAssertTrue(out.tensor == expected,
                                      "\(add.kernelName) count \(count), \(pool.threads) threads: \(firstMismatch(out.tensor, expected))")
                    }
                }
            }
        }
    }

    func testAddRoundsTiesToEvenAndClamps() {
        // (a - 0)·0.5 + 0: every odd a is a tie.
        // (a - 0)·0.5 + (b - 100)·1: ties in both directions around zero, then the clamp.
        let a: [UInt8] = [1, 3, 5, 0, 9, 1, 3, 5, 7, 0], b: [UInt8] = [100, 100, 100, 100, 100, 99, 97, 96, 94, 0]
        for features in [CPUFeatures.portable, CPUFeatures.host] {
            let add = QAdd(a: QuantizationParams(scale: 0.5, zeroPoint: 0), b: QuantizationParams(scale: 1, zeroPoint: 100),
                           output: QuantizationParams(scale: 1, zeroPoint: 100), outputMin: 95, outputMax: 102, features: features)
            var out = [UInt8](repeating: 0, count: a.count)
            out.withUnsafeMutableBufferPointer { add.run(a: a, b: b, count: a.count, output: $0.baseAddress!, pool: ThreadPool(threads: 1)) }
            // 0.5→0, 1.5→2, 2.5→2, 0, 4.5→4 (clamped to 2); -0.5→0, -1.5→-2, -1.5→-2, -2.5→-2, -100 (clamped to -5).
            XCTAssertEqual(out, [100, 102, 102, 100, 102, 100, 98, 98, 98, 95], add.kernelName)
        }
    }
}
