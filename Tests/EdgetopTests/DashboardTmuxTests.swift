import EdgeTrace
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

    func testSIGQUITRestoresTheTerminal() throws {
        // Left to Swift's crash reporter, SIGQUIT would draw a backtrace over the screen and
        // wait for a key with the terminal still raw.
        let app = try startReplay()
        XCTAssertEqual(kill(app.pid, SIGQUIT), 0)
        XCTAssertTrue(app.waitForExit(), "SIGQUIT did not end edgetop")
        try assertTerminalRestored("after SIGQUIT")
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

    // MARK: - What the screen shows

    /// The replay position in seconds from the header's "REPLAY m:ss/m:ss".
    private func position(_ screen: String) -> Int? {
        guard let r = screen.range(of: #"REPLAY (\d+):(\d\d)/"#, options: .regularExpression) else { return nil }
        let parts = screen[r].dropFirst(7).dropLast().split(separator: ":").compactMap { Int($0) }
        return parts.count == 2 ? parts[0] * 60 + parts[1] : nil
    }

    /// The FPS panel's "now N" figure.
    private func fpsNow(_ screen: String) -> Double? {
        guard let r = screen.range(of: #"now \d+(\.\d+)?"#, options: .regularExpression) else { return nil }
        return Double(screen[r].dropFirst(4))
    }

    /// The p50 of the latency panel's "session" row (the row, not the legend in the title).
    private func sessionP50(_ screen: String) -> Double? {
        for line in screen.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "│" })
            if let i = fields.firstIndex(of: "session"), i + 1 < fields.count, let v = Double(fields[i + 1]) { return v }
        }
        return nil
    }

    func testReplayShowsFiguresAndFollowsTheKeys() throws {
        let app = try startReplay()
        defer { kill(app.pid, SIGKILL) }
        // Figures: the int8 half runs at 25 FPS with 40 ms latencies.
        let figures = tmux.waitFor { screen in
            (self.fpsNow(screen).map { abs($0 - 25) <= 1.5 } ?? false) && screen.contains("Latency int8")
                && screen.contains("cpu-thermal") && !screen.contains("no load sample")
                && (self.sessionP50(screen).map { abs($0 - 40) < 1 } ?? false)
        }
        XCTAssertNotNil(figures, "no 25 FPS / 40 ms / temperature / load figures; screen:\n\(tmux.capture())")
        XCTAssertTrue(tmux.capture().contains("Sample Cortex-A76 (2 cores)"))

        // Pause: the position stops and the header shows the pause mark.
        try tmux.keys("Space")
        let paused = tmux.waitFor { $0.contains("⏸") }
        XCTAssertNotNil(paused, "space did not pause; screen:\n\(tmux.capture())")
        let held = position(paused ?? "")
        usleep(1_500_000)
        XCTAssertEqual(position(tmux.capture()), held, "the position moved while paused")

        // Speed: ] doubles, [ halves, shown in the header.
        try tmux.keys("]")
        XCTAssertNotNil(tmux.waitFor { $0.contains("/0:40 2× ⏸") }, "] did not double the speed; screen:\n\(tmux.capture())")
        try tmux.keys("[", "[")
        XCTAssertNotNil(tmux.waitFor { $0.contains("/0:40 0.5× ⏸") }, "[ did not halve the speed; screen:\n\(tmux.capture())")

        // Seek forward 5 s (still paused, so the position moves by exactly that).
        try tmux.keys("Right")
        let target = (held ?? 0) + 5
        XCTAssertNotNil(tmux.waitFor { self.position($0) == target }, "Right did not seek to \(target) s; screen:\n\(tmux.capture())")

        // End: the whole trace is folded; the running backend is now fp32 at 100 ms.
        try tmux.keys("End")
        XCTAssertNotNil(tmux.waitFor { self.position($0) == Int(SampleTrace.length) && $0.contains("Latency fp32") },
                        "End did not reach the end; screen:\n\(tmux.capture())")
        XCTAssertNotNil(tmux.waitFor { self.sessionP50($0).map { abs($0 - 100) < 1 } ?? false },
                        "fp32's 100 ms not shown; screen:\n\(tmux.capture())")

        // Backend view: 1 shows int8's latency again; b moves on from it.
        try tmux.keys("1")
        XCTAssertNotNil(tmux.waitFor { $0.contains("Latency int8") && (self.sessionP50($0).map { abs($0 - 40) < 1 } ?? false) },
                        "1 did not show int8; screen:\n\(tmux.capture())")
        try tmux.keys("b")
        XCTAssertNotNil(tmux.waitFor { !$0.contains("Latency int8 ") && $0.contains("fp32") && $0.contains("Latency") },
                        "b did not change the latency view; screen:\n\(tmux.capture())")

        // Seek back from the end: refolded up to 5 s earlier.
        try tmux.keys("Left")
        XCTAssertNotNil(tmux.waitFor { self.position($0) == Int(SampleTrace.length) - 5 },
                        "Left did not seek back; screen:\n\(tmux.capture())")

        // Help overlay lists the replay keys; ? again closes it.
        try tmux.keys("?")
        XCTAssertNotNil(tmux.waitFor { $0.contains("seek back 5 s") && $0.contains("faster (up to 16x)") },
                        "no help overlay; screen:\n\(tmux.capture())")
        try tmux.keys("?")
        XCTAssertNotNil(tmux.waitFor { !$0.contains("seek back 5 s") }, "help did not close")

        // Theme: t names the next theme and the colours change.
        let before = tmux.capture(escapes: true)
        try tmux.keys("t")
        XCTAssertNotNil(tmux.waitFor { $0.contains("theme light") }, "t did not switch theme; screen:\n\(tmux.capture())")
        XCTAssertNotEqual(tmux.capture(escapes: true), before, "the colours did not change with the theme")

        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit())
    }

    func testTooSmallATerminalGetsAMessageAndResizingBackRedraws() throws {
        let app = try startReplay()
        defer { kill(app.pid, SIGKILL) }
        try tmux.resize(width: 50, height: 12)
        XCTAssertNotNil(tmux.waitFor("terminal too small (need 64×20)"), "no too-small message; screen:\n\(tmux.capture())")
        try tmux.resize(width: 120, height: 40)
        XCTAssertNotNil(tmux.waitFor { $0.contains("REPLAY") && !$0.contains("too small") }, "no redraw after growing back")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit())
        try assertTerminalRestored("after resizing")
    }

    func testABrokenThemeFileIsNamedWithItsLineAndTheDefaultIsUsed() throws {
        let dir = (trace as NSString).deletingLastPathComponent
        let theme = dir + "/broken.theme"
        try "theme[main_bg]=\"#000000\"\ntheme[main_fg]=\"#12345\"\n".write(toFile: theme, atomically: true, encoding: .utf8)
        let app = try startReplay(["--theme", theme])
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit())
        // The error was written before the screen opened, so it is back on the main screen.
        XCTAssertNotNil(tmux.waitFor { $0.contains("broken.theme:2") }, "no file:line error; screen:\n\(tmux.capture())")
    }

    func testLiveModeShowsFPSAndSwitchingBackendChangesIt() throws {
        let recording = (trace as NSString).deletingLastPathComponent + "/live.jsonl"
        let app = try EdgetopInPane.start(in: tmux, ["--model", "mobilenet-v1", "--width", "0.25", "--resolution", "128",
                                                      "--backend", "int8", "--interval", "0.2", "--record", recording])
        defer { kill(app.pid, SIGKILL) }
        let int8 = tmux.waitFor(timeout: 30) { $0.contains("LIVE") && $0.contains("Latency int8") && (self.fpsNow($0) ?? 0) > 0 }
        XCTAssertNotNil(int8, "no live FPS; screen:\n\(tmux.capture())")
        XCTAssertTrue(int8?.contains("REC") ?? false, "the header does not show the recording")
        let fpsInt8 = fpsNow(int8 ?? "") ?? 0
        XCTAssertGreaterThan(fpsInt8, 0)
        try tmux.keys("2")  // fp32
        let fp32 = tmux.waitFor(timeout: 30) { $0.contains("│ fp32 │") && $0.contains("Latency fp32") }
        XCTAssertNotNil(fp32, "the header did not switch to fp32; screen:\n\(tmux.capture())")
        // The FPS figure follows the new backend: it moves off the int8 value.
        XCTAssertNotNil(tmux.waitFor(timeout: 20) { screen in (self.fpsNow(screen).map { $0 > 0 && $0 != fpsInt8 } ?? false) },
                        "the FPS did not change after switching backend")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit(timeout: 30), "live edgetop did not quit")
        try assertTerminalRestored("after quitting live")
        // The recording holds both backends' inferences.
        let reader = try TraceReader(path: recording)
        var backends = Set<String>()
        while let e = try reader.next() { if case .inference(let i) = e { backends.insert(i.backend) } }
        XCTAssertEqual(backends, ["int8", "fp32"])
    }

    /// Two .tflite files on the live dashboard: `b` cycles only the backends the file runs
    /// on, `m` moves to the other file (and its own backend), and the recording says so.
    func testLiveTFLiteModelsCycleWithMAndB() throws {
        let models = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("../../.models").standardized.path
        let int8 = models + "/mobilenet_v1_int8.tflite", fp32 = models + "/mobilenet_v1_fp32.tflite"
        guard FileManager.default.fileExists(atPath: int8), FileManager.default.fileExists(atPath: fp32) else {
            throw XCTSkip("the MobileNet .tflite files are not in .models/; run scripts/fetch-models.sh (CI does)")
        }
        let recording = (trace as NSString).deletingLastPathComponent + "/tflite.jsonl"
        let app = try EdgetopInPane.start(in: tmux, ["--model", int8, "--model", fp32, "--threads", "1",
                                                      "--interval", "0.2", "--record", recording])
        defer { kill(app.pid, SIGKILL) }
        XCTAssertNotNil(tmux.waitFor(timeout: 60) { $0.contains("LIVE") && $0.contains("Latency int8") && (self.fpsNow($0) ?? 0) > 0 },
                        "no live int8 figures for the int8 file; screen:\n\(tmux.capture())")
        try tmux.keys("b")
        XCTAssertNotNil(tmux.waitFor(timeout: 60) { $0.contains("Latency ref") },
                        "b did not move the int8 file to ref; screen:\n\(tmux.capture())")
        try tmux.keys("b")
        XCTAssertNotNil(tmux.waitFor(timeout: 60) { $0.contains("Latency int8") },
                        "b did not come back to int8 (fp32 is not the int8 file's); screen:\n\(tmux.capture())")
        try tmux.keys("m")
        XCTAssertNotNil(tmux.waitFor(timeout: 60) { $0.contains("Latency fp32") },
                        "m did not switch to the fp32 file on fp32; screen:\n\(tmux.capture())")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit(timeout: 30), "live edgetop did not quit")
        try assertTerminalRestored("after quitting a .tflite session")
        let reader = try TraceReader(path: recording)
        var ran = Set<String>()
        while let e = try reader.next() { if case .inference(let i) = e { ran.insert("\(i.model) \(i.backend)") } }
        XCTAssertTrue(ran.isSubset(of: ["mobilenet_v1_int8.tflite int8", "mobilenet_v1_int8.tflite ref", "mobilenet_v1_fp32.tflite fp32"]), "\(ran)")
        XCTAssertTrue(ran.contains("mobilenet_v1_int8.tflite int8") && ran.contains("mobilenet_v1_fp32.tflite fp32"), "\(ran)")
    }

    func testEmulatedPhoneRunsAtThePhonesFPSAndSaysSo() throws {
        let profile = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
            .appendingPathComponent("../../profiles/a53-phone-2013.profile").standardized.path
        let model = ["--model", "mobilenet-v1-0.25-128", "--backend", "int8", "--threads", "1", "--emulate", profile]
        // The phone's time for this model from the profile's rates, as bench reports it.
        let bench = try runEdgetop(["bench", "--runs", "1", "--warmup", "0", "--json"] + model)
        XCTAssertEqual(bench.status, 0, bench.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any]
        let deviceMs = try XCTUnwrap((object?["emulation"] as? [String: Any])?["device_ms_at_max"] as? Double)
        let phoneFPS = 1000 / deviceMs
        let app = try EdgetopInPane.start(in: tmux, model + ["--interval", "0.2"])
        defer { kill(app.pid, SIGKILL) }
        // One busy A53 never reaches the trip, so the frame rate is the phone's at its top
        // clock: far below this machine's, never above the phone's (a stalled host can only
        // make it lower).
        let screen = tmux.waitFor(timeout: 30) { screen in
            screen.split(separator: "\n").contains { $0.contains("FPS") && $0.contains("(emulated)") }
                && (self.fpsNow(screen).map { $0 > phoneFPS * 0.6 } ?? false)
        }
        XCTAssertNotNil(screen, "no emulated FPS near \(phoneFPS); screen:\n\(tmux.capture())")
        XCTAssertLessThanOrEqual(fpsNow(screen ?? "") ?? .infinity, phoneFPS * 1.05)
        XCTAssertTrue(screen?.contains("Latency int8 (emulated)") ?? false, tmux.capture())
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit(timeout: 30), "emulated edgetop did not quit")
        try assertTerminalRestored("after quitting an emulated session")
    }

    func testRecordWritesWhatTheDashboardShowedAndSurvivesSIGTERM() throws {
        let out = (trace as NSString).deletingLastPathComponent + "/recorded.jsonl"
        let app = try startReplay(["--record", out])
        // Seek back once on the way: events handed out again must not be recorded twice.
        XCTAssertNotNil(tmux.waitFor { self.position($0).map { $0 >= 2 } ?? false })
        try tmux.keys("Right")
        XCTAssertNotNil(tmux.waitFor { self.position($0).map { $0 >= 7 } ?? false })
        try tmux.keys("Left")
        XCTAssertNotNil(tmux.waitFor { self.position($0).map { $0 >= 4 && $0 < 7 } ?? false })
        XCTAssertEqual(kill(app.pid, SIGTERM), 0)
        XCTAssertTrue(app.waitForExit())
        try assertTerminalRestored("after SIGTERM while recording")

        let reader = try TraceReader(path: out)
        XCTAssertEqual(reader.header.device.cpuModel, "Sample Cortex-A76")
        var times: [Double] = []
        var inferences = 0
        while let e = try reader.next() {
            times.append(e.t)
            if case .inference = e { inferences += 1 }
        }
        XCTAssertGreaterThan(inferences, 150, "at least the first 7 s at 25 FPS")
        XCTAssertEqual(times, times.sorted(), "the recording went back in time")
        let expected = SampleTrace.events().filter { $0.t <= (times.last ?? 0) }.count
        XCTAssertEqual(times.count, expected, "events missing or recorded twice")
    }

    // MARK: - Terminals and files of every kind

    /// A fixture of the trace reader's tests.
    private func traceFixture(_ name: String, file: StaticString = #filePath) -> String {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
            .appendingPathComponent("../EdgeTraceTests/Fixtures/\(name)").standardized.path
    }

    /// SGR parameters that set a colour (30-38, 40-48, 90-97, 100-107) in tmux's `-e` capture.
    private func colourParameters(_ escaped: String) -> [Int] {
        var found: [Int] = []
        var rest = Substring(escaped)
        while let r = rest.range(of: "\u{1b}[") {
            rest = rest[r.upperBound...]
            guard let m = rest.firstIndex(where: { !($0.isNumber || $0 == ";") }) else { break }
            if rest[m] == "m" {
                found += rest[..<m].split(separator: ";").compactMap { Int($0) }
                    .filter { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }
            }
            rest = rest[m...]
        }
        return found
    }

    func testAsciiNoColorAndAMonochromeTerminal() throws {
        // --ascii under NO_COLOR, and a non-UTF-8 locale on a terminal without colours:
        // both draw the whole dashboard in plain ASCII with no colour sequences.
        let runs: [([String], [String: String])] = [
            (["--ascii"], ["NO_COLOR": "1"]),
            ([], ["LC_ALL": "C", "TERM": "vt100"]),
        ]
        for (extra, env) in runs {
            let app = try EdgetopInPane.start(in: tmux, ["--replay", trace, "--interval", "0.2"] + extra, environment: env)
            let screen = tmux.waitFor { $0.contains("REPLAY") && $0.contains("Latency int8") && $0.contains("now 25") }
            XCTAssertNotNil(screen, "\(env): no dashboard; screen:\n\(tmux.capture())")
            let text = screen ?? ""
            XCTAssertTrue(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(env): non-ASCII on screen:\n\(text)")
            let colours = colourParameters(tmux.capture(escapes: true))
            XCTAssertEqual(colours, [], "\(env): colour sequences on screen")
            try tmux.keys("q")
            XCTAssertTrue(app.waitForExit())
        }
    }

    func testControlCharactersInATraceNeverReachTheScreen() throws {
        // The fixture's device name and sensor hold ESC [2J (clear), ESC c (reset) and an
        // OSC title; had any reached tmux, the screen or the pane title would show it.
        let app = try EdgetopInPane.start(in: tmux, ["--replay", traceFixture("control-characters.jsonl"), "--interval", "0.2"])
        try tmux.keys("End")
        let screen = tmux.waitFor { $0.contains("REPLAY") && $0.contains("skin") }
        XCTAssertNotNil(screen, "no replay of the fixture; screen:\n\(tmux.capture())")
        XCTAssertTrue(tmux.capture().contains("evil"), "the device name is not shown")
        XCTAssertFalse(tmux.capture(escapes: true).contains("pwned"))
        XCTAssertFalse(tmux.title().contains("pwned"), "an OSC sequence set the pane title")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit())
        try assertTerminalRestored("after the control-character trace")
    }

    func testAnImportedLoadGenTraceReplays() throws {
        let app = try EdgetopInPane.start(in: tmux, ["--replay", traceFixture("loadgen/mlperf_log_trace.json.gz"), "--interval", "0.2"])
        try tmux.keys("End")
        let screen = tmux.waitFor { ($0.contains("REPLAY") && self.sessionP50($0).map { $0 > 0 } ?? false) }
        XCTAssertNotNil(screen, "no latency figures from the LoadGen trace; screen:\n\(tmux.capture())")
        try tmux.keys("q")
        XCTAssertTrue(app.waitForExit())
    }

    func testABadTraceIsReportedWithFileAndLineBeforeAnyScreen() throws {
        let bad = traceFixture("invalid/time-backwards.jsonl")
        let app = try EdgetopInPane.start(in: tmux, ["--replay", bad])
        XCTAssertTrue(app.waitForExit())
        try tmux.type("echo EXIT=$?")
        let screen = tmux.waitFor { $0.range(of: #"EXIT=\d"#, options: .regularExpression) != nil }
        XCTAssertNotNil(screen)
        XCTAssertTrue(screen?.contains("time-backwards.jsonl:3") ?? false, "no file:line in:\n\(screen ?? "")")
        XCTAssertTrue(screen?.contains("EXIT=1") ?? false, "exit status not 1:\n\(screen ?? "")")
        try assertTerminalRestored("after a bad trace")
    }
}
