import XCTest
import EdgeTrace
@testable import EdgeDashboard

/// Figures that say what they are: small samples, imported logs, power, configurations,
/// the end of a replay. Each panel is drawn into a sentinel-filled buffer and snapshotted.
final class HonestFiguresTests: XCTestCase {
    typealias Draw = (inout Buffer, Rect, DashboardState, Palette) -> Void

    private func draw(_ name: String, _ state: DashboardState, width: Int, height: Int,
                      file: StaticString = #filePath, line: UInt = #line, _ draw: Draw) -> String {
        var buf = Snapshot.sentinel(width: width + 2, height: height + 2)
        let area = Rect(x: 1, y: 1, width: width, height: height)
        draw(&buf, area, state, Palette(theme: state.theme, capabilities: state.capabilities))
        Snapshot.assertUntouchedOutside(buf, area, file: file, line: line)
        Snapshot.assert(buf, named: "widget-" + name, file: file, line: line)
        return buf.lines().joined(separator: "\n")
    }

    private static func imported() -> TraceHeader {
        TraceHeader(device: DeviceInfo(cpuModel: "Orin", cores: 12, os: "Ubuntu", kernel: "unknown", hasThermalSensors: false),
                    source: .imported, model: "resnet50", startTime: "2023-02-24T06:21:48Z")
    }

    private static func inferences(_ n: Int, backend: String = "int8", model: String = "m-224", start: Double = 0) -> [Event] {
        (1...n).map { k in
            .inference(InferenceEvent(t: start + Double(k) * 0.01, backend: backend, model: model,
                                      latencyNs: UInt64(10_000_000 + k * 10_000), threads: 1))
        }
    }

    func testPercentilesASmallSampleCannotSupportAreNotFigures() {
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.ingest([.config(ConfigChange(t: 0, backend: "int8", model: "m-224", threads: 1))] + Self.inferences(50))
        let text = draw("latency-small-sample-60x8", s, width: 60, height: 8, LatencyPanel.draw)
        XCTAssertTrue(text.contains("n<100"), text)
        XCTAssertTrue(text.contains("n<1k"), text)
        XCTAssertTrue(text.contains("≈"), "percentiles not marked approximate:\n\(text)")
        // n is the integer count, never "50.0".
        let row = text.split(separator: "\n").first { $0.contains("session") } ?? ""
        XCTAssertEqual(row.split(whereSeparator: { " │§".contains($0) }).last, "50", String(row))
        // 1000 values: p99.9 is now a figure.
        s.ingest(Self.inferences(950, start: 1))
        let session = LatencyPanelText(s).split(separator: "\n").first { $0.contains("session") } ?? ""
        XCTAssertFalse(session.contains("n<"), String(session))
        XCTAssertTrue(session.contains("1000"), String(session))
    }

    func testRecentWindowSaysItsLength() {
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.ingest(Self.inferences(700)) // t up to 7 s: the window covers [0.01, 7]
        let text = LatencyPanelText(s)
        XCTAssertTrue(text.contains("last 7s"), text)
    }

    private func LatencyPanelText(_ s: DashboardState) -> String {
        var buf = Buffer(width: 60, height: 8)
        LatencyPanel.draw(into: &buf, area: Rect(x: 0, y: 0, width: 60, height: 8), state: s,
                          palette: Palette(theme: s.theme, capabilities: s.capabilities))
        return buf.lines().joined(separator: "\n")
    }

    func testAnImportedTraceSaysSoAndWhatItDidNotRecord() {
        var s = DashboardState(header: Self.imported(), mode: .replay(position: 3, length: 10, speed: 1, paused: false))
        s.ingest(Self.inferences(20, model: "resnet50"))
        let header = draw("header-imported-80", s, width: 80, height: 1, HeaderBar.draw)
        XCTAssertTrue(header.contains("IMPORTED"), header)
        let temps = draw("temperature-imported-30x4", s, width: 30, height: 4, TemperaturePanel.draw)
        XCTAssertTrue(temps.contains("not recorded"), temps)
        XCTAssertFalse(temps.contains("no sensor"), temps)
        let quality = draw("quality-imported-40x3", s, width: 40, height: 3, QualityPanel.draw)
        XCTAssertTrue(quality.contains("not recorded"), quality)
        // A recorded trace without sensors still says "no sensor".
        let recorded = DashboardState(header: Fixture.header(sensors: false), mode: .live(recordingTo: nil))
        XCTAssertTrue(DashboardScreen.render(recorded, width: 120, height: 40).lines().joined().contains("no sensor"))
    }

