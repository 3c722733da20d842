import EdgeImages
import Foundation
import XCTest

/// Decoding committed PNG and JPEG files against pixels known from their making, resizing
/// against a plain double-precision reference, the input normalisations, and the committed
/// sample set.
final class ImageFixtureTests: XCTestCase {
    private static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    private let fixtures = here.appendingPathComponent("Fixtures").path
    private let samples = here.appendingPathComponent("../../sample-images").standardized.path

    private func pixel(_ img: RGBImage, _ x: Int, _ y: Int) -> [Int] {
        (0..<3).map { Int(img.pixels[(y * img.width + x) * 3 + $0]) }
    }

    func testPNGDecodesToKnownPixels() throws {
        let rgb = try RGBImage.read(path: fixtures + "/rgb-3x2.png")
        XCTAssertEqual([rgb.width, rgb.height], [3, 2])
        XCTAssertEqual(rgb.pixels, [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 200, 100, 50, 255, 255, 255])
        // A grey PNG comes out as RGB with the grey in all three channels.
        let grey = try RGBImage.read(path: fixtures + "/gray-2x2.png")
        XCTAssertEqual(grey.pixels, [0, 0, 0, 64, 64, 64, 128, 128, 128, 255, 255, 255])
    }

    func testJPEGDecodesToKnownPixels() throws {
        // Two flat 8x8 blocks at quality 100 without chroma subsampling: every pixel of a block
        // decodes to its colour give or take the colour conversion's rounding.
        let img = try RGBImage.read(path: fixtures + "/two-blocks-16x8.jpg")
        XCTAssertEqual([img.width, img.height], [16, 8])
        for y in 0..<8 {
            for x in 0..<16 {
                let want = x < 8 ? [200, 40, 40] : [30, 60, 220]
                let got = pixel(img, x, y)
                XCTAssertLessThanOrEqual(zip(got, want).map { abs($0 - $1) }.max()!, 2, "(\(x),\(y)): \(got) vs \(want)")
            }
        }
    }

    /// Bilinear resize with half-pixel centres, written out in Double from the definition.
    private func referenceResize(_ img: RGBImage, _ w: Int, _ h: Int) -> [Double] {
        func sample(_ x: Int, _ y: Int, _ c: Int) -> Double { Double(img.pixels[(y * img.width + x) * 3 + c]) }
        var out: [Double] = []
        for y in 0..<h {
            for x in 0..<w {
                let sy = max((Double(y) + 0.5) * Double(img.height) / Double(h) - 0.5, 0)
                let sx = max((Double(x) + 0.5) * Double(img.width) / Double(w) - 0.5, 0)
                let y0 = Int(sy.rounded(.down)), x0 = Int(sx.rounded(.down))
                let y1 = min(y0 + 1, img.height - 1), x1 = min(x0 + 1, img.width - 1)
                let fy = sy - Double(y0), fx = sx - Double(x0)
                for c in 0..<3 {
                    let top = sample(x0, y0, c) + (sample(x1, y0, c) - sample(x0, y0, c)) * fx
                    let bottom = sample(x0, y1, c) + (sample(x1, y1, c) - sample(x0, y1, c)) * fx
                    out.append(top + (bottom - top) * fy)
                }
            }
        }
        return out
    }

