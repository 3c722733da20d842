import XCTest
import EdgeTrace
@testable import EdgeDashboard

/// Each panel drawn alone into an area of a sentinel-filled buffer: the snapshot shows what
/// it writes, and the sentinel left around it shows it wrote nowhere else.
final class WidgetSnapshotTests: XCTestCase {
    typealias Draw = (inout Buffer, Rect, DashboardState, Palette) -> Void

    func check(_ name: String, state: DashboardState, width: Int, height: Int, styles: Bool = false,
               file: StaticString = #filePath, line: UInt = #line, _ draw: Draw) -> Buffer {
        var buf = Snapshot.sentinel(width: width + 2, height: height + 2)
        let area = Rect(x: 1, y: 1, width: width, height: height)
        draw(&buf, area, state, Palette(theme: state.theme, capabilities: state.capabilities))
        Snapshot.assertUntouchedOutside(buf, area, file: file, line: line)
        for y in area.y..<area.bottom {
            for x in area.x..<area.right where buf[x, y].symbol == "§" {
                XCTFail("\(name): cell (\(x), \(y)) inside the area left unwritten", file: file, line: line)
                return buf
            }
        }
        Snapshot.assert(buf, named: "widget-" + name, styles: styles, file: file, line: line)
        return buf
    }

    func testFPSPanel() {
        let s = Fixture.state()
        let buf = check("fps-40x9", state: s, width: 40, height: 9, styles: true, FPSPanel.draw)
        let text = buf.lines().joined(separator: "\n")
        XCTAssertTrue(text.contains("target 30"))
        XCTAssertTrue(text.contains("missed"))
        // The deadline line is drawn in the upload gradient's start colour.
        let dashed = buf.cells.first { $0.symbol == "┄" }
        XCTAssertEqual(dashed?.style.fg, Theme.builtinDefault.color("upload_start"))
        _ = check("fps-60x12-ascii", state: Fixture.state(capabilities: .minimal), width: 60, height: 12, FPSPanel.draw)
    }

    func testEmulatedFPSAndLatencyAreLabelled() {
        var header = Fixture.header()
        header.source = .emulated
        var s = DashboardState(header: header, mode: .live(recordingTo: nil))
        s.ingest(Fixture.events(seconds: 5))
        let fps = Snapshot.sentinel(width: 42, height: 8)
        var buf = fps
        FPSPanel.draw(into: &buf, area: Rect(x: 1, y: 1, width: 40, height: 6), state: s,
                      palette: Palette(theme: s.theme, capabilities: s.capabilities))
        XCTAssertTrue(buf.lines()[1].contains("FPS") && buf.lines()[1].contains("(emulated)"), buf.lines()[1])
        buf = fps
        LatencyPanel.draw(into: &buf, area: Rect(x: 1, y: 1, width: 40, height: 6), state: s,
                          palette: Palette(theme: s.theme, capabilities: s.capabilities))
        XCTAssertTrue(buf.lines()[1].contains("(emulated)"), buf.lines()[1])
        // A recorded session says nothing of the kind.
        buf = fps
        FPSPanel.draw(into: &buf, area: Rect(x: 1, y: 1, width: 40, height: 6), state: Fixture.state(),
                      palette: Palette(theme: s.theme, capabilities: s.capabilities))
        XCTAssertFalse(buf.lines()[1].contains("emulated"), buf.lines()[1])
    }

    func testLatencyPanel() {
        let s = Fixture.state()
        let buf = check("latency-40x14", state: s, width: 40, height: 14, styles: true, LatencyPanel.draw)
        let text = buf.lines().joined(separator: "\n")
        for label in ["p50", "p90", "p99", "last ", "session"] { XCTAssertTrue(text.contains(label), label) }
        var overlay = Fixture.state(mode: .replay(position: 60, length: 60, speed: 1, paused: true))
        overlay.handle(.char("b"))
        let o = check("latency-60x16-overlay", state: overlay, width: 60, height: 16, LatencyPanel.draw)
        XCTAssertTrue(o.lines().joined().contains("int8 vs fp32"))
    }

    func testTemperaturePanel() {
        let buf = check("temperature-50x6", state: Fixture.state(), width: 50, height: 6, styles: true, TemperaturePanel.draw)
        XCTAssertTrue(buf.lines().joined().contains("THROTTLE"))
        _ = check("temperature-none-30x4", state: Fixture.state(sensors: false), width: 30, height: 4, TemperaturePanel.draw)
    }

