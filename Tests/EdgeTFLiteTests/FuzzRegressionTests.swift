import Foundation
import XCTest
import EdgeTFLite

/// Model files the fuzzer (Fuzz/Sources/FuzzTFLite) found to crash, kept so they never do again.
final class FuzzRegressionTests: XCTestCase {
    private func regression(_ name: String) throws -> TFLiteModel {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Regressions/\(name)").path
        return try TFLiteModel(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: name)
    }

    /// Two scalars added into a [1,4] output once took the element-by-element path and made
    /// one value, so the next layer read past it: broadcasting must fill all four.
    func testEqualShapesBroadcastIntoALargerOutput() throws {
        let interpreter = try ReferenceInterpreter(model: try regression("scalar-add-broadcast.tflite"))
        interpreter.keepsIntermediates = true
        XCTAssertEqual(interpreter.inputTensor.elementCount, 1)
        let output = try interpreter.run(input: [7])
        XCTAssertEqual(output.count, 3)
        let sum = try XCTUnwrap(interpreter.bytes(ofTensor: 1))
        XCTAssertEqual(sum.count, 4)
        XCTAssertEqual(Set(sum).count, 1, "a broadcast scalar sum is the same in all four places")
    }

    /// An ADD whose input-to-output scale ratio no integer multiplier can hold once trapped
    /// converting an infinite multiplier: the interpreter refuses the model before running.
    func testAddScaleRatioOutOfRangeIsRefused() throws {
        XCTAssertThrowsError(try ReferenceInterpreter(model: try regression("add-scale-ratio.tflite"))) { error in
            XCTAssertTrue("\(error)".contains("outside [2^-10, 2^8)"), "\(error)")
        }
    }

    /// A model with no operators whose output is a constant tensor once read a value that
    /// constants, decoded on first use, did not have yet: the output is the constant's bytes.
    func testAConstantOutputIsTheConstant() throws {
        let interpreter = try ReferenceInterpreter(model: try regression("constant-output.tflite"))
        let input = [UInt8](repeating: 1, count: interpreter.inputTensor.elementCount)
        let output = try interpreter.run(input: input)
        XCTAssertEqual(output.count, interpreter.outputTensor.elementCount)
        XCTAssertEqual(output, interpreter.bytes(ofTensor: 2))
    }
}
