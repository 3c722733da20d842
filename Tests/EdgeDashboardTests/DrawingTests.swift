import XCTest
@testable import EdgeDashboard

final class DrawingTests: XCTestCase {
    func testPutClipsAndReplacesUnsafeCharacters() {
        var b = Buffer(width: 10, height: 1, fill: Cell("."))
        let end = b.put("ab\u{1b}c\u{7f}d\u{9b}e", x: 1, y: 0, style: .plain, maxWidth: 7)
        XCTAssertEqual(b.lines(), [".ab?c?d?.."])
        XCTAssertEqual(end, 8)
        // Wide, combining and format characters would shift the columns: replaced.
        var w = Buffer(width: 8, height: 1, fill: Cell("."))
        w.put("漢😀e\u{301}\u{200b}µ°", x: 0, y: 0, style: .plain)
        // 漢 and 😀 are wide; e + U+0301 is one Character of two scalars; U+200B is a format character.
        XCTAssertEqual(w.lines()[0], "????µ°..")
        // Outside the buffer: nothing, no crash.
        b.put("zzz", x: -2, y: 0, style: .plain)
        XCTAssertEqual(b.lines()[0], "zab?c?d?..")
        b.put("zzz", x: 0, y: 5, style: .plain)
    }

    func testFillClipsToBuffer() {
        var b = Buffer(width: 4, height: 3)
        b.fill(Rect(x: 2, y: 1, width: 10, height: 10), with: Cell("#"))
        XCTAssertEqual(b.lines(), ["    ", "  ##", "  ##"])
    }

    func testFormats() {
        let s = Symbols.unicode
        XCTAssertEqual(Format.latency(850_000, symbols: s), "850µs")
        XCTAssertEqual(Format.latency(4_123_000, symbols: s), "4.12ms")
        XCTAssertEqual(Format.latency(12_340_000, symbols: .ascii), "12.3ms")
        XCTAssertEqual(Format.latency(1_200_000_000, symbols: s), "1.20s")
        XCTAssertEqual(Format.latencyUnit(forMax: 999_999, symbols: .ascii).name, "us")
        XCTAssertEqual(Format.latencyUnit(forMax: 65_000_000, symbols: s).name, "ms")
        XCTAssertEqual(Format.number(65_500_000, in: Format.latencyUnit(forMax: 65_500_000, symbols: s)), "65.5")
        XCTAssertEqual(Format.compact(123_456), "123k")
        XCTAssertEqual(Format.fps(29.97), "30.0")
        XCTAssertEqual(Format.fps(4321.4), "4321")
        XCTAssertEqual(Format.frequency(2400), "2.40G")
        XCTAssertEqual(Format.frequency(800), "800M")
        XCTAssertEqual(Format.clock(75.5), "1:15")
        XCTAssertEqual(Format.clock(3725), "1:02:05")
        XCTAssertEqual(Format.speed(0.25), "0.25")
        XCTAssertEqual(Format.speed(16), "16")
        XCTAssertEqual(Format.left("cpu-0-0-usr", 6, ellipsis: "…"), "cpu-0…")
        XCTAssertEqual(Format.right("7", 3), "  7")
    }

    func testGraphResampleAndScale() {
        // Ten seconds into a sixty-second window of 6 points: the first five are empty.
        let pts = Graph.resample(Array(1...10).map(Double.init), span: 60, count: 6)
        XCTAssertEqual(pts.prefix(5).filter { !$0.isNaN }.count, 0)
        XCTAssertEqual(pts[5], 1)
        XCTAssertEqual(Graph.resample([1, 2, 3, 4], span: 4, count: 8), [1, 1, 2, 2, 3, 3, 4, 4])
        XCTAssertEqual(Graph.niceCeiling(33), 50)
        XCTAssertEqual(Graph.niceCeiling(0.18), 0.2)
        XCTAssertEqual(Graph.niceCeiling(100), 100)
        XCTAssertEqual(Graph.niceCeiling(0), 1)
    }

    func testBarsAndBrailleHeights() {
        var b = Buffer(width: 3, height: 2)
        Graph.bars([16, 8, 1], maxValue: 16, in: Rect(x: 0, y: 0, width: 3, height: 2), into: &b, symbols: .unicode) { _ in .plain }
        XCTAssertEqual(b.lines(), ["█  ", "██▁"])
        var br = Buffer(width: 1, height: 1)
        // Left column full (4 dots), right column one dot: ⣇ is dots 1,2,3,7 + 8.
        Graph.area([4, 1], maxValue: 4, in: Rect(x: 0, y: 0, width: 1, height: 1), into: &br, symbols: .unicode) { _ in .plain }
        XCTAssertEqual(br[0, 0].symbol, Character(Unicode.Scalar(0x2800 | 0x47 | 0x80)!))
    }

    func testLocaleDetection() {
        XCTAssertTrue(RenderCapabilities.localeIsUTF8(environment: ["LANG": "en_US.UTF-8"]))
        XCTAssertTrue(RenderCapabilities.localeIsUTF8(environment: ["LC_ALL": "C.utf8", "LANG": "C"]))
        XCTAssertFalse(RenderCapabilities.localeIsUTF8(environment: ["LC_ALL": "C", "LANG": "en_US.UTF-8"]))
        XCTAssertFalse(RenderCapabilities.localeIsUTF8(environment: [:]))
    }

    func testMonochromePaletteCarriesEmphasisWithoutColour() throws {
        let p = Palette(theme: .builtinDefault, capabilities: RenderCapabilities(unicode: true, color: false))
        XCTAssertEqual(p.text.fg, .default)
        XCTAssertEqual(p.text.bg, .default)
        XCTAssertTrue(p.alarm(.rgb(255, 0, 0)).reverse)
        XCTAssertEqual(p.alarm(.rgb(255, 0, 0)).fg, .default)
        XCTAssertTrue(p.selected.reverse)
        let c = Palette(theme: .builtinDefault, capabilities: .full)
        XCTAssertEqual(c.text.fg, Theme.builtinDefault.color("main_fg"))
        XCTAssertFalse(c.selected.reverse)
    }
}
