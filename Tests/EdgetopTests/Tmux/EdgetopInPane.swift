import Foundation
import XCTest

/// `edgetop` running in a tmux pane, with its process id, so tests can signal it.
struct EdgetopInPane {
    let tmux: TmuxSession
    let pid: pid_t

    /// Types `edgetop args…` into the pane's shell; `exec` after writing the pid keeps the
    /// pid the shell's child's, so the shell gets its prompt back when edgetop ends.
    /// `environment` is set for edgetop alone (`env K=V …`), e.g. NO_COLOR or TERM.
    static func start(in tmux: TmuxSession, _ args: [String], environment: [String: String] = [:]) throws -> EdgetopInPane {
        let binary = try edgetopBinary().path
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-pid-\(UUID().uuidString)").path
        let quoted = ([binary] + args).map { "'\($0)'" }.joined(separator: " ")
        let env = environment.isEmpty ? "" : "env " + environment.sorted { $0.key < $1.key }.map { "'\($0.key)=\($0.value)'" }.joined(separator: " ") + " "
        try tmux.type("clear; \(env)sh -c 'echo $$ > \(pidFile); exec \"$0\" \"$@\"' \(quoted)")
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                try? FileManager.default.removeItem(atPath: pidFile)
                return EdgetopInPane(tmux: tmux, pid: pid)
            }
            usleep(50_000)
        }
        throw TmuxError(message: "edgetop never started; screen:\n\(tmux.capture())")
    }

    /// Whether the process still exists.
    var isRunning: Bool { kill(pid, 0) == 0 }

    /// Waits until the process has gone; false after `timeout`.
    func waitForExit(timeout: TimeInterval = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isRunning { return true }
            usleep(50_000)
        }
        return false
    }
}
