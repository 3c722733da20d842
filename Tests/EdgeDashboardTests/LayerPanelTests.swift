import XCTest
import EdgeTrace
@testable import EdgeDashboard

/// The layer and process tables: sorting, scrolling, full-screen views on `l` and `c`, the
/// layout that shows both on a large terminal, and names that cannot reach the screen raw.
final class LayerPanelTests: XCTestCase {
    static func profile(t: Double, scale: UInt64 = 1, emulated: Bool = false) -> LayerProfile {
        let layers: [(String, String, String, Int, String, UInt64)] = [
            ("conv_0", "conv3x3s2", "112x112x32", 10_838_016, "q8conv_ukernel_4x16c4__avx512vnni", 400_000),
            ("dw_1", "dw3x3s1", "112x112x32", 3_612_672, "q8dwconv_ukernel_up16x9__avx512vnni", 300_000),
            ("pw_1", "conv1x1s1", "112x112x64", 25_690_112, "q8gemm_ukernel_4x16c4__avx512vnni", 250_000),
            ("dw_2", "dw3x3s2", "56x56x64", 1_806_336, "q8dwconv_ukernel_up16x9__avx512vnni", 150_000),
            ("pw_2", "conv1x1s1", "56x56x128", 25_690_112, "q8gemm_ukernel_4x16c4__avx512vnni", 200_000),
            ("pool", "avgpool", "1x1x1024", 0, "q8gavgpool", 5_000),
            ("fc", "fc", "1x1x1000", 1_024_000, "q8gemm_ukernel_4x16c4__avx512vnni", 50_000),
        ]
        return LayerProfile(t: t, backend: "int8", model: "mobilenet-v1-1.0-224", emulated: emulated, peakGMACs: 180,
                            layers: layers.map { LayerSample(name: $0.0, kind: $0.1, shape: $0.2, macs: $0.3, kernel: $0.4, ns: $0.5 * scale) })
    }

    static let processes = ProcessSample(t: 59, interval: 2, processes: [
        ProcessEntry(pid: 4242, name: "cc1plus", cpu: 1.75, rssBytes: 512 << 20),
        ProcessEntry(pid: 1001, name: "edgetop-infer", cpu: 0.3, rssBytes: 80 << 20, kind: .ownThread),
        ProcessEntry(pid: 35, name: "kworker/1:2", cpu: 0.03, rssBytes: 0, kind: .kernelThread),
        ProcessEntry(pid: 666, name: "evil\u{1B}[2J", cpu: 0.01, rssBytes: 4096),
    ])

    static func state(mode: SourceMode = .live(recordingTo: nil)) -> DashboardState {
        var s = Fixture.state(mode: mode)
        s.ingest([.layers(profile(t: 58)), .layers(profile(t: 58.5, scale: 3)), .layers(profile(t: 59, scale: 2)),
                  .processes(processes)])
        return s
    }

    func testLayerPanelSortedByTimeWithTheSortInTheTitle() {
        let s = Self.state()
        var buf = Snapshot.sentinel(width: 102, height: 12)
        LayerPanel.draw(into: &buf, area: Rect(x: 1, y: 1, width: 100, height: 10), state: s,
                        palette: Palette(theme: s.theme, capabilities: s.capabilities))
        Snapshot.assertUntouchedOutside(buf, Rect(x: 1, y: 1, width: 100, height: 10))
        Snapshot.assert(buf, named: "widget-layers-100x10")
        let lines = buf.lines()
        XCTAssertTrue(lines[1].contains("mobilenet-v1-1.0-224 int8 measured, median of 3, sort time desc"), lines[1])
        // Medians of 1x, 3x, 2x: conv_0 800 us first, then dw_1 600 us.
        XCTAssertTrue(lines[3].contains("conv3x3s2") && lines[3].contains("0.800"), lines[3])
        XCTAssertTrue(lines[4].contains("dw3x3s1") && lines[4].contains("0.600"), lines[4])
        XCTAssertTrue(lines[3].contains("q8conv_ukernel_4x16c4__avx512vnni"), "the true kernel name")
    }

