import Foundation
import XCTest

/// `edgetop bench --model FILE.tflite` end to end on the built binary.
final class TFLiteBenchTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized.path

    private func model(_ name: String) throws -> String {
        let path = repo + "/.models/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(name) is not in .models/; run scripts/fetch-models.sh (CI does)")
        }
        return path
    }

    func testBadFileAndBadOptions() throws {
        var r = try runEdgetop(["bench", "--model", repo + "/README.tflite"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "edgetop: \(repo)/README.tflite: No such file or directory\n")
        r = try runEdgetop(["bench", "--model", "x.tflite", "--runs", "0"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--runs must be a whole number in 1...10000000 (got '0')"), r.stderr)
        r = try runEdgetop(["bench", "--model", "x.tflite", "--width", "0.5"])
        XCTAssertEqual(r.status, 2)
    }

    func testEfficientNetOnTheInt8Kernels() throws {
        let path = try model("efficientnet_lite0.tflite")
        var r = try runEdgetop(["bench", "--model", path, "--backend", "fp32"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("is a int8 model; use --backend int8 or ref"), r.stderr)
        r = try runEdgetop(["bench", "--model", path, "--runs", "3", "--warmup", "0", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(o["macs"] as? Int, 385_187_552)
        XCTAssertEqual(o["runs"] as? Int, 3)
        XCTAssertNil(o["p90_ns"], "3 runs cannot support a 90th percentile")
        XCTAssertGreaterThan(o["p50_ns"] as? Int ?? 0, 0)
        XCTAssertNotNil(o["top_class"])
    }
}
