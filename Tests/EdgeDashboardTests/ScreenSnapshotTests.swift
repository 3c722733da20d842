import XCTest
import EdgeTrace
@testable import EdgeDashboard

/// Whole screens from the fixed fixture session, compared as text (and styles) with the
/// files in `Snapshots/`.
final class ScreenSnapshotTests: XCTestCase {
    let replay = SourceMode.replay(position: 42, length: 120, speed: 2, paused: false)

    func testReplay80x24DefaultTheme() throws {
        let s = Fixture.state(mode: replay, theme: try Fixture.shipped("default"))
        Snapshot.assert(DashboardScreen.render(s, width: 80, height: 24), named: "screen-80x24-default", styles: true)
    }

    func testReplay120x40DefaultTheme() throws {
        let s = Fixture.state(mode: replay, theme: try Fixture.shipped("default"))
        Snapshot.assert(DashboardScreen.render(s, width: 120, height: 40), named: "screen-120x40-default", styles: true)
    }

    func testReplay80x24LightTheme() throws {
        let s = Fixture.state(mode: replay, theme: try Fixture.shipped("light"))
        Snapshot.assert(DashboardScreen.render(s, width: 80, height: 24), named: "screen-80x24-light", styles: true)
    }

    func testLive120x40HighContrastRecording() throws {
        let s = Fixture.state(mode: .live(recordingTo: "session.jsonl"), theme: try Fixture.shipped("high-contrast"))
        Snapshot.assert(DashboardScreen.render(s, width: 120, height: 40), named: "screen-120x40-live-high-contrast", styles: true)
    }

    func testASCIIMonochrome80x24() throws {
        let s = Fixture.state(mode: replay, theme: try Fixture.shipped("monochrome"), capabilities: .minimal)
        let buf = DashboardScreen.render(s, width: 80, height: 24)
        Snapshot.assert(buf, named: "screen-80x24-ascii-monochrome", styles: true)
        for line in buf.lines() { XCTAssertTrue(line.allSatisfy(\.isASCII), "non-ASCII in: \(line)") }
        for c in buf.cells { XCTAssertEqual(c.style.fg, .default); XCTAssertEqual(c.style.bg, .default) }
    }

    func testHelpOverlay80x24() {
        var s = Fixture.state(mode: replay)
        s.handle(.char("?"))
        Snapshot.assert(DashboardScreen.render(s, width: 80, height: 24), named: "screen-80x24-help")
    }

    func testReplayOverlayOfTwoBackends120x40() {
        var s = Fixture.state(mode: replay)
        s.handle(.char("b"))
        XCTAssertEqual(s.shownBackends, ["int8", "fp32"])
        Snapshot.assert(DashboardScreen.render(s, width: 120, height: 40), named: "screen-120x40-overlay")
    }

    func testNoSensorDevice80x24() {
        let s = Fixture.state(mode: .live(recordingTo: nil), sensors: false)
        let buf = DashboardScreen.render(s, width: 80, height: 24)
        XCTAssertTrue(buf.lines().joined().contains("no sensor"))
        Snapshot.assert(buf, named: "screen-80x24-no-sensor")
    }

    func testEmptySessionDrawsWithoutData() {
        let s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        let buf = DashboardScreen.render(s, width: 80, height: 24)
        let text = buf.lines().joined(separator: "\n")
        XCTAssertTrue(text.contains("no inference yet"))
        XCTAssertTrue(text.contains("no sensor"))
        XCTAssertTrue(text.contains("no quality report"))
    }

