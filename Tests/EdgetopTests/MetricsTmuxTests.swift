import Foundation
import XCTest

/// The live dashboard with `--metrics`: scrapes see the session while the screen runs, and
/// quitting restores the terminal and stops serving.
final class MetricsTmuxTests: XCTestCase {
    private var tmux: TmuxSession!

    override func setUpWithError() throws { tmux = try TmuxSession(width: 120, height: 40) }
    override func tearDown() { tmux?.close() }

    func testTheLiveDashboardServesMetricsUntilItQuits() throws {
        let port = try freeLoopbackPort()
        let app = try EdgetopInPane.start(in: tmux, ["--metrics", "127.0.0.1:\(port)", "--device", "bench-1", "--model", "mobilenet-v1",
                                                    "--width", "0.25", "--resolution", "128", "--threads", "1", "--target-fps", "50",
                                                    "--interval", "0.2"])
        XCTAssertNotNil(tmux.waitFor("LIVE"), "no live screen:\n\(tmux.capture())")
        var body = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            body = (try? httpGet("http://127.0.0.1:\(port)/metrics"))?.body ?? ""
            if let line = body.split(separator: "\n").first(where: { $0.hasPrefix(#"edgetop_inferences_total{device="bench-1""#) }),
               let n = Double(line.split(separator: " ").last ?? ""), n >= 20 { break }
            usleep(200_000)
        }
        XCTAssertTrue(body.contains(#"edgetop_inferences_total{device="bench-1",model="mobilenet-v1-0.25-128",backend="int8",threads="1",origin="live"}"#), body)
        XCTAssertTrue(body.contains(#"edgetop_fps_hertz{device="bench-1""#))
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit(), "q did not end edgetop")
        let modes = try tmux.sttyModes()
        XCTAssertTrue(modes.contains("echo") && modes.contains("icanon"), "terminal not restored: \(modes.sorted())")
        XCTAssertThrowsError(try httpGet("http://127.0.0.1:\(port)/metrics"), "still serving after quit")
    }
}