    func testResizeMatchesTheReferenceWithinRounding() {
        var state: UInt32 = 12345
        let pixels = (0..<(13 * 9 * 3)).map { _ -> UInt8 in state = state &* 1_664_525 &+ 1_013_904_223; return UInt8(state >> 24) }
        let img = RGBImage(width: 13, height: 9, pixels: pixels)
        for (w, h) in [(4, 3), (7, 11), (26, 18), (1, 1), (13, 2), (224, 224)] {
            let got = img.resized(width: w, height: h)
            XCTAssertEqual([got.width, got.height], [w, h])
            let want = referenceResize(img, w, h)
            let worst = zip(got.pixels, want).map { abs(Double($0) - $1) }.max()!
            XCTAssertLessThanOrEqual(worst, 0.5 + 1e-3, "\(w)x\(h): off by \(worst)")
        }
        // By hand: 0 and 100 side by side, stretched to four pixels.
        let pair = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 100, 100, 100])
        XCTAssertEqual(pair.resized(width: 4, height: 1).pixels.enumerated().filter { $0.offset % 3 == 0 }.map { $0.element },
                       [0, 25, 75, 100])
    }

    func testNormalisationFollowsTheInputType() {
        let img = RGBImage(width: 1, height: 2, pixels: [0, 128, 255, 255, 0, 64])
        XCTAssertEqual(img.tensor(as: .uint8(scale: 0.0078125, zeroPoint: 128), normalization: .asIs), .uint8(img.pixels))
        XCTAssertEqual(img.tensor(as: .int8(scale: 0.0078125, zeroPoint: 0), normalization: .asIs), .int8([-128, 0, 127, 127, -128, -64]))
        guard case .float32(let unit) = img.tensor(as: .float32, normalization: .minusOneToOne) else { return XCTFail() }
        XCTAssertEqual(unit, [-1, 128 / 127.5 - 1, 1, 1, -1, 64 / 127.5 - 1])
        guard case .float32(let net) = img.tensor(as: .float32, normalization: .imageNet) else { return XCTFail() }
        let expected: [Float] = [(0 - 0.485) / 0.229, (128 / 255 - 0.456) / 0.224, (1 - 0.406) / 0.225,
                                 (1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (64 / 255 - 0.406) / 0.225]
        for (a, b) in zip(net, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        // Quantizing [-1, 1] with scale 1/128, zero point 128: 128 → 0.0039 → 0.502 → 129;
        // 255 → 256, clamped.
        XCTAssertEqual(img.tensor(as: .uint8(scale: 1.0 / 128, zeroPoint: 128), normalization: .minusOneToOne),
                       .uint8([0, 129, 255, 255, 0, 64]))
        XCTAssertEqual(img.tensor(as: .int8(scale: 1.0 / 255, zeroPoint: -128), normalization: .unit),
                       .int8([-128, 0, 127, 127, -128, -64]))
    }

    func testCommittedSampleSetDecodesAndMatchesItsLabels() throws {
        let set = try LabelledImages(directory: samples)
        XCTAssertEqual(set.items.map { ($0.path as NSString).lastPathComponent }, ["chelsea.png", "coffee.jpg", "rocket.jpg"])
        XCTAssertEqual(set.items.map(\.label), ["Egyptian cat", "espresso", "missile"])
        // Pixels as another decoder (Pillow) reads them: exact for PNG, within the IDCT's
        // rounding for JPEG.
        let probes: [(String, Int, Int, [Int], Int)] = [
            ("chelsea.png", 0, 0, [143, 120, 104], 0), ("chelsea.png", 100, 50, [133, 94, 54], 0),
            ("chelsea.png", 384, 255, [162, 139, 128], 0),
            ("coffee.jpg", 200, 128, [254, 247, 241], 2), ("coffee.jpg", 383, 255, [142, 64, 18], 2),
            ("rocket.jpg", 190, 100, [111, 106, 100], 2), ("rocket.jpg", 0, 0, [18, 34, 59], 2),
        ]
        var cache: [String: RGBImage] = [:]
        for (file, x, y, want, tolerance) in probes {
            let img = try cache[file] ?? RGBImage.read(path: samples + "/" + file)
            cache[file] = img
            XCTAssertEqual(img.height, 256, file)
            let got = pixel(img, x, y)
            XCTAssertLessThanOrEqual(zip(got, want).map { abs($0 - $1) }.max()!, tolerance, "\(file) (\(x),\(y)): \(got)")
        }
    }

    func testLabelsMustBeTheModelsOwn() throws {
        let set = try LabelledImages(directory: samples)
        let labels = ["tabby", "Egyptian cat", "espresso", "missile", "moped"]
        XCTAssertEqual(try set.classIndices(in: labels, model: "m.tflite"), [1, 2, 3])
        XCTAssertEqual(try set.classIndices(in: labels.map { $0.uppercased() }, model: "m.tflite"), [1, 2, 3])
        XCTAssertThrowsError(try set.classIndices(in: ["tabby", "espresso", "missile"], model: "m.tflite")) {
            XCTAssertEqual("\($0)", "\(samples)/chelsea.png: label \"Egyptian cat\" is not one of the 3 labels of m.tflite")
        }
        XCTAssertThrowsError(try set.classIndices(in: [], model: "m\u{1B}[2J.tflite")) {
            XCTAssertEqual("\($0)".contains("\u{1B}"), false, "a file name reaches the terminal sanitised")
        }
    }
}