    func testEmulatedTemperaturesAreLabelled() {
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.ingest([.system(SystemSample(t: 1, load: [CoreLoad(user: 0.5)], frequency: [CoreFrequency(curMHz: 1200, maxMHz: 1600, emulated: true)],
                                       temperatures: [Temperature(sensor: "soc", celsius: 70, passiveC: 65, emulated: true)]))])
        let buf = check("temperature-emulated-40x4", state: s, width: 40, height: 4, TemperaturePanel.draw)
        XCTAssertTrue(buf.lines()[1].contains("(emulated)"))
        let cores = check("cores-emulated-40x3", state: s, width: 40, height: 3, CoresPanel.draw)
        XCTAssertTrue(cores.lines()[1].contains("(emulated)"))
    }

    func testQualityPanel() {
        let buf = check("quality-40x4", state: Fixture.state(), width: 40, height: 4, styles: true, QualityPanel.draw)
        XCTAssertTrue(buf.lines().joined().contains("0.9981"))
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.ingest([.quality(QualityReport(t: 1, backend: "int8", model: "m", cosine: 0.71234, top1Agree: false))])
        let bad = check("quality-disagree-40x3", state: s, width: 40, height: 3, QualityPanel.draw)
        XCTAssertTrue(bad.lines().joined().contains("DIFFERS"))
    }

    func testHeaderAndStatusLine() {
        let live = Fixture.state(mode: .live(recordingTo: "run.jsonl"))
        let h = check("header-live-100", state: live, width: 100, height: 1, styles: true, HeaderBar.draw)
        XCTAssertTrue(h.lines()[1].contains("LIVE"))
        XCTAssertTrue(h.lines()[1].contains("REC run.jsonl"))
        let replay = Fixture.state(mode: .replay(position: 75.5, length: 3725, speed: 0.25, paused: true))
        let r = check("header-replay-64", state: replay, width: 64, height: 1, HeaderBar.draw)
        XCTAssertTrue(r.lines()[1].contains("REPLAY 1:15/1:02:05 0.25×"))
        _ = check("status-live-80", state: live, width: 80, height: 1, StatusLine.draw)
        _ = check("status-replay-80", state: replay, width: 80, height: 1, StatusLine.draw)
    }

    /// Core layouts from 2 to 32 cores in a 40-wide panel, and 32 in a small one.
    func testCoresLayouts() {
        for n in [2, 4, 8, 16, 32] {
            let s = Fixture.state(cores: n)
            let rows = CoresPanel.rowsNeeded(cores: n, width: 38, frequency: true)
            let buf = check("cores-\(n)", state: s, width: 40, height: rows + 2, CoresPanel.draw)
            // Every core index is on screen.
            let text = buf.lines().joined(separator: "\n")
            for c in 0..<n { XCTAssertTrue(text.contains("\(c) ["), "core \(c) of \(n)") }
        }
        XCTAssertEqual(CoresPanel.arrange(cores: 2, width: 38, height: 10, frequency: true).columns, 1)
        XCTAssertEqual(CoresPanel.arrange(cores: 16, width: 38, height: 8, frequency: true).columns, 2)
        let many = CoresPanel.arrange(cores: 32, width: 38, height: 6, frequency: true)
        XCTAssertLessThan(many.shown, 32)
        let s = Fixture.state(cores: 32)
        let buf = check("cores-32-cramped", state: s, width: 40, height: 8, CoresPanel.draw)
        XCTAssertTrue(buf.lines().joined().contains("cores not shown"))
        let wide = CoresPanel.arrange(cores: 32, width: 118, height: 8, frequency: true)
        XCTAssertEqual(wide.shown, 32)
        XCTAssertTrue(wide.showFrequency)
    }

    func testCoreBarSplitsUserAndSystem() {
        var s = DashboardState(header: Fixture.header(cores: 1), mode: .live(recordingTo: nil), capabilities: .minimal)
        s.ingest([.system(SystemSample(t: 1, load: [CoreLoad(user: 0.5, system: 0.25)]))])
        var buf = Buffer(width: 24, height: 3)
        CoresPanel.draw(into: &buf, area: Rect(x: 0, y: 0, width: 24, height: 3), state: s,
                        palette: Palette(theme: s.theme, capabilities: s.capabilities))
        // "0 [" then 18 cells: 9 user, 5 system (4.5 rounds up), the rest empty with "75%" at the right.
        XCTAssertEqual(buf.lines()[1], "|0 [|||||||||##### 75%]|")
    }

