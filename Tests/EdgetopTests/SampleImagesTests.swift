import Foundation
import XCTest

/// The committed photographs of sample-images/ through a trained model, end to end.
final class SampleImagesTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized.path

    func testEfficientNetLabelsTheSamplePhotographs() throws {
        let model = repo + "/.models/efficientnet_lite0.tflite"
        guard FileManager.default.fileExists(atPath: model) else {
            throw XCTSkip("efficientnet_lite0.tflite is not in .models/; run scripts/fetch-models.sh (CI does)")
        }
        let r = try runEdgetop(["bench", "--model", model, "--runs", "1", "--warmup", "0", "--json",
                                "--images", repo + "/sample-images"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(o["images"] as? Int, 3)
        XCTAssertEqual(o["top5_correct"] as? Int, 3)
        // The cat and the espresso are unambiguous; LiteRT puts "missile" first for the rocket
        // by a narrow margin over "space shuttle", so that one may fall to second place.
        XCTAssertGreaterThanOrEqual(o["top1_correct"] as? Int ?? 0, 2)
    }

    /// An image that does not decode stops the run with its name (sanitised) and exit 1.
    func testAnImageThatDoesNotDecodeIsNamedAndExitsOne() throws {
        let model = repo + "/.models/efficientnet_lite0.tflite"
        guard FileManager.default.fileExists(atPath: model) else {
            throw XCTSkip("efficientnet_lite0.tflite is not in .models/; run scripts/fetch-models.sh (CI does)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-bad-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let name = "cup\u{1B}[2J.jpg"
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: repo + "/sample-images/coffee.jpg"))
        try jpeg.prefix(600).write(to: URL(fileURLWithPath: dir + "/" + name))
        try "file,label\n\(name),espresso\n".write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
        let r = try runEdgetop(["bench", "--model", model, "--runs", "1", "--warmup", "0", "--images", dir])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("edgetop: \(dir)/cup.jpg: does not decode (JPEG: "), r.stderr)
        XCTAssertFalse(r.stderr.contains("\u{1B}"), "raw escape on the terminal: \(r.stderr)")
    }
}
