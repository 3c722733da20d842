import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import EdgeTerminal
import EdgeDashboard

final class CellTextTests: XCTestCase {
    override func setUp() {
        // wcwidth answers by the locale; the terminal runs under the user's UTF-8 locale.
        setlocale(LC_ALL, "C.UTF-8")
    }

    private func text(_ c: Character, unicode: Bool = true) -> String {
        String(String.UnicodeScalarView(CellText.scalars(for: c, unicode: unicode)))
    }

    func testPrintableSymbolsPass() {
        XCTAssertEqual(text("a"), "a")
        XCTAssertEqual(text("█"), "█")
        XCTAssertEqual(text("⣿"), "⣿")
        XCTAssertEqual(text("é"), "é")
    }

    func testControlCharactersNeverReachTheScreen() {
        for c: Character in ["\u{1b}", "\u{07}", "\u{7f}", "\u{9b}", "\r\n", "\t", "\u{202e}", "\u{0}"] {
            XCTAssertEqual(text(c), "?", "U+\(String(c.unicodeScalars.first!.value, radix: 16))")
            XCTAssertEqual(text(c, unicode: false), "?")
        }
    }

    func testWideAndZeroWidthGlyphsBecomeQuestionMarks() {
        XCTAssertEqual(text("漢"), "?")
        XCTAssertEqual(text("\u{301}"), "?") // a combining mark alone
    }

    func testAsciiModeDropsEverythingButPrintableAscii() {
        XCTAssertEqual(text("x", unicode: false), "x")
        XCTAssertEqual(text("█", unicode: false), "?")
        XCTAssertEqual(text("é", unicode: false), "?")
    }
}

final class KeyDecoderTests: XCTestCase {
    func testCharacters() {
        XCTAssertEqual(KeyDecoder.decode(character: 113), .key(.char("q")))
        XCTAssertEqual(KeyDecoder.decode(character: 3), .key(.ctrlC))
        XCTAssertEqual(KeyDecoder.decode(character: 9), .key(.tab))
        XCTAssertEqual(KeyDecoder.decode(character: 27), .key(.escape))
        XCTAssertEqual(KeyDecoder.decode(character: 13), .key(.enter))
        XCTAssertEqual(KeyDecoder.decode(character: 127), .key(.backspace))
        XCTAssertEqual(KeyDecoder.decode(character: 0x20), .key(.char(" ")))
        XCTAssertEqual(KeyDecoder.decode(character: 0xE9), .key(.char("é")))
        XCTAssertNil(KeyDecoder.decode(character: 1))
        XCTAssertNil(KeyDecoder.decode(character: 0x9B))
        XCTAssertNil(KeyDecoder.decode(character: 0xD800)) // not a scalar
    }

    func testFunctionKeys() {
        // ncurses' codes (octal in curses.h): KEY_DOWN 0402, KEY_UP 0403, KEY_LEFT 0404,
        // KEY_RIGHT 0405, KEY_HOME 0406, KEY_F0 0410, KEY_END 0550, KEY_BTAB 0541, KEY_RESIZE 0632.
        XCTAssertEqual(KeyDecoder.decode(keyCode: 0o402), .key(.down))
        XCTAssertEqual(KeyDecoder.decode(keyCode: 0o403), .key(.up))
        XCTAssertEqual(KeyDecoder.decode(keyCode: 0o404), .key(.left))
        XCTAssertEqual(KeyDecoder.decode(keyCode: 0o405), .key(.right))
        XCTAssertEqual(KeyDecoder.decode(keyCode: 0o406), .key(.home))
        XCTAssertEqual(KeyDecoder.decode(keyCode: 0o550), .key(.end))
        XCTAssertEqual(KeyDecoder.decode(keyCode: 0o541), .key(.tab))
        XCTAssertEqual(KeyDecoder.decode(keyCode: 0o632), .resize)
        XCTAssertEqual(KeyDecoder.decode(keyCode: 0o410 + 1), .key(.function(1)))
        XCTAssertNil(KeyDecoder.decode(keyCode: 0o777))
    }
}
