import EdgeImages
import Foundation
import XCTest

/// Image decoding, resizing, labelled folders and the accuracy tally.
final class ImageTests: XCTestCase {
    private let photos = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.models/images").standardized.path

    private func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.path
    }

    func testBrokenImagesAreErrorsNamingTheFile() {
        XCTAssertThrowsError(try RGBImage.decode(Array("hello".utf8), file: "a.png")) {
            XCTAssertEqual("\($0)", "a.png: neither a PNG nor a JPEG image")
        }
        XCTAssertThrowsError(try RGBImage.decode([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0], file: "b.png")) {
            XCTAssertTrue("\($0)".hasPrefix("b.png: does not decode (PNG: "), "\($0)")
        }
        XCTAssertThrowsError(try RGBImage.decode([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 1, 2, 3], file: "c.jpg")) {
            XCTAssertTrue("\($0)".hasPrefix("c.jpg: does not decode (JPEG: "), "\($0)")
        }
    }

    func testRealPhotographsDecodeAndTruncationsFail() throws {
        guard FileManager.default.fileExists(atPath: photos + "/labels.csv") else {
            throw XCTSkip("\(photos) is missing; run scripts/fetch-models.sh (CI does) to test on real photographs")
        }
        let cat = try RGBImage.read(path: photos + "/chelsea.png")
        XCTAssertEqual([cat.width, cat.height], [451, 300])
        let rocket = try RGBImage.read(path: photos + "/rocket.jpg")
        XCTAssertEqual([rocket.width, rocket.height], [640, 427])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: photos + "/chelsea.png")))
        for cut in [8, 100, 1000, bytes.count / 2] {
            XCTAssertThrowsError(try RGBImage.decode(Array(bytes.prefix(cut)), file: "cut.png"), "\(cut) bytes")
        }
    }

    func testResizeAveragesNeighbours() {
        let img = RGBImage(width: 2, height: 2, pixels: [0, 0, 0, 100, 100, 100, 100, 100, 100, 200, 200, 200])
        XCTAssertEqual(img.resized(width: 1, height: 1).pixels, [100, 100, 100])
        XCTAssertEqual(img.resized(width: 2, height: 2), img)
        let up = img.resized(width: 4, height: 4)
        XCTAssertEqual(Array(up.pixels.prefix(3)), [0, 0, 0])          // corners stay
        XCTAssertEqual(Array(up.pixels.suffix(3)), [200, 200, 200])
    }

    func testLabelsCSVErrorsNameFileAndLine() throws {
        let dir = try temporaryDirectory()
        FileManager.default.createFile(atPath: dir + "/a.png", contents: Data())
        try "file,label\na.png,cat\nb.png,dog\n".write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LabelledImages(directory: dir)) {
            XCTAssertEqual("\($0)", "\(dir)/labels.csv:3: image b.png does not exist")
        }
        try "a.png\n".write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LabelledImages(directory: dir)) {
            XCTAssertEqual("\($0)", "\(dir)/labels.csv:1: expected FILE,LABEL")
        }
        try "# cats\na.png, tabby cat\n".write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
        let set = try LabelledImages(directory: dir)
        XCTAssertEqual(set.items.map(\.label), ["tabby cat"])
    }

    func testSubfolderNamesAreLabels() throws {
        let dir = try temporaryDirectory()
        for (label, file) in [("goldfish", "1.jpg"), ("tench", "2.PNG"), ("tench", "notes.txt")] {
            try FileManager.default.createDirectory(atPath: dir + "/" + label, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: dir + "/" + label + "/" + file, contents: Data())
        }
        let set = try LabelledImages(directory: dir)
        XCTAssertEqual(set.items.map(\.label), ["goldfish", "tench"])
        XCTAssertThrowsError(try LabelledImages(directory: dir + "/none")) { XCTAssertEqual("\($0)", "\(dir)/none: not a folder") }
    }

    func testTopOneAndTopFive() {
        var a = ImageAccuracy()
        a.add(scores: [0.1, 0.5, 0.2, 0.9, 0.0, 0.3, 0.4], label: 3)   // top-1
        a.add(scores: [0.1, 0.5, 0.2, 0.9, 0.0, 0.3, 0.4], label: 5)   // 4th: top-5 only
        a.add(scores: [0.1, 0.5, 0.2, 0.9, 0.0, 0.3, 0.4], label: 4)   // last: neither
        XCTAssertEqual([a.count, a.top1, a.top5], [3, 1, 2])
    }
}
