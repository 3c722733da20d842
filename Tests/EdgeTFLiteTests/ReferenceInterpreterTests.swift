import EdgeInference
import EdgeKernels
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
    private func reference(_ name: String, _ k: Int, variant: String = "", file: StaticString = #filePath) throws -> (input: [UInt8], output: [UInt8]) {
        let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("../../.models/ref").standardized
        let i = dir.appendingPathComponent("\(name).in\(k).bin"), o = dir.appendingPathComponent("\(name)\(variant).out\(k).bin")
        guard let input = try? Data(contentsOf: i), let output = try? Data(contentsOf: o) else {
            throw XCTSkip("\(i.path) is missing; run scripts/fetch-models.sh (CI does) to write LiteRT's reference outputs")
        }
        return ([UInt8](input), [UInt8](output))
    }

    /// Bit-exact: with XNNPACK's arithmetic the output bytes equal LiteRT's default (XNNPACK)
    /// run. TFLite's own kernels (no XNNPACK) are compared with the fixed-point arithmetic
    /// too; they are not yet byte for byte the same (about 99 % of bytes, never more than
    /// one step apart), so that comparison reports its share instead.
    func testEfficientNetLite0Int8IsBitExactWithLiteRT() throws {
        let model = try TFLiteModel.read(path: try fetchedModel("efficientnet_lite0.tflite"))
        for (mode, variant) in [(ReferenceInterpreter.Requantization.xnnpack, ""), (.tflite, ".builtin")] {
            let interpreter = try ReferenceInterpreter(model: model, requantization: mode)
            for k in 0..<2 {
                let (input, expected) = try reference("efficientnet_lite0", k, variant: variant)
                let got = try interpreter.run(input: input)
                let same = zip(got, expected).filter { $0 == $1 }.count
                let worst = zip(got, expected).map { abs(Int($0) - Int($1)) }.max() ?? 0
                XCTAssertEqual(got.count, expected.count)
                print("efficientnet_lite0 input \(k), \(mode) arithmetic against LiteRT\(variant): \(same)/\(expected.count) bytes identical, largest difference \(worst)")
                if mode == .xnnpack {
                    XCTAssertEqual(same, expected.count, "input \(k): largest difference \(worst)")
                } else {
                    XCTAssertGreaterThanOrEqual(same, 980)
                    XCTAssertLessThanOrEqual(worst, 1)
                }
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


/// The interpreter refuses, before running, a model whose tensors do not fit together.
final class InterpreterValidationTests: XCTestCase {
    private func error(_ t: TinyModel) -> String {
        do {
            _ = try ReferenceInterpreter(model: try TFLiteModel(bytes: t.bytes, file: "tiny.tflite"))
            return "no error"
        } catch { return "\(error)" }
    }

    func testTheHandMadeModelRuns() throws {
        let interpreter = try ReferenceInterpreter(model: try TFLiteModel(bytes: TinyModel().bytes, file: "tiny.tflite"))
        let out = try interpreter.run(input: [UInt8](repeating: 200, count: 8 * 8 * 3))
        XCTAssertEqual(out.count, 10)
        // All-equal logits (every FC weight is 3): softmax gives each class 1/10, i.e. 25.6 steps of 1/256.
        XCTAssertEqual(Set(out), [UInt8(bitPattern: -128 + 26)])
        XCTAssertThrowsError(try interpreter.run(input: [1, 2, 3])) {
            XCTAssertEqual("\($0)", "tiny.tflite: input of 3 bytes; tensor 0 [1, 8, 8, 3] of uint8 needs 192")
        }
    }

    func testShapesThatDoNotFitAreNamedBeforeAnythingRuns() {
        var t = TinyModel()
        t.tensors[4][0] = .int32s([1, 5, 5, 4])
        XCTAssertEqual(error(t), "tiny.tflite: operator 1 (CONV_2D): output 5x5 does not follow from input 8x8, window 3x3, stride and padding (4x4)")
        XCTAssertTrue(try TFLiteModel(bytes: t.bytes, file: "tiny.tflite").report()
            .contains("cannot run: operator 1 (CONV_2D): output 5x5 does not follow"))
        t = TinyModel()
        t.operators[2][1] = .int32s([6, 5, -1])  // the depthwise layer reading its own output
        XCTAssertEqual(error(t), "tiny.tflite: operator 2 (DEPTHWISE_CONV_2D): input tensor 6 is neither constant nor computed by an earlier operator")
        t = TinyModel()
        t.tensors[8][0] = .int32s([1, 11])
        XCTAssertEqual(error(t), "tiny.tflite: operator 3 (FULLY_CONNECTED): input [1, 4, 4, 4], weights [10, 64] and output [1, 11] do not fit together")
        t = TinyModel()
        t.buffers.append([0: .bytes([UInt8](repeating: 0, count: 12))])
        t.tensors[3] = TinyModel.tensor("conv/b", [3], type: 2, buffer: 5, scales: [0.05], zeros: [0])
        XCTAssertEqual(error(t), "tiny.tflite: operator 1 (CONV_2D): bias [3] of int32 for 4 channels")
    }

    func testCorruptModelsNeverTrapWhenRun() throws {
        let bytes = TinyModel().bytes
        var rng = SplitMix(seed: 21)
        var ran = 0
        let pool = ThreadPool(threads: 1)
        for _ in 0..<1500 {
            var b = bytes
            for _ in 0..<(1 + Int(rng.next() % 3)) { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            do {
                let interpreter = try ReferenceInterpreter(model: try TFLiteModel(bytes: b, file: "fuzz.tflite"))
                if ran % 2 == 0 { try TFLiteKernels.attach(to: interpreter, pool: pool) }  // the kernels' checks too
                let t = interpreter.inputTensor
                _ = try interpreter.run(input: [UInt8](repeating: 7, count: t.elementCount * (t.type.byteSize ?? 1)))
                ran += 1
            } catch let e as TFLiteError {
                XCTAssertTrue(e.description.hasPrefix("fuzz.tflite"), e.description)
            }
        }
        XCTAssertGreaterThan(ran, 10, "some mutations (weights, scales) leave a runnable model")
    }
}
