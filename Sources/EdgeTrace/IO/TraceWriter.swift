#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Writes an edgetop trace: the header at once, then events into a buffer that `flush()`
/// hands to the kernel. Plain files are opened O_APPEND and written whole lines at a time,
/// so a crash loses at most what was written since the last flush and never leaves a
/// half line before a complete one. A path ending in `.gz` is written gzip-compressed,
/// each flush ending a deflate block (Z_SYNC_FLUSH) so the flushed part can be read back.
public final class TraceWriter {
    /// The file being written.
    public let path: String
    private var fd: Int32 = -1
    private var gz: gzFile?
    private var buffer = JSONWriter()
    /// Session time of the last flush: `write` flushes once 0.25 s of session time has
    /// passed, so a killed writer loses at most the last half second even if its caller
    /// forgets to flush.
    private var lastFlushT = -Double.infinity
    /// Buffered bytes above which `write` flushes on its own, to bound memory.
    private static let autoFlushBytes = 1 << 16
    /// Session seconds between automatic flushes.
    static let flushInterval = 0.25

    /// Creates (or truncates) `path` and writes `header` as its first line, flushed.
    public init(path: String, header: TraceHeader) throws {
        self.path = path
        if path.hasSuffix(".gz") {
            guard let f = gzopen(path, "wb") else {
                throw TraceError(file: path, problem: "cannot create: \(String(cString: strerror(errno)))")
            }
            gz = f
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
            if fd < 0 { throw TraceError(file: path, problem: "cannot create: \(String(cString: strerror(errno)))") }
        }
        buffer.bytes.append(contentsOf: TraceFormat.encode(header))
        buffer.bytes.append(0x0A)
        try flush()
    }

    deinit { try? close() }

    /// Appends one event line to the buffer (flushing when the buffer is large).
    public func write(_ event: Event) throws {
        guard gz != nil || fd >= 0 else { throw TraceError(file: path, problem: "cannot write: the trace is already closed") }
        TraceFormat.encode(event, into: &buffer)
        buffer.bytes.append(0x0A)
        if buffer.bytes.count >= TraceWriter.autoFlushBytes || event.t - lastFlushT >= TraceWriter.flushInterval {
            try flush()
            lastFlushT = event.t
        }
    }

    /// Hands every buffered line to the kernel. The recorder calls this at least once a second.
    public func flush() throws {
        guard !buffer.bytes.isEmpty else { return }
        if let gz {
            let n = buffer.bytes.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
            if n <= 0 || gzflush(gz, Z_SYNC_FLUSH) != Z_OK {
                throw TraceError(file: path, problem: "cannot write compressed data: \(TraceWriter.reason(gz))")
            }
        } else if fd >= 0 {
            var done = 0
            let total = buffer.bytes.count
            try buffer.bytes.withUnsafeBytes { p in
                while done < total {
                    let n = Glibc.write(fd, p.baseAddress! + done, total - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw TraceError(file: path, problem: "cannot write: \(String(cString: strerror(errno)))")
                    }
                    done += n
                }
            }
        } else {
            throw TraceError(file: path, problem: "cannot write: the trace is already closed")
        }
        buffer.bytes.removeAll(keepingCapacity: true)
    }

    /// Why zlib failed: the system's reason (disk full, I/O error) when the failure was a
    /// write, else zlib's own message.
    static func reason(_ gz: gzFile) -> String {
        let saved = errno
        var code: Int32 = 0
        let message = gzerror(gz, &code).map { String(cString: $0) } ?? ""
        if code == Z_ERRNO || message.isEmpty { return String(cString: strerror(saved)) }
        return message
    }

    /// Flushes and closes the file; later writes throw.
    public func close() throws {
        var closeError: TraceError? = nil
        defer {
            if fd >= 0 { Glibc.close(fd); fd = -1 }
        }
        if gz != nil || fd >= 0 {
            do { try flush() } catch let e as TraceError { closeError = e }
        }
        if let g = gz {
            // gzclose writes the trailer: on a full disk that is where the failure shows.
            let rc = gzclose(g)
            let saved = errno
            gz = nil
            if rc != Z_OK && closeError == nil {
                closeError = TraceError(file: path, problem: "cannot finish compressed data: "
                                        + (rc == Z_ERRNO ? String(cString: strerror(saved)) : "zlib error \(rc)"))
            }
        }
        if let closeError { throw closeError }
    }
}
