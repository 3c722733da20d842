import Foundation
import XCTest

/// `edgetop inspect` end to end on the built binary.
final class InspectTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized.path

    func testBadFilesAndUsage() throws {
        var r = try runEdgetop(["inspect"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("give a .tflite model file"), r.stderr)
        r = try runEdgetop(["inspect", repo + "/README.md"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "edgetop: \(repo)/README.md: not a TFLite model (no \"TFL3\" file identifier at byte 4)\n")
        r = try runEdgetop(["inspect", repo + "/no-such.tflite"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "edgetop: \(repo)/no-such.tflite: No such file or directory\n")
    }

    func testEfficientNetReport() throws {
        let path = repo + "/.models/efficientnet_lite0.tflite"
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("efficientnet_lite0.tflite is not in .models/; run scripts/fetch-models.sh (CI does)")
        }
        let r = try runEdgetop(["inspect", "--tensors", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("input   164 images [1,224,224,3] uint8 s=0.0125") }, r.stdout)
        XCTAssertTrue(lines.contains("labels  1000 from the appended archive (tench, goldfish, great white shark, ...)"), r.stdout)
        let conv1 = try XCTUnwrap(lines.first { $0.hasPrefix("   1  CONV_2D") })
        XCTAssertTrue(conv1.contains("3x3/2 SAME relu6"), conv1)
        XCTAssertTrue(conv1.contains("[1,112,112,32]"), conv1)
        XCTAssertTrue(conv1.hasSuffix("10838016  q8 igemm"), conv1)
        XCTAssertTrue(lines.contains { $0.hasPrefix("total   385187552 MACs") }, r.stdout)
        XCTAssertTrue(lines.contains("all 64 operators are supported"), r.stdout)
        XCTAssertTrue(lines.contains("every operator's tensors fit together: the model can run"), r.stdout)
        // 49 conv weights under their operators, then 49 weights and 49 biases in the tensor table.
        XCTAssertEqual(lines.filter { $0.contains("per-channel(") }.count, 3 * 49)
    }
}
