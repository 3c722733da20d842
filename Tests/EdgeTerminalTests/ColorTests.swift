import XCTest
import EdgeDashboard
@testable import EdgeTerminal

final class ColorDepthTests: XCTestCase {
    func testNoColorWinsOverEverything() {
        XCTAssertEqual(ColorDepth.detect(environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"], hasColors: true,
                                         colors: 1 << 24, canChangeColor: true), .none)
        // An empty NO_COLOR does not count (no-color.org).
        XCTAssertEqual(ColorDepth.detect(environment: ["NO_COLOR": ""], hasColors: true, colors: 256, canChangeColor: false),
                       .palette256)
    }

    func testMonochromeTerminals() {
        XCTAssertEqual(ColorDepth.detect(environment: [:], hasColors: false, colors: 0, canChangeColor: false), .none)
        XCTAssertEqual(ColorDepth.detect(environment: [:], hasColors: true, colors: 2, canChangeColor: false), .none)
    }

    func testDepthFollowsTerminfoAndColorterm() {
        XCTAssertEqual(ColorDepth.detect(environment: [:], hasColors: true, colors: 8, canChangeColor: false), .basic8)
        XCTAssertEqual(ColorDepth.detect(environment: [:], hasColors: true, colors: 16, canChangeColor: false), .basic8)
        XCTAssertEqual(ColorDepth.detect(environment: [:], hasColors: true, colors: 256, canChangeColor: false), .palette256)
        XCTAssertEqual(ColorDepth.detect(environment: [:], hasColors: true, colors: 1 << 24, canChangeColor: false),
                       .trueColor(direct: true))
        // COLORTERM alone cannot make ncurses emit 24-bit colour: the nearest 256 entry is used.
        XCTAssertEqual(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], hasColors: true, colors: 256,
                                         canChangeColor: false), .palette256)
        XCTAssertEqual(ColorDepth.detect(environment: ["COLORTERM": "24bit"], hasColors: true, colors: 256,
                                         canChangeColor: true), .trueColor(direct: false))
    }
}

final class ColorMappingTests: XCTestCase {
    func testPaletteEntriesMapToThemselves() {
        for i in 16...255 {
            let c = ColorMapping.rgb(ofIndex: UInt8(i))
            XCTAssertEqual(ColorMapping.nearest256(UInt8(c.r), UInt8(c.g), UInt8(c.b)), UInt8(i), "entry \(i)")
        }
    }

    func testNearest256PicksGreysAndCubeColours() {
        XCTAssertEqual(ColorMapping.nearest256(0, 0, 0), 16)
        XCTAssertEqual(ColorMapping.nearest256(255, 255, 255), 231)
        XCTAssertEqual(ColorMapping.nearest256(255, 0, 0), 196)
        XCTAssertEqual(ColorMapping.nearest256(128, 128, 128), 244)   // grey ramp, not the cube
        XCTAssertEqual(ColorMapping.nearest256(0x7a, 0xa2, 0xf7), 111) // a theme's blue
    }

    func testNearest8KeepsHues() {
        XCTAssertEqual(ColorMapping.nearest8(10, 10, 10), 0)
        XCTAssertEqual(ColorMapping.nearest8(140, 20, 20), 1)
        XCTAssertEqual(ColorMapping.nearest8(30, 200, 40), 2)
        XCTAssertEqual(ColorMapping.nearest8(240, 240, 240), 7)
        XCTAssertEqual(ColorMapping.nearest8(255, 165, 0), 3) // orange is closest to yellow
    }

    func testColorNumbersPerDepth() {
        XCTAssertEqual(ColorMapping.colorNumber(.default, depth: .palette256), -1)
        XCTAssertEqual(ColorMapping.colorNumber(.rgb(255, 0, 0), depth: .none), -1)
        XCTAssertEqual(ColorMapping.colorNumber(.rgb(255, 0, 0), depth: .basic8), 1)
        XCTAssertEqual(ColorMapping.colorNumber(.indexed(9), depth: .basic8), 1)
        XCTAssertEqual(ColorMapping.colorNumber(.indexed(196), depth: .basic8), 1)
        XCTAssertEqual(ColorMapping.colorNumber(.rgb(255, 0, 0), depth: .palette256), 196)
        XCTAssertEqual(ColorMapping.colorNumber(.rgb(0x12, 0x34, 0x56), depth: .trueColor(direct: true)), 0x123456)
        XCTAssertEqual(ColorMapping.colorNumber(.indexed(196), depth: .trueColor(direct: true)), 0xff0000)
    }
}
