#if canImport(Glibc)
import EdgeCore
import Glibc
#endif
import Dispatch
import Synchronization

/// An external app's inferences read live from `-` (stdin), a FIFO or a growing file, as
/// session events beside this machine's own samplers.
///
/// A reader thread waits on the source with `poll`, so stopping never waits on a silent
/// app. A regular file is followed like `tail -F` from its end: truncation starts it over
/// and rotation (a new file under the same name) is picked up from the new file's start.
/// A FIFO is reopened when its writer goes away; stdin ends the source at end of file.
/// Any of them may be gzip data (`record -o trace.jsonl.gz` being written), decoded as it grows.
/// Bad lines are counted and the latest problem kept; nothing a line holds stops reading.
public final class FollowSource: @unchecked Sendable {
    /// What the source has done so far, for the status line and metrics.
    public struct Status: Sendable, Equatable {
        /// Lines read, good or bad.
        public var lines = 0
        /// Lines that were inferences.
        public var inferences = 0
        /// Lines of no known format.
        public var badLines = 0
        /// The latest bad line's problem, as `SOURCE:LINE: problem`, sanitized.
        public var lastProblem: String?
        /// Session time of the latest line, nil before the first.
        public var lastLineAt: Double?
        /// True once stdin reached its end (files and FIFOs wait for more).
        public var ended = false
    }

    /// The source as named on the command line.
    public let path: String
    private let clock: @Sendable () -> Double
    private let defaultModel: String
    private let shared = Locked(Shared())
    private let stopSignal = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private var running = false
    private var fd: Int32 = -1
    private var kind = Kind.stdin
    /// Whether the stream is gzip data (decided from its first bytes, or a file's name).
    private var compressed = false
    /// Bytes of a gzip file that were there when following started, still to be read as history.
    private var historyLeft = 0

    private enum Kind { case stdin, fifo, file }
    private struct Shared {
        var events: [Event] = []
        var status = Status()
    }

    /// Longest line kept; a longer one is counted bad and skipped to its end.
    public static let maxLineBytes = 1 << 20
    /// At most this many events wait for a drain; older ones are dropped first.
    public static let capacity = 1 << 18

    /// A source reading `path` (`-` for stdin); `clock` gives the session time in seconds.
    public init(path: String, defaultModel: String = "app", clock: @escaping @Sendable () -> Double) {
        self.path = path; self.defaultModel = defaultModel; self.clock = clock
    }

    deinit { stop() }

    /// Opens the source and starts reading; throws a `TraceError` naming it when it cannot be opened.
    public func start() throws {
        guard !running else { return }
        try open(initial: true)
        running = true
        DispatchQueue(label: "edgetop.follow").async { [self] in run() }
    }

    /// Stops reading and waits for the reader thread.
    public func stop() {
        guard running else { return }
        running = false
        stopping.store(true, ordering: .relaxed)
        stopSignal.signal()
        done.wait()
        if fd > 0 { close(fd) }
        fd = -1
    }

    /// Events read since the last drain, in time order.
    public func drain() -> [Event] {
        shared.withLock { s in
            defer { s.events.removeAll(keepingCapacity: true) }
            return s.events
        }
    }

    /// Counts and the latest problem so far.
    public var status: Status { shared.withLock { $0.status } }

    /// Seconds since the source last produced a line (since the start before the first line).
    public func age(now: Double) -> Double {
        max(0, now - (status.lastLineAt ?? 0))
    }

