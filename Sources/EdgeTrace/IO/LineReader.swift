#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Reads a file line by line in chunks, decompressing gzip transparently (zlib's gzread
/// passes plain files through unchanged), so memory stays bounded however long the file.
final class LineReader {
    /// The file as named by the user, for messages.
    let path: String
    private var file: gzFile?
    private var buf: [UInt8]
    private var lo = 0, hi = 0
    private var eof = false
    /// 1-based number of the line most recently returned.
    private(set) var lineNumber = 0
    /// Set when gzip data ended before its trailer: the file was cut off mid-write.
    private(set) var compressedDataTruncated = false

    private static let chunk = 1 << 18
    /// Bytes read per refill: `chunk`, or less for a small uncompressed file, which would
    /// otherwise cost a 512 KiB zeroed buffer for a few lines.
    private let readSize: Int
    /// Decompressed bytes handed out so far.
    private(set) var bytesRead = 0
    /// When set, reading more than this many (decompressed) bytes throws: for readers whose
    /// caller holds everything it reads, so a small gzip bomb cannot exhaust memory.
    var byteLimit: Int?
    /// A "line" longer than this is not a trace line; refusing it bounds memory on binary input.
    static let maxLineBytes = 64 << 20

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw TraceError(file: path, problem: "cannot open: \(String(cString: strerror(errno)))") }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw TraceError(file: path, problem: "cannot read: is a directory")
        }
        var magic: (UInt8, UInt8) = (0, 0)
        let compressed = pread(fd, &magic, 2, 0) == 2 && magic == (0x1F, 0x8B)
        var size = LineReader.chunk
        if !compressed && (st.st_mode & S_IFMT) == S_IFREG && Int(st.st_size) < LineReader.chunk {
            size = 4096
            while size <= Int(st.st_size) { size *= 2 }
        }
        readSize = size
        guard let f = gzdopen(fd, "rb") else {
            close(fd)
            throw TraceError(file: path, problem: "cannot open: out of memory")
        }
        gzbuffer(f, UInt32(size))
        file = f
        buf = [UInt8](repeating: 0, count: size * 2)
    }

    deinit { if let f = file { gzclose_r(f) } }

    /// Hands the next line (without its newline or a trailing CR) to `body`, with whether it
    /// ended in a newline. Returns nil at the end of the file.
    func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>, _ terminated: Bool) throws -> R) throws -> R? {
        var scan = lo
        while true {
            let found: Int? = scan < hi ? buf.withUnsafeBufferPointer { p in
                memchr(p.baseAddress! + scan, 0x0A, hi - scan).map { UnsafeRawPointer($0) - UnsafeRawPointer(p.baseAddress!) }
            } : nil
            if let nl = found {
                let start = lo
                lo = nl + 1
                lineNumber += 1
                var end = nl
                if end > start && buf[end - 1] == 0x0D { end -= 1 }
                return try buf.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end]), true) }
            }
            scan = hi
            if eof {
                guard lo < hi else { return nil }
                let start = lo
                lo = hi
                lineNumber += 1
                return try buf.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<hi]), false) }
            }
            let pending = hi - lo
            if lo > 0 {
                // Move the partial line to the front so the buffer does not grow with the file.
                if pending > 0 { buf.withUnsafeMutableBufferPointer { p in
                    _ = memmove(p.baseAddress!, p.baseAddress! + lo, pending) } }
                scan -= lo; lo = 0; hi = pending
            }
            if buf.count - hi < readSize {
                guard buf.count < LineReader.maxLineBytes else {
                    throw TraceError(file: path, line: lineNumber + 1,
                                     problem: "line longer than \(LineReader.maxLineBytes >> 20) MiB: not a text log")
                }
                buf.append(contentsOf: repeatElement(0, count: buf.count))
            }
            try fill()
        }
    }

    private func fill() throws {
        guard let f = file else { eof = true; return }
        let room = buf.count - hi
        let n = buf.withUnsafeMutableBufferPointer { p in
            gzread(f, p.baseAddress! + hi, UInt32(min(room, Int(Int32.max))))
        }
        if n > 0 {
            hi += Int(n)
            bytesRead += Int(n)
            if let limit = byteLimit, bytesRead > limit {
                throw TraceError(file: path, line: lineNumber + 1,
                                 problem: "more than \(limit >> 20) MiB of text after decompression: edgetop holds "
                                        + "an imported log in memory and stops at this limit")
            }
            return
        }
        if n == 0 {
            // gzread reports a cut-off gzip stream as end of data plus a Z_BUF_ERROR.
            var code: Int32 = 0
            _ = gzerror(f, &code)
            if code == Z_BUF_ERROR { compressedDataTruncated = true }
            eof = true
            return
        }
        var code: Int32 = 0
        let msg = gzerror(f, &code).map { String(cString: $0) } ?? "read error"
        if code == Z_BUF_ERROR { compressedDataTruncated = true; eof = true; return }
        if code == Z_DATA_ERROR {
            throw TraceError(file: path, line: lineNumber + 1, problem: "corrupt compressed data (\(msg))")
        }
        throw TraceError(file: path, line: lineNumber + 1, problem: "cannot read: \(msg)")
    }
}