    func testTooSmall() {
        let s = Fixture.state()
        for (w, h) in [(63, 24), (80, 19), (20, 5)] {
            let text = DashboardScreen.render(s, width: w, height: h).lines().joined(separator: "\n")
            if w >= 36 {
                XCTAssertTrue(text.contains("terminal too small (need 64×20)"), "\(w)x\(h):\n\(text)")
                XCTAssertTrue(text.contains("now \(w)×\(h)"))
            } else {
                XCTAssertTrue(text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "").contains("terminaltoosmall"))
            }
            XCTAssertFalse(text.contains("FPS"))
        }
        Snapshot.assert(DashboardScreen.render(s, width: 40, height: 8), named: "screen-too-small")
        // At the minimum the dashboard draws.
        XCTAssertTrue(DashboardScreen.render(s, width: 64, height: 20).lines().joined().contains("FPS"))
    }

    func testSameEventsRenderTheSameScreen() {
        let a = DashboardScreen.render(Fixture.state(mode: replay), width: 120, height: 40)
        let b = DashboardScreen.render(Fixture.state(mode: replay), width: 120, height: 40)
        XCTAssertEqual(a, b)
        XCTAssertTrue(a.changes(from: b).isEmpty)
    }

    func testThemesChangeColoursNotText() throws {
        let dark = DashboardScreen.render(Fixture.state(mode: replay, theme: try Fixture.shipped("default")), width: 80, height: 24)
        let light = DashboardScreen.render(Fixture.state(mode: replay, theme: try Fixture.shipped("light")), width: 80, height: 24)
        XCTAssertEqual(dark.lines(), light.lines())
        // Background of an empty cell is each theme's main_bg.
        XCTAssertEqual(dark[79, 23].style.bg, .rgb(0x12, 0x15, 0x1a))
        XCTAssertEqual(light[79, 23].style.bg, .rgb(0xfa, 0xfa, 0xfa))
        // The FPS panel's border takes net_box, the cores panel's cpu_box.
        XCTAssertEqual(dark[0, 1].symbol, "╭")
        XCTAssertEqual(dark[0, 1].style.fg, .rgb(0x4f, 0x9f, 0x6f))
        XCTAssertEqual(light[0, 1].style.fg, .rgb(0x2f, 0x8a, 0x55))
        XCTAssertEqual(dark[40, 1].style.fg, .rgb(0x3f, 0x7f, 0xbf))
    }

    func testThrottlingMarkIsBoldReverseInEveryTheme() throws {
        for name in ThemeLibrary.shipped {
            let buf = DashboardScreen.render(Fixture.state(mode: replay, theme: try Fixture.shipped(name)), width: 120, height: 40)
            let lines = buf.lines()
            guard let y = lines.firstIndex(where: { $0.contains("THROTTLE") }) else { return XCTFail("\(name): no throttle mark") }
            let x = lines[y].distance(from: lines[y].startIndex, to: lines[y].range(of: "THROTTLE")!.lowerBound)
            XCTAssertTrue(buf[x, y].style.reverse && buf[x, y].style.bold, name)
        }
    }
}

/// Whole screens for 2 to 32 cores: every core is on screen where it fits, and where it
/// does not, the panel says how many are left out instead of drawing a broken grid.
final class CoreCountScreenTests: XCTestCase {
    func testCoreCountsAtBothSizes() {
        for n in [2, 4, 8, 16, 32] {
            let s = Fixture.state(cores: n)
            for (w, h) in [(80, 24), (120, 40)] {
                let lines = DashboardScreen.render(s, width: w, height: h).lines()
                let text = lines.joined(separator: "\n")
                let digits = String(n - 1).count
                let shown = (0..<n).filter { c in
                    let label = Format.right(String(c), digits) + " ["
                    return text.contains("│" + label) || text.contains(" " + label)
                }.count
                if text.contains("cores not shown") {
                    XCTAssertLessThan(shown, n, "\(n) cores at \(w)x\(h)")
                    XCTAssertTrue(text.contains("+\(n - shown) cores not shown"), "\(n) cores at \(w)x\(h):\n\(text)")
                } else {
                    XCTAssertEqual(shown, n, "\(n) cores at \(w)x\(h):\n\(text)")
                }
                // The other panels keep their place whatever the core count.
                XCTAssertTrue(text.contains("Temperature") && text.contains("Quality") && text.contains("Latency"), "\(n) at \(w)x\(h)")
            }
        }
        // 16 cores fit both sizes; 32 fit at 120x40 in two columns.
        XCTAssertFalse(DashboardScreen.render(Fixture.state(cores: 16), width: 80, height: 24).lines().joined().contains("not shown"))
        XCTAssertFalse(DashboardScreen.render(Fixture.state(cores: 32), width: 120, height: 40).lines().joined().contains("not shown"))
        Snapshot.assert(DashboardScreen.render(Fixture.state(cores: 32), width: 120, height: 40), named: "screen-120x40-32-cores")
    }
}
