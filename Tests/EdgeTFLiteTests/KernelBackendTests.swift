import EdgeInference
import EdgeKernels
import EdgeTFLite
import XCTest

/// Real models on edgetop's own int8 and fp32 kernels, against LiteRT's output bytes.
final class KernelBackendTests: XCTestCase {
    private func reference(_ name: String, _ k: Int, file: StaticString = #filePath) throws -> (input: [UInt8], output: [UInt8]) {
        let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("../../.models/ref").standardized
        guard let i = try? Data(contentsOf: dir.appendingPathComponent("\(name).in\(k).bin")),
              let o = try? Data(contentsOf: dir.appendingPathComponent("\(name).out\(k).bin")) else {
            throw XCTSkip("LiteRT reference outputs are missing in .models/ref; run scripts/fetch-models.sh (CI does)")
        }
        return ([UInt8](i), [UInt8](o))
    }

    func testEfficientNetLite0OnTheInt8KernelsIsBitExactWithLiteRT() throws {
        let model = try TFLiteModel.read(path: try fetchedModel("efficientnet_lite0.tflite"))
        let interpreter = try ReferenceInterpreter(model: model)
        let pool = ThreadPool(threads: 1)
        try TFLiteKernels.attach(to: interpreter, pool: pool)
        XCTAssertEqual(interpreter.intLayers.count, 33 + 16 + 1, "every conv, depthwise and FC layer on the int8 kernels")
        let between = model.main.operators.filter { [.add, .quantize, .averagePool2D].contains($0.builtin) }
        XCTAssertEqual(between.count, 9 + 2 + 1)
        XCTAssertEqual(interpreter.operatorLayers.count, between.count, "every ADD, QUANTIZE and the pool on buffer loops")
        for k in 0..<2 {
            let (input, expected) = try reference("efficientnet_lite0", k)
            let got = try interpreter.run(input: input)
            let same = zip(got, expected).filter { $0 == $1 }.count
            XCTAssertEqual(same, expected.count, "input \(k): \(same)/\(expected.count) bytes identical")
        }
    }

    func testDeepLabV3OnTheFp32Kernels() throws {
        let model = try TFLiteModel.read(path: try fetchedModel("deeplabv3.tflite"))
        let interpreter = try ReferenceInterpreter(model: model)
        let pool = ThreadPool(threads: 1)
        try TFLiteKernels.attach(to: interpreter, pool: pool)
        XCTAssertEqual(interpreter.floatLayers.count, 38 + 17)
        let between = model.main.operators.filter { [.add, .averagePool2D, .resizeBilinear, .concatenation].contains($0.builtin) }
        XCTAssertEqual(interpreter.operatorLayers.count, between.count, "every ADD, pool, resize and concatenation on buffer loops")
        let (input, expectedBytes) = try reference("deeplabv3", 0)
        let got = floats(try interpreter.run(input: input)), expected = floats(expectedBytes)
        let largest = expected.map(abs).max() ?? 0
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
        var agree = 0
        for p in 0..<(got.count / 21) {
            let r = (p * 21)..<(p * 21 + 21)
            if r.max(by: { got[$0] < got[$1] }) == r.max(by: { expected[$0] < expected[$1] }) { agree += 1 }
        }
        print("deeplabv3 on the fp32 kernels: largest difference \(worst / largest) of the largest output, argmax agrees on \(agree)/\(got.count / 21) pixels")
        XCTAssertLessThanOrEqual(worst, 1e-4 * largest)
        XCTAssertGreaterThanOrEqual(Double(agree) / Double(got.count / 21), 0.999)
    }

