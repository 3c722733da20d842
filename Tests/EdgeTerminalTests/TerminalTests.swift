import Foundation
import XCTest
import EdgeDashboard
@testable import EdgeTerminal
#if canImport(Glibc)
import Glibc
#endif

/// The real ncurses layer on a pseudo-terminal: what `draw` hands to ncurses, and the
/// colour depth terminfo gives.
final class TerminalTests: XCTestCase {
    private var master: Int32 = -1
    private var slave: Int32 = -1

    override func setUpWithError() throws {
        // /dev/ptmx by hand: posix_openpt and friends are hidden from Swift's Glibc module.
        // TIOCSPTLCK (unlock) and TIOCGPTN (number) as Linux defines them.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { throw XCTSkip("no /dev/ptmx") }
        var unlock: Int32 = 0, number: Int32 = 0
        guard ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            throw XCTSkip("cannot set up a pseudo-terminal")
        }
        slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw XCTSkip("cannot open /dev/pts/\(number)") }
        var size = winsize(ws_row: 10, ws_col: 40, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    override func tearDown() {
        if slave >= 0 { close(slave) }
        if master >= 0 { close(master) }
    }

    /// Everything the terminal has been sent so far.
    private func drain() -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &chunk, chunk.count)
            if n <= 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    private func frame(_ text: String) -> Buffer {
        var b = Buffer(width: 40, height: 10)
        for (i, c) in text.enumerated() { b[i % 40, i / 40] = Cell(c, style: Style(fg: .rgb(200, 40, 40))) }
        return b
    }

    func testOnlyChangedCellsAreWritten() throws {
        let t = try Terminal(environment: [:], input: slave, output: slave, termType: "xterm-256color", signalHandlers: false)
        defer { t.close() }
        XCTAssertEqual(t.size.width, 40)
        XCTAssertEqual(t.size.height, 10)
        XCTAssertEqual(t.colorDepth, .palette256)

        let first = frame(String(repeating: "abcdefghij", count: 40))
        XCTAssertEqual(t.draw(first), 400, "the first frame writes every cell")
        let full = drain()
        XCTAssertGreaterThan(full.count, 400)

        var second = first
        second[7, 3] = Cell("Z", style: Style(fg: .rgb(200, 40, 40)))
        XCTAssertEqual(t.draw(second), 1, "one changed cell, one write")
        let delta = drain()
        XCTAssertTrue(delta.contains(UInt8(ascii: "Z")))
        XCTAssertLessThan(delta.count, 40, "more than a cursor move and one cell was sent: \(delta)")

        XCTAssertEqual(t.draw(second), 0, "an unchanged frame writes nothing")
        t.invalidate()
        XCTAssertEqual(t.draw(second), 400, "after a resize everything is written again")
    }

    func testControlCharactersInCellsNeverReachTheTerminal() throws {
        let t = try Terminal(environment: [:], input: slave, output: slave, termType: "xterm-256color", signalHandlers: false)
        defer { t.close() }
        _ = t.draw(frame(""))
        _ = drain()
        var b = frame("")
        b[1, 1] = Cell("\u{1b}")
        b[2, 1] = Cell("\u{7}")
        b[3, 1] = Cell("\u{9b}")
        XCTAssertEqual(t.draw(b), 3)
        let sent = drain()
        XCTAssertFalse(sent.contains(0x07), "BEL reached the terminal")
        XCTAssertFalse(sent.contains(0x9b), "a C1 CSI reached the terminal")
        XCTAssertEqual(sent.filter { $0 == UInt8(ascii: "?") }.count, 3)
    }

    func testMonochromeTerminfoHasNoColours() throws {
        let t = try Terminal(environment: [:], input: slave, output: slave, termType: "vt100", signalHandlers: false)
        defer { t.close() }
        XCTAssertEqual(t.colorDepth, .none)
        XCTAssertEqual(t.draw(frame("mono")), 400)
        let sent = drain()
        // No SGR colour (ESC [ 3x / 4x / 38 / 48) in the output.
        let text = String(decoding: sent, as: UTF8.self)
        XCTAssertNil(text.range(of: "\u{1b}\\[[0-9;]*(3[0-8]|4[0-8])[;m]", options: .regularExpression), text.debugDescription)
    }

    func testNoColorWinsOnAColourTerminal() throws {
        let t = try Terminal(environment: ["NO_COLOR": "1"], input: slave, output: slave, termType: "xterm-256color", signalHandlers: false)
        defer { t.close() }
        XCTAssertEqual(t.colorDepth, .none)
    }

    func testTrueColourOnADirectColourTerminal() throws {
        // A direct-colour terminfo (like xterm-direct), compiled here so the test does not
        // depend on which entries the machine ships.
        guard let tic = ["/usr/bin/tic", "/bin/tic"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("tic is not installed")
        }
        let dir = NSTemporaryDirectory() + "edgetop-terminfo-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = dir + "/direct.src"
        try """
            edgetop-direct|xterm with 24-bit direct colour,
            \tcolors#0x1000000, pairs#0x10000, RGB,
            \tsetab=\\E[%?%p1%{8}%<%t4%p1%d%e48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
            \tsetaf=\\E[%?%p1%{8}%<%t3%p1%d%e38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
            \tuse=xterm-256color,

            """.write(toFile: source, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tic)
        p.arguments = ["-x", "-o", dir, source]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "tic failed")
        setenv("TERMINFO", dir, 1)
        defer { unsetenv("TERMINFO") }

        let t = try Terminal(environment: [:], input: slave, output: slave, termType: "edgetop-direct", signalHandlers: false)
        defer { t.close() }
        XCTAssertEqual(t.colorDepth, .trueColor(direct: true))
        var b = Buffer(width: 40, height: 10)
        b[0, 0] = Cell("x", style: Style(fg: .rgb(0x12, 0x34, 0x56), bg: .rgb(250, 128, 7)))
        _ = t.draw(b)
        let sent = String(decoding: drain(), as: UTF8.self)
        XCTAssertTrue(sent.contains("38;2;18;52;86"), "no 24-bit foreground in \(sent.debugDescription)")
        XCTAssertTrue(sent.contains("48;2;250;128;7"), "no 24-bit background in \(sent.debugDescription)")
    }
}
