import EdgeTFLite
import XCTest

/// The flatbuffer reader on hand-made models: every field read as written, and every kind of
/// broken file (truncated, mutated, hostile lengths and indices) rejected with an error that
/// names the file and the tensor or operator, never a trap.
final class TFLiteReaderTests: XCTestCase {
    func testReadsEveryFieldOfAHandMadeModel() throws {
        let m = try TFLiteModel(bytes: TinyModel().bytes, file: "tiny.tflite")
        XCTAssertEqual(m.version, 3)
        XCTAssertEqual(m.description, "hand-made")
        XCTAssertEqual(m.operatorCodes.map(\.builtin), [.quantize, .conv2D, .depthwiseConv2D, .fullyConnected, .softmax])
        let g = m.main
        XCTAssertEqual(g.name, "main")
        XCTAssertEqual(g.inputs, [0])
        XCTAssertEqual(g.outputs, [9])
        XCTAssertEqual(g.tensors.count, 10)
        XCTAssertEqual(g.tensors[0].type, .uint8)
        XCTAssertEqual(g.tensors[0].quantization?.zeroPoints, [128])
        let w = g.tensors[2]
        XCTAssertEqual(w.name, "conv/w")
        XCTAssertEqual(w.shape, [4, 3, 3, 3])
        XCTAssertEqual(w.type, .int8)
        XCTAssertEqual(w.quantization?.scales, [0.1, 0.2, 0.3, 0.4])
        XCTAssertEqual(w.quantization?.isPerChannel, true)
        XCTAssertEqual(g.tensors[5].quantization?.dimension, 3)
        XCTAssertEqual(m.data(of: w).map(Array.init), [UInt8](repeating: 1, count: 108))
        XCTAssertNil(m.data(of: g.tensors[4]))
        XCTAssertEqual(g.operators[1].options, .window(WindowOptions(
            padding: .same, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, filterH: 0, filterW: 0,
            depthMultiplier: 1, activation: .relu6)))
        XCTAssertEqual(g.operators[2].options, .window(WindowOptions(
            padding: .same, strideH: 1, strideW: 1, dilationH: 2, dilationW: 2, filterH: 0, filterW: 0,
            depthMultiplier: 1, activation: .relu)))
        XCTAssertEqual(g.operators[2].inputs, [4, 5, -1])
        XCTAssertEqual(g.operators[3].options, .fullyConnected(activation: .none, defaultWeightsFormat: true, keepNumDims: false))
        XCTAssertEqual(g.operators[4].options, .softmax(beta: 1))
        XCTAssertNil(m.labels)
    }

    func testPlanCountsMACsAndNamesKernels() throws {
        let m = try TFLiteModel(bytes: TinyModel().bytes, file: "tiny.tflite")
        XCTAssertEqual(m.precision, .int8)
        let plans = m.plan()
        XCTAssertEqual(plans.map(\.macs), [0, 4 * 4 * 4 * 27, 4 * 4 * 4 * 9, 640, 0])
        XCTAssertEqual(plans[1].kernel, "q8 igemm")
        XCTAssertEqual(plans[2].kernel, "q8 dwconv")
        XCTAssertEqual(plans[2].detail, "3x3/1 SAME dilation 2x2 relu")
        XCTAssertTrue(m.unsupportedOperators().isEmpty)
    }

    func testUnsupportedOperatorIsNamedWithItsIndex() throws {
        var t = TinyModel()
        t.codes[3] = [0: .u8(18)]  // FULLY_CONNECTED becomes MUL
        t.operators[3][3] = .u8(21)
        t.operators[3][4] = .table([:])
        let m = try TFLiteModel(bytes: t.bytes, file: "tiny.tflite")
        XCTAssertEqual(m.unsupportedOperators(), ["operator 3 (MUL): operator not supported by edgetop"])
        XCTAssertTrue(m.report().contains("UNSUPPORTED: operator not supported by edgetop"))
        // Codes past 126 sit in builtin_code with the placeholder 127 in the deprecated byte.
        t.codes[4] = [0: .u8(127), 3: .i32(150)]
        let n = try TFLiteModel(bytes: t.bytes, file: "tiny.tflite")
        XCTAssertEqual(n.unsupportedOperators().last, "operator 4 (BUILTIN_150): operator not supported by edgetop")
    }