    func testSortKeysStepThroughColumnsAndScrollKeysMoveTheRows() {
        var s = Self.state()
        XCTAssertEqual(s.handle(.char(">")), .sortNext)
        XCTAssertEqual(s.tables.layerSort, .share)
        s.handle(.char(">"))
        XCTAssertEqual(s.tables.layerSort, .rate)
        XCTAssertEqual(s.tables.sorted(s.layerTable!.rows).first?.name, "pw_2", "fastest rate first")
        XCTAssertEqual(s.handle(.char("<")), .sortPrevious)
        s.handle(.function(6)); s.handle(.function(6))
        XCTAssertEqual(s.tables.layerSort, .index)
        XCTAssertFalse(s.tables.descending, "index reads in graph order")
        XCTAssertEqual(s.tables.sorted(s.layerTable!.rows).map(\.index), Array(0..<7))

        XCTAssertEqual(s.handle(.down), .scroll(1))
        XCTAssertEqual(s.handle(.pageDown), .scroll(KeyMap.tablePage))
        XCTAssertEqual(s.tables.layerScroll, 6, "clamped to the last row")
        s.handle(.up)
        XCTAssertEqual(s.tables.layerScroll, 5)
        var buf = Snapshot.sentinel(width: 82, height: 7)
        LayerPanel.draw(into: &buf, area: Rect(x: 1, y: 1, width: 80, height: 5), state: s,
                        palette: Palette(theme: s.theme, capabilities: s.capabilities))
        let lines = buf.lines()
        XCTAssertTrue(lines[3].contains("avgpool"), "scrolled only as far as the last page: two visible rows end at the last")
        XCTAssertTrue(lines[4].contains("fc"), lines[4])
        XCTAssertTrue(lines[5].contains("6-7/7"), lines[5])
    }

    func testFullScreenViewsOnKeysAndEscapeReturns() {
        var s = Self.state()
        XCTAssertEqual(s.handle(.char("l")), .toggleLayerView)
        XCTAssertEqual(s.tables.view, .layers)
        let layers = DashboardScreen.render(s, width: 80, height: 24)
        Snapshot.assert(layers, named: "screen-80x24-layers")
        XCTAssertTrue(layers.lines()[1].contains("Layers"))
        XCTAssertEqual(s.handle(.char("o")), .toggleProcessView)
        XCTAssertEqual(s.tables.view, .processes)
        let procs = DashboardScreen.render(s, width: 80, height: 24)
        Snapshot.assert(procs, named: "screen-80x24-processes")
        let text = procs.lines().joined(separator: "\n")
        XCTAssertTrue(text.contains("*edgetop-infer"), text)
        XCTAssertTrue(text.contains("[kworker/1:2]"), text)
        XCTAssertTrue(text.contains("  175.0"), "CPU% of one core, as top")
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B }, "no raw escape reaches the screen")
        XCTAssertEqual(s.handle(.escape), .closeView)
        XCTAssertEqual(s.tables.view, .panels)
        s.handle(.char("?"))
        XCTAssertEqual(s.handle(.escape), .toggleHelp, "Escape closes the help first")
    }

    func testLargeTerminalShowsBothTablesAndTheOthersStay() {
        let s = Self.state()
        let big = DashboardScreen.render(s, width: 140, height: 50)
        Snapshot.assert(big, named: "screen-140x50-tables")
        let text = big.lines().joined(separator: "\n")
        for title in ["Layers", "Processes", "FPS", "Latency", "Temperature"] { XCTAssertTrue(text.contains(title), title) }
        let small = DashboardScreen.render(s, width: 120, height: 40).lines().joined(separator: "\n")
        XCTAssertFalse(small.contains("Processes"), "below the size the tables are on keys")
    }

    func testEmulatedTimesAreLabelledAndShownFirst() {
        var s = Self.state()
        s.ingest([.layers(Self.profile(t: 60, scale: 5, emulated: true))])
        XCTAssertEqual(s.layerTable?.key.emulated, true)
        var buf = Snapshot.sentinel(width: 102, height: 6)
        LayerPanel.draw(into: &buf, area: Rect(x: 1, y: 1, width: 100, height: 4), state: s,
                        palette: Palette(theme: s.theme, capabilities: s.capabilities))
        XCTAssertTrue(buf.lines()[1].contains("int8 emulated, median of 1"), buf.lines()[1])
    }

    func testNoProfileYetSaysSo() {
        let s = Fixture.state()
        var buf = Snapshot.sentinel(width: 62, height: 6)
        LayerPanel.draw(into: &buf, area: Rect(x: 1, y: 1, width: 60, height: 4), state: s,
                        palette: Palette(theme: s.theme, capabilities: s.capabilities))
        XCTAssertTrue(buf.lines()[2].contains("no layer profile yet"))
        ProcessPanel.draw(into: &buf, area: Rect(x: 1, y: 1, width: 60, height: 4), state: s,
                          palette: Palette(theme: s.theme, capabilities: s.capabilities))
        XCTAssertTrue(buf.lines()[2].contains("no process sample yet"))
    }
}