    func testTextFromTracesCannotInjectControls() {
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.ingest([.system(SystemSample(t: 1, temperatures: [Temperature(sensor: "evil\u{1b}[2J\u{7}zone", celsius: 40)])),
                  .inference(InferenceEvent(t: 1, backend: "b\u{9b}31m", model: "m\u{0}\n", latencyNs: 1_000_000))])
        let buf = DashboardScreen.render(s, width: 100, height: 30)
        for c in buf.cells {
            let v = c.symbol.unicodeScalars.first!.value
            XCTAssertFalse(v < 0x20 || (0x7F...0x9F).contains(v), "control U+\(String(v, radix: 16)) reached the buffer")
        }
        XCTAssertTrue(buf.lines().joined().contains("evil?[2J?"))
    }
}

final class CoresHistoryTests: XCTestCase {
    /// Two cores at 25 % and 75 % for 30 s: the history under the bars is half full.
    func testLoadHistoryHeightIsTheMeanLoad() {
        var s = DashboardState(header: Fixture.header(cores: 2), mode: .live(recordingTo: nil))
        for t in 0..<30 { s.ingest([.system(SystemSample(t: Double(t) + 0.5, load: [CoreLoad(user: 0.25), CoreLoad(user: 0.75)]))]) }
        var buf = Buffer(width: 30, height: 12)
        CoresPanel.draw(into: &buf, area: Rect(x: 0, y: 0, width: 30, height: 12), state: s,
                        palette: Palette(theme: s.theme, capabilities: s.capabilities))
        let lines = buf.lines()
        XCTAssertTrue(lines[4].contains("100%"))
        XCTAssertTrue(lines[4].contains("mean load, 60s"))
        // Graph rows 4...10 (7 rows, 28 dots): 50 % is 14 dots, three full rows and a half one.
        XCTAssertEqual(lines[10].filter { $0 == "⣿" }.count, 14)
        XCTAssertEqual(lines[9].filter { $0 == "⣿" }.count, 14)
        XCTAssertEqual(lines[8].filter { $0 == "⣿" }.count, 14)
        XCTAssertEqual(lines[7].filter { $0 == "⣤" }.count, 14)
        XCTAssertFalse(lines[6].contains("⣀") || lines[6].contains("⣿"))
        // The first half of the minute has no data yet: nothing drawn there.
        XCTAssertEqual(lines[10].prefix(15), "│              ")
    }
}

final class OverlayMarkTests: XCTestCase {
    /// Without colour, the second series' mark inside a bar is a different symbol, not only a
    /// different colour; with colour, the bar keeps its symbol and takes the mark's colour.
    func testMarksInsideBarsShowWithoutColour() {
        // One backend: the recent window marked over the whole session's bars, mostly inside them.
        var s = Fixture.state(mode: .replay(position: 60, length: 60, speed: 1, paused: true), capabilities: RenderCapabilities(unicode: true, color: false))
        var mono = Buffer(width: 60, height: 20)
        LatencyPanel.draw(into: &mono, area: Rect(x: 0, y: 0, width: 60, height: 20), state: s,
                          palette: Palette(theme: s.theme, capabilities: s.capabilities))
        s.capabilities = .full
        var color = Buffer(width: 60, height: 20)
        LatencyPanel.draw(into: &color, area: Rect(x: 0, y: 0, width: 60, height: 20), state: s,
                          palette: Palette(theme: s.theme, capabilities: s.capabilities))
        let shaded = mono.cells.filter { $0.symbol == "▒" }.count
        XCTAssertGreaterThan(shaded, 0)
        XCTAssertEqual(color.cells.filter { $0.symbol == "▒" }.count, 0)
        // Each shaded cell is, in colour, a bar cell that took the mark's colour.
        for i in mono.cells.indices where mono.cells[i].symbol == "▒" {
            XCTAssertEqual(color.cells[i].style.fg, Theme.builtinDefault.color("cached_end"))
            XCTAssertNotEqual(color.cells[i].symbol, " ")
        }
    }
}