    func testRejectsBadIndicesNamingTheOperatorOrTensor() throws {
        var t = TinyModel()
        t.operators[1][1] = .int32s([1, 2, 99])
        XCTAssertEqual(error(t.bytes), "tiny.tflite: operator 1 (CONV_2D): input tensor 99 does not exist (10 tensors)")

        t = TinyModel()
        t.operators[4][0] = .u32(7)
        XCTAssertEqual(error(t.bytes), "tiny.tflite: operator 4: operator code 7 does not exist (5 codes)")

        t = TinyModel()
        t.tensors[7][2] = .u32(3)  // fc/w on the 36-byte depthwise buffer
        XCTAssertEqual(error(t.bytes), "tiny.tflite: tensor 7 (fc/w): buffer 3 holds 36 bytes; shape [10, 64] of int8 needs 640")

        t = TinyModel()
        t.tensors[2][4] = .table([2: .floats([0.1, 0.2]), 3: .int64s([0, 0]), 6: .i32(0)])
        XCTAssertEqual(error(t.bytes), "tiny.tflite: tensor 2 (conv/w): 2 per-channel scales do not match dimension 0 of shape [4, 3, 3, 3]")

        t = TinyModel()
        t.tensors[4][0] = .int32s([1, 65536, 65536, 4096])
        XCTAssertEqual(error(t.bytes), "tiny.tflite: tensor 4 (conv/out): shape [1, 65536, 65536, 4096] holds more than 2147483648 elements")

        t = TinyModel()
        t.operators[1][4] = .table([0: .u8(0), 1: .i32(0), 2: .i32(2), 3: .u8(3)])
        XCTAssertTrue(error(t.bytes).hasPrefix("tiny.tflite: operator 1 (CONV_2D) options: corrupt flatbuffer: stride_w 0 is out of range"), error(t.bytes))

        t = TinyModel()
        t.operators[1][3] = .u8(5)
        XCTAssertTrue(error(t.bytes).contains("builtin options of union type 5; CONV_2D takes type 1"), error(t.bytes))

        t = TinyModel()
        t.version = 2
        XCTAssertEqual(error(t.bytes), "tiny.tflite: schema version 2; edgetop reads version 3")

        XCTAssertEqual(error(Array("not a model at all".utf8)), "tiny.tflite: not a TFLite model (no \"TFL3\" file identifier at byte 4)")
        XCTAssertEqual(error([1, 2]), "tiny.tflite: 2 bytes is too short for a TFLite model")
    }

    func testHostileVectorLengthIsRejectedBeforeAnyAllocation() throws {
        var bytes = TinyModel().bytes
        // The description string's length word: make it claim 2^31 bytes.
        let text = Array("hand-made".utf8)
        let at = try XCTUnwrap(indexOf(text, in: bytes)) - 4
        bytes[at + 3] = 0x80
        let message = error(bytes)
        XCTAssertTrue(message.hasPrefix("tiny.tflite: model description: corrupt flatbuffer: a vector of 2147483657 1-byte elements runs past the end"), message)
    }

    func testHostileNamesAreSanitized() throws {
        var t = TinyModel()
        t.tensors[2][3] = .string("w\u{1B}]0;pwned\u{07}\u{1B}[2J")
        t.operators[1][1] = .int32s([1, 2, 42])
        let message = error(t.bytes)
        XCTAssertFalse(message.unicodeScalars.contains { $0.value < 0x20 }, message)
        t = TinyModel()
        t.tensors[2][3] = .string("w\u{1B}[31mred")
        let m = try TFLiteModel(bytes: t.bytes, file: "x")
        XCTAssertEqual(m.main.tensors[2].name, "wred")
    }

    func testEveryTruncationIsAnErrorNotATrap() throws {
        let bytes = TinyModel().bytes
        for n in 0..<bytes.count {
            XCTAssertThrowsError(try TFLiteModel(bytes: Array(bytes.prefix(n)), file: "cut.tflite"), "\(n) bytes") { e in
                XCTAssertTrue(e is TFLiteError, "\(n) bytes: \(e)")
                XCTAssertTrue("\(e)".hasPrefix("cut.tflite: "), "\(e)")
            }
        }
    }

    func testRandomCorruptionGivesAModelOrAnErrorNeverATrap() throws {
        let bytes = TinyModel().bytes
        var rng = SplitMix(seed: 9)
        var rejected = 0
        for _ in 0..<3000 {
            var b = bytes
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(b.count))
                b[i] = rng.next() % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                let m = try TFLiteModel(bytes: b, file: "fuzz.tflite")
                _ = m.report(tensors: true)  // whatever was accepted must also be reportable
            } catch let e as TFLiteError {
                XCTAssertTrue(e.description.hasPrefix("fuzz.tflite: "))
                rejected += 1
            }
        }
        XCTAssertGreaterThan(rejected, 300, "mutations should mostly break the file")
    }

    private func error(_ bytes: [UInt8]) -> String {
        do {
            _ = try TFLiteModel(bytes: bytes, file: "tiny.tflite")
            return "no error"
        } catch {
            return "\(error)"
        }
    }
}

func indexOf(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard needle.count <= haystack.count else { return nil }
    return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
}

/// A seeded generator so a failing mutation can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
