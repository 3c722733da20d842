import Foundation
import XCTest

/// `edgetop --follow FILE` in a real terminal: the app's inferences, its bad lines and how
/// long it has been quiet are on the screen, and control characters from the file are not.
final class FollowTmuxTests: XCTestCase {
    private var tmux: TmuxSession!
    private var dir: URL!

    override func setUpWithError() throws {
        tmux = try TmuxSession(width: 160, height: 40)
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-follow-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        tmux?.close()
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    func testTheDashboardShowsAFollowedAppsCountsBadLinesAndQuietTime() throws {
        let log = dir.appendingPathComponent("app.log").path
        FileManager.default.createFile(atPath: log, contents: nil)
        let app = try EdgetopInPane.start(in: tmux, ["--follow", log, "--interval", "0.2"])
        guard tmux.waitFor("app.log: ") != nil else {
            XCTFail("no follow status on screen:\n\(tmux.capture())"); return
        }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: log))
        var lines = ""
        for i in 0 ..< 30 { lines += "{\"time\": \(Double(i) * 0.01), \"latency_ms\": 5, \"backend\": \"cam\"}\n" }
        lines += "\u{1b}[2J not an inference\n"
        handle.write(Data(lines.utf8))
        try handle.close()
        // The footer keeps the start of the message: the bad line; the count is in the latency box.
        let counted = tmux.waitFor { $0.contains("app.log: 1 bad line (line 31: not a JSON object)") && $0.contains("30.0") }
        XCTAssertNotNil(counted, "counts and the bad line not shown:\n\(tmux.capture())")
        // Quiet for two seconds and more: the age is shown.
        XCTAssertNotNil(tmux.waitFor("app.log: no line for ", timeout: 10), "a stalled source shows no age:\n\(tmux.capture())")
        XCTAssertFalse(tmux.capture(escapes: true).contains("\u{1b}[2J"), "a control sequence from the file reached the terminal")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit(), "q did not end edgetop")
    }
}