    private func open(initial: Bool) throws {
        if path == "-" { kind = .stdin; fd = 0; return }
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw TraceError(file: path, problem: "cannot follow: \(String(cString: strerror(errno)))")
        }
        let isFIFO = (st.st_mode & S_IFMT) == S_IFIFO
        guard isFIFO || (st.st_mode & S_IFMT) == S_IFREG else {
            throw TraceError(file: path, problem: "cannot follow: not a file, a FIFO or '-'")
        }
        kind = isFIFO ? .fifo : .file
        fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw TraceError(file: path, problem: "cannot follow: \(String(cString: strerror(errno)))") }
        if kind == .file {
            compressed = fileIsGzip()
            // A gzip stream can only be decoded from its start: what it held at the start is
            // read as history (lines counted for their numbers, not shown), the rest live.
            if compressed { historyLeft = initial ? Int(st.st_size) : 0 }
            else if initial { lseek(fd, 0, SEEK_END) }
        }
    }

    /// Whether the open regular file is gzip data: by its first two bytes, or by its name
    /// while it is still empty.
    private func fileIsGzip() -> Bool {
        var magic: (UInt8, UInt8) = (0, 0)
        let n = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 2, 0) }
        return n == 2 ? magic == (0x1F, 0x8B) : path.hasSuffix(".gz")
    }

    private func run() {
        defer { done.signal() }
        var parser = FollowLineParser()
        var followClock = FollowClock()
        var pending: [UInt8] = []
        var skippingLongLine = false
        var lineNumber = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let inflater = GzipInflater()
        // stdin and FIFOs are gzip when their first byte is (0x1F starts no text line).
        var sniff = kind != .file

        /// Splits `bytes` into lines and folds them in; history lines only advance the parser.
        func consume(_ bytes: ArraySlice<UInt8>, history: Bool) {
            var lines: [Substring] = []
            var start = bytes.startIndex
            for i in bytes.indices where bytes[i] == 0x0A {
                if skippingLongLine { skippingLongLine = false; pending.removeAll(); start = i + 1; continue }
                pending.append(contentsOf: bytes[start ..< i])
                lines.append(Substring(String(decoding: pending, as: UTF8.self)))
                pending.removeAll(keepingCapacity: true)
                start = i + 1
            }
            if !skippingLongLine { pending.append(contentsOf: bytes[start ..< bytes.endIndex]) }
            var tooLong = false
            if pending.count > FollowSource.maxLineBytes { pending.removeAll(); skippingLongLine = true; tooLong = true }
            if history {
                for line in lines { lineNumber += 1; _ = parser.parse(line) }
                if tooLong { lineNumber += 1 }
                return
            }
            let now = clock()
            var events: [Event] = []
            var bad: [(Int, String)] = []
            var inferences = 0
            for line in lines {
                lineNumber += 1
                switch parser.parse(line) {
                case .inference(let f):
                    var backend = f.backend ?? "app"
                    if let label = f.label { backend += ":" + label }
                    events.append(.inference(InferenceEvent(
                        t: followClock.sessionTime(app: f.time, now: now), backend: sanitize(backend),
                        model: sanitize(f.model ?? defaultModel), latencyNs: f.latencyNs)))
                    inferences += 1
                case .mark(let time, let label):
                    events.append(.mark(Mark(t: followClock.sessionTime(app: time, now: now), label: sanitize(label))))
                case .skip: break
                case .bad(let problem): bad.append((lineNumber, problem))
                }
            }
            if tooLong { bad.append((lineNumber + 1, "line longer than \(FollowSource.maxLineBytes) bytes")) }
            let count = lines.count
            shared.withLock { s in
                s.events.append(contentsOf: events)
                if s.events.count > FollowSource.capacity { s.events.removeFirst(s.events.count - FollowSource.capacity) }
                s.status.lines += count
                s.status.inferences += inferences
                s.status.badLines += bad.count
                if let (line, problem) = bad.last { s.status.lastProblem = sanitize("\(path):\(line): \(problem)") }
                if count > 0 || tooLong { s.status.lastLineAt = now }
            }
        }

        /// Starts reading a new stream (a truncated or replaced file, a FIFO's next writer).
        func startOver() {
            lineNumber = 0; parser = FollowLineParser(); pending.removeAll(); skippingLongLine = false
            inflater.reset()
        }

        while !stopping.load(ordering: .relaxed) {
            if kind != .file {
                // Wait for data with a timeout, so a silent app never blocks stopping
                // (stdin may be a blocking descriptor).
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 100) <= 0 { continue }
            }
            let history = historyLeft > 0
            let want = history ? min(chunk.count, historyLeft) : chunk.count
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
            if n > 0 {
                if history { historyLeft -= n }
                if sniff { compressed = chunk[0] == 0x1F; sniff = false }
                if !compressed {
                    consume(chunk[0 ..< n], history: history)
                    continue
                }
                do {
                    try chunk.withUnsafeBytes { raw in
                        try inflater.feed(UnsafeRawBufferPointer(rebasing: raw[0 ..< n])) { consume($0, history: history) }
                    }
                } catch {
                    // Nothing more is decoded from this stream until it starts over.
                    let reason = (error as? GzipInflater.DataError)?.reason ?? "\(error)"
                    let problem = sanitize("\(path): compressed data is corrupt: \(reason)")
                    shared.withLock { $0.status.lastProblem = problem }
                }
                continue
            }
            if n < 0 && errno != EAGAIN && errno != EINTR && errno != EWOULDBLOCK {
                shared.withLock { $0.status.lastProblem = sanitize("\(path): read failed: \(String(cString: strerror(errno)))") }
            }
            // Nothing to read now.
            switch kind {
            case .stdin:
                if n == 0 { shared.withLock { $0.status.ended = true }; return }
            case .fifo:
                if n == 0 {
                    // The writer went away: reopen so the next writer is seen (and poll stops
                    // reporting the hang-up).
                    close(fd); fd = -1
                    startOver()
                    sniff = true
                    if stopSignal.wait(timeout: .now() + .milliseconds(50)) == .success { return }
                    while fd < 0 {
                        fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
                        if fd < 0, stopSignal.wait(timeout: .now() + .milliseconds(200)) == .success { return }
                    }
                }
            case .file:
                historyLeft = 0
                if stopSignal.wait(timeout: .now() + .milliseconds(50)) == .success { return }
                // Line numbers name lines of the file now under the name.
                if followRotation() {
                    startOver()
                    compressed = fileIsGzip()
                }
            }
        }
    }

    /// After a quiet read of a regular file: starts over when it was truncated, and opens the
    /// new file when another one now has its name; true when reading starts over.
    private func followRotation() -> Bool {
        var current = stat(), named = stat()
        guard fstat(fd, &current) == 0 else { return false }
        let offset = lseek(fd, 0, SEEK_CUR)
        if stat(path, &named) == 0, named.st_ino != current.st_ino || named.st_dev != current.st_dev {
            let fresh = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            if fresh >= 0 { close(fd); fd = fresh; return true }
        } else if current.st_size < offset {
            lseek(fd, 0, SEEK_SET)
            return true
        }
        return false
    }
}
