import EdgeDashboard
import EdgeTerminal
import EdgeTrace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sets up one dashboard run — source, themes, recorder, terminal — and tears it all down
/// again whichever way the run ends.
struct DashboardRunner {
    let options: DashboardOptions
    let live: LiveOptions
    /// --metrics and --follow.
    var feed = MetricsOptions()

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let (themes, themeError) = ThemeLibrary.resolve(options.theme, directories: ThemeLibrary.searchDirectories(environment: environment))
        if let themeError {
            // Said before the screen opens, so it is still on the terminal after the dashboard ends.
            TraceCLI.error("\(themeError); using the default theme")
        }
        let source = try makeSource()
        let recorder: TraceWriter?
        do {
            recorder = try options.record.map { try TraceWriter(path: $0, header: source.header) }
        } catch {
            (source as? StoppableSource)?.stop()
            throw error
        }

        var stopSignal: Int32?
        var failure: Error?
        do {
            let terminal = try Terminal(ascii: options.ascii, environment: environment)
            defer { terminal.close() }
            var state = DashboardState(header: source.header, mode: source.mode, themes: themes,
                                       capabilities: RenderCapabilities(unicode: terminal.unicode, color: terminal.colorDepth != .none))
            if let themeError { state.message = "\(themeError); default theme" }
            if options.replay == nil && live.targetFPS > 0 { state.targetFPS = live.targetFPS }
            if let replay = source as? ReplaySource { state.traceContents = replay.contents }
            let loop = DashboardLoop(terminal: terminal, source: source, state: state,
                                     interval: options.interval, recorder: recorder)
            do { stopSignal = try loop.run() } catch { failure = error }
        } catch {
            failure = failure ?? error
        }
        // The screen is gone: from here on messages reach the user's terminal.
        (source as? StoppableSource)?.stop()
        do { try recorder?.close() } catch { failure = failure ?? error }
        if let failure { throw failure }
        if let stopSignal {
            // Die of the signal that stopped us, as the caller (a shell, a supervisor) expects.
            signal(stopSignal, SIG_DFL)
            raise(stopSignal)
        }
    }
}

/// A source that runs work in the background and must be stopped before exit.
protocol StoppableSource: AnyObject {
    /// Stops the background work and waits for it.
    func stop()
}
