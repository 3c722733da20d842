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
        // The same message as for a built-in model (ModelOptions).
        XCTAssertTrue(r.stderr.contains("--runs must be at least 1 (got 0)"), r.stderr)
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
        XCTAssertTrue(o["p90_ns"] is NSNull, "3 runs cannot support a 90th percentile")
        XCTAssertEqual(o["p90_min_count"] as? Int, 10)
        XCTAssertEqual(o["p99_min_count"] as? Int, 100)
        XCTAssertGreaterThan(o["p50_ns"] as? Int ?? 0, 0)
        XCTAssertNotNil(o["top_class"])
        r = try runEdgetop(["bench", "--model", path, "--runs", "2", "--warmup", "0", "--profile"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("Per operator (median of 2 profiled runs, measured here):"), r.stdout)
        let conv = try XCTUnwrap(lines.first { $0.hasPrefix("    1 CONV_2D") }, r.stdout)
        XCTAssertTrue(conv.hasSuffix(" ms  q8 igemm"), conv)
        XCTAssertTrue(lines.contains { $0.hasPrefix("   10 ADD") && $0.hasSuffix("buffer loop") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("   62 SOFTMAX") && $0.hasSuffix("reference loop") }, r.stdout)
    }
}

/// `edgetop bench --images` on real photographs.
final class TFLiteImagesTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized.path

    func testEfficientNetAccuracyOnThePhotographs() throws {
        let model = repo + "/.models/efficientnet_lite0.tflite", images = repo + "/.models/images"
        guard FileManager.default.fileExists(atPath: model), FileManager.default.fileExists(atPath: images + "/labels.csv") else {
            throw XCTSkip("the model or the photographs are not in .models/; run scripts/fetch-models.sh (CI does)")
        }
        let r = try runEdgetop(["bench", "--model", model, "--runs", "1", "--warmup", "0", "--json", "--images", images])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(o["images"] as? Int, 4)
        XCTAssertEqual(o["top5_correct"] as? Int, 4)
        // LiteRT's class for the rocket ("missile") comes second here: see docs/benchmarks.md.
        XCTAssertGreaterThanOrEqual(o["top1_correct"] as? Int ?? 0, 3)
    }

    func testImagesNeedATFLiteModelAndMatchingLabels() throws {
        var r = try runEdgetop(["bench", "--images", "/tmp"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--images needs a .tflite model"), r.stderr)
        let model = repo + "/.models/efficientnet_lite0.tflite"
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("efficientnet_lite0.tflite is not in .models/") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-lbl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/unicorn", withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/unicorn/a.png", contents: Data("x".utf8))
        r = try runEdgetop(["bench", "--model", model, "--runs", "1", "--warmup", "0", "--images", dir])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "edgetop: \(dir)/unicorn/a.png: label \"unicorn\" is not one of the model's 1000 labels\n")
    }
}