    /// The buffer loops against the interpreter's own loops for the same operators, on the
    /// same kernel-layer outputs: int8 byte for byte, fp32 within the fp32 tolerance.
    func testBufferLoopsAgreeWithTheReferenceLoops() throws {
        for (name, k) in [("efficientnet_lite0", 1), ("deeplabv3", 0)] {
            let model = try TFLiteModel.read(path: try fetchedModel("\(name).tflite"))
            let interpreter = try ReferenceInterpreter(model: model)
            try TFLiteKernels.attach(to: interpreter, pool: ThreadPool(threads: 1))
            interpreter.keepsIntermediates = true
            let loops = interpreter.operatorLayers
            XCTAssertFalse(loops.isEmpty, name)
            let (input, _) = try reference(name, k)
            let fast = try interpreter.run(input: input)
            let fastTensors = loops.keys.map { interpreter.bytes(ofTensor: model.main.operators[$0].outputs[0])! }
            interpreter.operatorLayers = [:]
            let slow = try interpreter.run(input: input)
            let slowTensors = loops.keys.map { interpreter.bytes(ofTensor: model.main.operators[$0].outputs[0])! }
            if model.main.tensors[model.main.outputs[0]].type == .float32 {
                for (f, s) in zip(fastTensors + [fast], slowTensors + [slow]) {
                    let a = floats(f), b = floats(s)
                    let largest = b.map(abs).max() ?? 0
                    XCTAssertLessThanOrEqual(zip(a, b).map { abs($0 - $1) }.max() ?? 0, 1e-5 * largest, name)
                }
            } else {
                XCTAssertEqual(fastTensors, slowTensors, "\(name): an operator's bytes differ")
                XCTAssertEqual(fast, slow, name)
            }
        }
    }

    /// MobileNet v1 1.0@224 and v2 1.0@224 (seeded weights, built by the shared anchor
    /// script) on the int8 kernels: LiteRT's output bytes exactly.
    func testMobileNetsOnTheInt8KernelsAreBitExactWithLiteRT() throws {
        for name in ["mobilenet_v1_int8", "mobilenet_v2_int8"] {
            let model = try TFLiteModel.read(path: try fetchedModel(name + ".tflite"))
            let interpreter = try ReferenceInterpreter(model: model)
            try TFLiteKernels.attach(to: interpreter, pool: ThreadPool(threads: 1))
            XCTAssertFalse(interpreter.intLayers.isEmpty, name)
            let (input, expected) = try reference(name, 0)
            let got = try interpreter.run(input: input)
            XCTAssertEqual(got.count, expected.count, name)
            let same = zip(got, expected).filter { $0 == $1 }.count
            let worst = zip(got, expected).map { abs(Int(Int8(bitPattern: $0)) - Int(Int8(bitPattern: $1))) }.max() ?? 0
            XCTAssertEqual(same, expected.count, "\(name): \(same)/\(expected.count) bytes identical, largest difference \(worst) steps")
        }
    }

    /// The fp32 MobileNets on the fp32 kernels: within 1e-4 of the largest output of LiteRT's.
    func testMobileNetsOnTheFp32KernelsMatchLiteRT() throws {
        for name in ["mobilenet_v1_fp32", "mobilenet_v2_fp32"] {
            let model = try TFLiteModel.read(path: try fetchedModel(name + ".tflite"))
            let interpreter = try ReferenceInterpreter(model: model)
            try TFLiteKernels.attach(to: interpreter, pool: ThreadPool(threads: 1))
            XCTAssertFalse(interpreter.floatLayers.isEmpty, name)
            let (input, expectedBytes) = try reference(name, 0)
            let got = floats(try interpreter.run(input: input)), expected = floats(expectedBytes)
            XCTAssertEqual(got.count, expected.count, name)
            let largest = expected.map(abs).max() ?? 0
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
            print("\(name) on the fp32 kernels: largest difference \(worst / largest) of the largest output")
            XCTAssertGreaterThan(largest, 0, name)
            XCTAssertLessThanOrEqual(worst, 1e-4 * largest, name)
        }
    }

    private func floats(_ b: [UInt8]) -> [Float] {
        stride(from: 0, to: b.count, by: 4).map {
            Float(bitPattern: UInt32(b[$0]) | UInt32(b[$0 + 1]) << 8 | UInt32(b[$0 + 2]) << 16 | UInt32(b[$0 + 3]) << 24)
        }
    }
}
