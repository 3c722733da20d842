import Foundation
import XCTest

/// The real dashboard in a real terminal (tmux): what users see and what they get back.
final class DashboardTmuxTests: XCTestCase {
    private var tmux: TmuxSession!
    private var trace: String!

    override func setUpWithError() throws {
        tmux = try TmuxSession(width: 120, height: 40)
        trace = try SampleTrace.write()
    }

    override func tearDown() {
        tmux?.close()
        if let trace { try? FileManager.default.removeItem(atPath: (trace as NSString).deletingLastPathComponent) }
    }

    /// Starts a replay and waits for its first full screen.
    private func startReplay(_ extra: [String] = []) throws -> EdgetopInPane {
        let app = try EdgetopInPane.start(in: tmux, ["--replay", trace, "--interval", "0.2"] + extra)
        guard tmux.waitFor("REPLAY") != nil else {
            XCTFail("the replay never drew its header; screen:\n\(tmux.capture())")
            throw TmuxError(message: "no first frame")
        }
        return app
    }

    /// The shell got its line discipline back: echo and canonical mode, as `stty -a` says.
    private func assertTerminalRestored(_ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let modes = try tmux.sttyModes()
        XCTAssertTrue(modes.contains("echo"), "\(context): no 'echo' in stty -a: \(modes.sorted())", file: file, line: line)
        XCTAssertTrue(modes.contains("icanon"), "\(context): no 'icanon' in stty -a", file: file, line: line)
        XCTAssertFalse(modes.contains("-echo"), "\(context): '-echo' left behind", file: file, line: line)
        XCTAssertFalse(modes.contains("-icanon"), "\(context): '-icanon' left behind", file: file, line: line)
    }

    func testTheShellStartsWithEchoAndCanonicalMode() throws {
        // The baseline the restore tests compare against: if this failed, they would prove nothing.
        try assertTerminalRestored("fresh pane")
    }

    func testQuitRestoresTheTerminal() throws {
        let app = try startReplay()
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit(), "q did not end edgetop")
        try assertTerminalRestored("after q")
    }

    func testCtrlCRestoresTheTerminal() throws {
        let app = try startReplay()
        try tmux.keys("C-c")
        XCTAssertTrue(app.waitForExit(), "Ctrl-C did not end edgetop")
        try assertTerminalRestored("after Ctrl-C")
    }

    func testSIGTERMRestoresTheTerminal() throws {
        let app = try startReplay()
        XCTAssertEqual(kill(app.pid, SIGTERM), 0)
        XCTAssertTrue(app.waitForExit(), "SIGTERM did not end edgetop")
        try assertTerminalRestored("after SIGTERM")
    }

    func testSIGHUPRestoresTheTerminal() throws {
        let app = try startReplay()
        XCTAssertEqual(kill(app.pid, SIGHUP), 0)
        XCTAssertTrue(app.waitForExit(), "SIGHUP did not end edgetop")
        try assertTerminalRestored("after SIGHUP")
    }

    func testACrashRestoresTheTerminal() throws {
        // SIGSEGV and SIGILL (what a Swift runtime trap raises) take the crash path: restore
        // without ncurses, then die of the same signal.
        for signal in [SIGSEGV, SIGILL] {
            let app = try startReplay()
            XCTAssertEqual(kill(app.pid, signal), 0)
            XCTAssertTrue(app.waitForExit(), "signal \(signal) did not end edgetop")
            try assertTerminalRestored("after signal \(signal)")
        }
    }
}
