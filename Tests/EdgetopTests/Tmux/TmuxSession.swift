import Foundation
import XCTest

/// A private tmux server with one pane running a plain shell, for driving the real
/// dashboard end to end: type into it, read its screen, and always tear it down.
final class TmuxSession {
    /// The server's socket name, unique per session so parallel runs never meet.
    let socket: String
    let width: Int
    let height: Int
    private let tmux: String
    private var closed = false

    /// Starts `tmux -L <unique> new-session -d -x W -y H` running `sh -i`: a plain POSIX
    /// shell that, unlike bash, never repairs the terminal modes a program left behind, so
    /// `stty` in it shows what edgetop restored.
    /// Skips the test when tmux is not installed.
    init(width: Int = 120, height: Int = 40, environment extra: [String: String] = [:]) throws {
        guard let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else { throw XCTSkip("tmux is not installed") }
        self.tmux = tmux
        self.width = width; self.height = height
        socket = "edgetop-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        var env = ["LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PS1": "$ ", "HOME": NSTemporaryDirectory()]
        env.merge(extra) { $1 }
        let envArgs = env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        // `env -u TMUX` so a test run inside tmux does not talk to the user's server.
        try run(starting: true, ["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "main",
                 "env", "-u", "TMUX"] + envArgs + ["sh", "-i"])
        _ = try? run(["set-option", "-g", "status", "off"])
        try run(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"], allowFailure: true)
        guard waitFor(timeout: 10, { $0.contains("$") }) != nil else {
            throw XCTSkip("tmux started but its shell never showed a prompt")
        }
    }

    deinit { close() }

    /// Kills the tmux server (and with it everything in the pane).
    func close() {
        guard !closed else { return }
        closed = true
        _ = try? run(starting: true, ["kill-server"], allowFailure: true)
    }

    /// Types `text` literally, then Enter when `enter` is set.
    func type(_ text: String, enter: Bool = true) throws {
        try run(["send-keys", "-t", "main", "-l", text])
        if enter { try run(["send-keys", "-t", "main", "Enter"]) }
    }

    /// Sends tmux key names ("Left", "Space", "C-c", "q").
    func keys(_ names: String...) throws {
        try run(["send-keys", "-t", "main"] + names)
    }

    /// The visible screen as text lines; with `escapes`, with the colour and attribute
    /// sequences tmux would redraw it with (to see a theme change).
    func capture(escapes: Bool = false) -> String {
        (try? run(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", "main"])) ?? ""
    }

    /// The pane's title, which an OSC escape reaching the terminal would change.
    func title() -> String {
        (try? run(["display-message", "-p", "-t", "main", "#{pane_title}"])) ?? ""
    }

    /// Polls the screen every 100 ms until `predicate` holds; returns that screen, or nil
    /// after `timeout` seconds.
    @discardableResult
    func waitFor(timeout: TimeInterval = 20, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let screen = capture()
            if predicate(screen) { return screen }
            usleep(100_000)
        } while Date() < deadline
        return nil
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20) -> String? {
        waitFor(timeout: timeout) { $0.contains(text) }
    }

    /// Resizes the pane's window.
    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Runs `stty -a` in the pane's shell and returns its mode words ("echo", "-icanon"…).
    func sttyModes(timeout: TimeInterval = 20) throws -> Set<String> {
        try type("clear; stty -a; echo STTY-END")
        // A line that is only the marker: the echo ran (the typed command line holds it too).
        guard let screen = waitFor(timeout: timeout, { $0.split(separator: "\n").contains("STTY-END") }) else {
            XCTFail("stty -a never finished; screen:\n\(capture())")
            return []
        }
        let words = screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
        return Set(words)
    }

    /// Runs one tmux client command and returns its output.
    ///
    /// posix_spawn and waitpid rather than Foundation's Process: the client that starts the
    /// server forks it, and the server must inherit no pipe of ours (a reader would wait
    /// for it forever), so output goes to a file, and only the client itself is waited for.
    @discardableResult
    private func run(starting: Bool = false, _ args: [String], allowFailure: Bool = false) throws -> String {
        let outPath = NSTemporaryDirectory() + "edgetop-tmux-out-\(UUID().uuidString)"
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, starting ? "/dev/null" : outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, starting ? "/dev/null" : outPath + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { unlink(outPath + ".err") }
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C.UTF-8"
        env.removeValue(forKey: "TMUX")
        let argv = [tmux, "-L", socket] + args
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, tmux, &actions, nil, cArgs, cEnv)
        guard rc == 0 else { throw TmuxError(message: "cannot run tmux: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitedCleanly = (status & 0x7f) == 0 && ((status >> 8) & 0xff) == 0
        if !exitedCleanly && !allowFailure {
            let err = (try? String(contentsOfFile: outPath + ".err", encoding: .utf8)) ?? ""
            throw TmuxError(message: "tmux \(args.joined(separator: " ")) failed (status \(status)): \(err)")
        }
        return starting ? "" : ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
    }
}

/// A tmux command that failed.
struct TmuxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
