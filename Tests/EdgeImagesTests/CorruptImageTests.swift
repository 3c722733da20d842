import EdgeImages
import Foundation
import XCTest

/// Damaged and hostile image files: each one decodes or is refused with `FILE: problem`,
/// never a crash, and a declared size is checked before any pixel memory is taken.
final class CorruptImageTests: XCTestCase {
    private let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../sample-images").standardized.path

    func testDamagedSamplesDecodeOrFailCleanly() throws {
        var state: UInt64 = 0x5EED
        func next(_ n: Int) -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(state >> 33) % n }
        for name in ["chelsea.png", "coffee.jpg", "rocket.jpg"] {
            let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: samples + "/" + name)))
            var refused = 0
            for round in 0..<60 {
                var bytes = good
                if round % 3 == 0 {
                    bytes = Array(bytes.prefix(8 + next(bytes.count - 8)))
                } else {
                    for _ in 0..<(1 + next(8)) { bytes[16 + next(bytes.count - 16)] = UInt8(next(256)) }
                }
                do {
                    let img = try RGBImage.decode(bytes, file: "bad\u{1B}[31m.img")
                    XCTAssertEqual(img.pixels.count, img.width * img.height * 3)
                } catch let e as ImageError {
                    refused += 1
                    XCTAssertTrue(e.description.hasPrefix("bad.img: "), e.description)
                    XCTAssertFalse(e.description.contains("\u{1B}"), "raw control characters in \(e.description)")
                }
            }
            XCTAssertGreaterThan(refused, 0, "\(name): no damaged copy was refused")
        }
    }

    /// A PNG whose header declares 60000x60000 RGB (10 GB of pixels) over an empty IDAT.
    func testHugeDeclaredSizeIsRefused() {
        func crc32(_ bytes: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
            }
            return ~c
        }
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be(UInt32(data.count)) + body + be(crc32(body))
        }
        let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", be(60000) + be(60000) + [8, 2, 0, 0, 0])
            + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00]) + chunk("IEND", [])
        XCTAssertThrowsError(try RGBImage.decode(png, file: "huge.png")) {
            XCTAssertTrue("\($0)".hasPrefix("huge.png: does not decode (PNG: 60000x60000 pixels is larger than edgetop decodes"), "\($0)")
        }
    }

    /// A real JPEG whose frame header is patched to declare 60000x60000.
    func testHugeDeclaredJPEGIsRefused() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: samples + "/coffee.jpg")))
        let sof = try XCTUnwrap((0..<(bytes.count - 9)).first { bytes[$0] == 0xFF && (bytes[$0 + 1] == 0xC0 || bytes[$0 + 1] == 0xC2) })
        bytes.replaceSubrange((sof + 5)..<(sof + 9), with: [0xEA, 0x60, 0xEA, 0x60])  // height, width = 60000
        XCTAssertThrowsError(try RGBImage.decode(bytes, file: "huge.jpg")) {
            XCTAssertTrue("\($0)".hasPrefix("huge.jpg: does not decode (JPEG: 60000x60000 pixels is larger than edgetop decodes"), "\($0)")
        }
    }
}
