import EdgeTFLite
import XCTest

/// Labels appended to a model as a zip archive, the way TFLite's metadata writer does it.
final class ZipArchiveTests: XCTestCase {
    private let labels = "background\ncat\n dog \n\nespresso\u{1B}[2J\n"

    func testStoredAndDeflatedLabelsAreFoundWhereverOffsetsCountFrom() throws {
        let model = TinyModel().bytes
        for deflate in [false, true] {
            for inPlace in [false, true] {
                let zip = zipArchive([("readme.md", Array("notes".utf8), deflate),
                                      ("labels_without_background.txt", Array(labels.utf8), deflate)],
                                     base: inPlace ? model.count : 0)
                let m = try TFLiteModel(bytes: model + zip, file: "z.tflite")
                XCTAssertEqual(m.associatedFiles.map(\.name), ["readme.md", "labels_without_background.txt"])
                XCTAssertEqual(m.labels, ["background", "cat", "dog", "espresso"], "deflate \(deflate), in place \(inPlace)")
            }
        }
    }

    func testCorruptArchiveIsAnErrorNamingIt() throws {
        let model = TinyModel().bytes
        var zip = zipArchive([("labels.txt", Array(labels.utf8), true)])
        // Corrupt the deflate stream's first byte (after the 30-byte header and the name).
        zip[30 + "labels.txt".utf8.count] ^= 0xFF
        XCTAssertThrowsError(try TFLiteModel(bytes: model + zip, file: "z.tflite")) { e in
            XCTAssertTrue("\(e)".hasPrefix("z.tflite: appended zip archive: entry labels.txt:"), "\(e)")
        }
        // A declared size far larger than the data: refused before it is allocated.
        var big = zipArchive([("labels.txt", Array(labels.utf8), false)])
        let cd = try XCTUnwrap(indexOf([0x50, 0x4b, 0x01, 0x02], in: big))
        big[cd + 27] = 0x7F
        XCTAssertThrowsError(try TFLiteModel(bytes: model + big, file: "z.tflite")) { e in
            XCTAssertTrue("\(e)".contains("at most 16777216 are extracted"), "\(e)")
        }
    }

    func testRandomCorruptionOfTheArchiveNeverTraps() throws {
        let model = TinyModel().bytes
        let zip = zipArchive([("labels.txt", Array(labels.utf8), true), ("b.txt", Array("x".utf8), false)])
        var rng = SplitMix(seed: 4)
        for _ in 0..<2000 {
            var z = zip
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                z[Int(rng.next() % UInt64(z.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            do { _ = try TFLiteModel(bytes: model + z, file: "z.tflite").labels } catch let e as TFLiteError {
                XCTAssertTrue(e.description.hasPrefix("z.tflite: "))
            }
        }
    }
}