    func testAReplayKnowsWhatItsTraceNeverHolds() {
        let events: [Event] = [.inference(InferenceEvent(t: 5, backend: "int8", model: "m", latencyNs: 1_000_000)),
                               .system(SystemSample(t: 6, power: [PowerReading(source: "wall", watts: 3)]))]
        XCTAssertEqual(TraceContents(of: events), [.inference, .power])
        let replay = ReplaySource(header: Fixture.header(), events: events, clock: { 0 })
        var s = DashboardState(header: Fixture.header(), mode: replay.mode)
        s.traceContents = replay.contents
        // Before t = 5 nothing has played: the latency is still to come, load and quality never will.
        let screen = DashboardScreen.render(s, width: 120, height: 40).lines().joined(separator: "\n")
        XCTAssertTrue(screen.contains("no inference yet"), screen)
        XCTAssertTrue(screen.contains("load not recorded"), screen)
        XCTAssertTrue(screen.contains("not recorded"), screen)
        XCTAssertFalse(screen.contains("no load sample yet"), screen)
        s.traceContents = []
        XCTAssertTrue(DashboardScreen.render(s, width: 120, height: 40).lines().joined().contains("per-inference latency not recorded"))
        // Live (contents unknown, a recorded source): still to come.
        s.traceContents = nil
        XCTAssertTrue(DashboardScreen.render(s, width: 120, height: 40).lines().joined().contains("no load sample yet"))
    }

    func testPowerReadingsGetAPanel() {
        var s = DashboardState(header: Self.imported(), mode: .replay(position: 5, length: 10, speed: 1, paused: false))
        s.ingest((0..<6).map { k in
            .system(SystemSample(t: Double(k), power: [PowerReading(source: "wall (power analyzer)", watts: 20 + Double(k))]))
        })
        let text = draw("power-imported-50x3", s, width: 50, height: 3, PowerPanel.draw)
        XCTAssertTrue(text.contains("25.0 W"), text)
        XCTAssertTrue(text.contains("from the log"), text)
        let screen = DashboardScreen.render(s, width: 120, height: 40).lines().joined(separator: "\n")
        XCTAssertTrue(screen.contains("Power"), screen)
        // No reading, no panel.
        let none = DashboardScreen.render(Fixture.state(), width: 120, height: 40).lines().joined(separator: "\n")
        XCTAssertFalse(none.contains("Power"))
    }

    func testQualityShowsTheModelInUseOnly() {
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.ingest([.config(ConfigChange(t: 0, backend: "int8", model: "a", threads: 1)),
                  .quality(QualityReport(t: 0.1, backend: "int8", model: "a", cosine: 0.91234, top1Agree: true)),
                  .config(ConfigChange(t: 1, model: "b")),
                  .quality(QualityReport(t: 1.1, backend: "fp32", model: "b", cosine: 0.99999, top1Agree: true))])
        let text = draw("quality-model-in-use-40x3", s, width: 40, height: 3, QualityPanel.draw)
        XCTAssertTrue(text.contains("fp32"), text)
        XCTAssertFalse(text.contains("0.9123"), "another model's quality shown:\n\(text)")
    }

    func testConfigurationsTableListsEveryConfigurationAndMarksTheCurrentOne() {
        var s = DashboardState(header: Fixture.header(), mode: .live(recordingTo: nil))
        s.ingest([.config(ConfigChange(t: 0, backend: "int8", model: "m-224", threads: 1, targetFPS: 30))]
                 + Self.inferences(150)
                 + [.config(ConfigChange(t: 2, backend: "fp32"))]
                 + Self.inferences(20, backend: "fp32", start: 2))
        XCTAssertFalse(s.configurationsShown)
        XCTAssertEqual(s.handle(.char("c")), .toggleConfigurations)
        let text = draw("configurations-80x8", s, width: 80, height: 8, ConfigurationsOverlay.draw)
        XCTAssertTrue(text.contains("m-224 int8 1thr"), text)
        XCTAssertTrue(text.contains("→ m-224 fp32 1thr"), text)
        XCTAssertTrue(text.contains("150"), text)
        XCTAssertTrue(text.contains("n<100"), "fp32's 20 values got a p99:\n\(text)")
        let screen = DashboardScreen.render(s, width: 120, height: 40).lines().joined(separator: "\n")
        XCTAssertTrue(screen.contains("Configurations"), screen)
        s.handle(.char("c"))
        XCTAssertFalse(DashboardScreen.render(s, width: 120, height: 40).lines().joined().contains("Configurations"))
    }

    func testAReplayAtItsEndSaysSo() {
        var s = Fixture.state(mode: .replay(position: 60, length: 60, speed: 1, paused: false))
        let end = draw("status-replay-end-80", s, width: 80, height: 1, StatusLine.draw)
        XCTAssertTrue(end.contains("end of trace"), end)
        s.mode = .replay(position: 30, length: 60, speed: 1, paused: false)
        var buf = Buffer(width: 80, height: 1)
        StatusLine.draw(into: &buf, area: Rect(x: 0, y: 0, width: 80, height: 1), state: s,
                        palette: Palette(theme: s.theme, capabilities: s.capabilities))
        XCTAssertFalse(buf.lines().joined().contains("end of trace"))
    }

    func testMarkKeyIsLiveOnly() {
        XCTAssertEqual(KeyMap.action(for: .char("k"), mode: .live), .source(.mark("")))
        XCTAssertEqual(KeyMap.action(for: .char("k"), mode: .replay), .none)
        XCTAssertEqual(KeyMap.action(for: .char("c"), mode: .replay), .toggleConfigurations)
    }
}
