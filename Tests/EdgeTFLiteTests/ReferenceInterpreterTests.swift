import EdgeTFLite
import XCTest

/// The reference interpreter: TFLite's fixed-point arithmetic on known values, and whole
/// real models against LiteRT's output bytes (written by scripts/tflite-reference.py).
final class ReferenceInterpreterTests: XCTestCase {
    func testQuantizeMultiplierAndDoubleRounding() {
        let half = QuantizedMultiplier(0.5)
        XCTAssertEqual(half.multiplier, 1 << 30)
        XCTAssertEqual(half.shift, 0)
        let m = QuantizedMultiplier(0.000123)
        XCTAssertEqual(m.shift, -12)                       // 0.000123 = 0.5038 * 2^-12
        XCTAssertEqual(m.multiplier, 1_081_919_442)        // round(0.503808 * 2^31 = 1081919441.73)
        XCTAssertEqual(QuantizedMultiplier(2.5).shift, 2)
        XCTAssertEqual(roundingDivideByPOT(5, 1), 3)       // 2.5 rounds away from zero
        XCTAssertEqual(roundingDivideByPOT(-5, 1), -3)
        XCTAssertEqual(roundingDivideByPOT(-6, 2), -2)     // -1.5 → -2
        XCTAssertEqual(roundingDivideByPOT(6, 2), 2)
        XCTAssertEqual(saturatingRoundingDoublingHighMul(.min, .min), .max)
        XCTAssertEqual(saturatingRoundingDoublingHighMul(1 << 30, 1 << 30), 1 << 29)
        XCTAssertEqual(saturatingRoundingDoublingHighMul(-3, 1 << 30), -1)  // the nudge 1 - 2^30 takes -1.5 to -1
        XCTAssertEqual(saturatingRoundingDoublingHighMul(3, 1 << 30), 2)    // and 1.5 to 2
        // 0.25 is 2^30 * 2^-1: the high multiply halves exactly, the divide by 2 rounds away.
        XCTAssertEqual(QuantizedMultiplier(0.25).apply(6), 2)   // 1.5 → 2
        XCTAssertEqual(QuantizedMultiplier(0.25).apply(-6), -2) // -1.5 → -2
        // Two roundings are not one: 0.3 is 0.6 * 2^-1, SRDHM rounds 0.6 up to 1, and the
        // divide by 2 rounds 0.5 away from zero, so 1 * 0.3 gives 1, not 0.
        XCTAssertEqual(QuantizedMultiplier(0.3).apply(1), 1)
        XCTAssertEqual(QuantizedMultiplier(0.0123).apply(203), 3)  // 2.4969 in reals
        XCTAssertEqual(QuantizedMultiplier(0.7).apply(45), 32)     // 31.4999...
    }

    /// Input and expected output bytes from LiteRT, or a skip saying how to get them.
    private func reference(_ name: String, _ k: Int, file: StaticString = #filePath) throws -> (input: [UInt8], output: [UInt8]) {
        let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("../../.models/ref").standardized
        let i = dir.appendingPathComponent("\(name).in\(k).bin"), o = dir.appendingPathComponent("\(name).out\(k).bin")
        guard let input = try? Data(contentsOf: i), let output = try? Data(contentsOf: o) else {
            throw XCTSkip("\(i.path) is missing; run scripts/fetch-models.sh (CI does) to write LiteRT's reference outputs")
        }
        return ([UInt8](input), [UInt8](output))
    }

    func testEfficientNetLite0Int8AgainstLiteRT() throws {
        let model = try TFLiteModel.read(path: try fetchedModel("efficientnet_lite0.tflite"))
        for mode in ReferenceInterpreter.Requantization.allCases {
            let interpreter = try ReferenceInterpreter(model: model, requantization: mode)
            for k in 0..<2 {
                let (input, expected) = try reference("efficientnet_lite0", k)
                let got = try interpreter.run(input: input)
                XCTAssertEqual(got.count, expected.count)
                let same = zip(got, expected).filter { $0 == $1 }.count
                let worst = zip(got, expected).map { abs(Int($0) - Int($1)) }.max() ?? 0
                let top = { (v: [UInt8]) in v.indices.max { v[$0] < v[$1] }! }
                print("efficientnet_lite0 input \(k) \(mode): \(same)/\(got.count) bytes identical, largest difference \(worst), top-1 \(top(got)) vs LiteRT \(top(expected))")
                XCTAssertEqual(top(got), top(expected))
                XCTAssertLessThanOrEqual(worst, 1)
                // LiteRT runs every layer but SOFTMAX and the last QUANTIZE in XNNPACK, which
                // requantizes in fp32; that arithmetic is the one expected to come closest.
                if mode == .fp32 { XCTAssertGreaterThanOrEqual(same, 990) }
            }
        }
    }

    func testDeepLabV3Fp32AgainstLiteRT() throws {
        let model = try TFLiteModel.read(path: try fetchedModel("deeplabv3.tflite"))
        let interpreter = try ReferenceInterpreter(model: model)
        let (input, expectedBytes) = try reference("deeplabv3", 0)
        let got = floats(try interpreter.run(input: input)), expected = floats(expectedBytes)
        XCTAssertEqual(got.count, expected.count)
        let largest = expected.map(abs).max() ?? 0
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
        var agree = 0
        let classes = 21
        for p in 0..<(got.count / classes) {
            let s = p * classes
            let a = (s..<(s + classes)).max { got[$0] < got[$1] }!, b = (s..<(s + classes)).max { expected[$0] < expected[$1] }!
            if a == b { agree += 1 }
        }
        let share = Double(agree) / Double(got.count / classes)
        print("deeplabv3 fp32: largest difference \(worst) of largest magnitude \(largest) (\(worst / largest)), argmax agrees on \(agree)/\(got.count / classes) pixels")
        XCTAssertLessThanOrEqual(worst, 1e-4 * largest)
        XCTAssertGreaterThanOrEqual(share, 0.999)
    }

    private func floats(_ b: [UInt8]) -> [Float] {
        stride(from: 0, to: b.count, by: 4).map {
            Float(bitPattern: UInt32(b[$0]) | UInt32(b[$0 + 1]) << 8 | UInt32(b[$0 + 2]) << 16 | UInt32(b[$0 + 3]) << 24)
        }
    }
}

