import CZlib

/// Decompresses a gzip stream piece by piece as it grows: what a writer has flushed (each
/// of `TraceWriter`'s flushes ends a deflate block) comes out as soon as it is read, and a
/// piece that stops mid-block simply waits for the rest. Concatenated gzip members are read
/// one after another, as `gzip -d` does.
final class GzipInflater {
    /// Compressed data that cannot be a gzip stream, with zlib's reason.
    struct DataError: Error, Equatable { let reason: String }

    // zlib keeps a pointer back to its stream, so the stream never moves.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    private var failed: DataError?

    init() {
        stream.initialize(to: z_stream())
        start()
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    private func start() {
        // 16 + 15: a gzip wrapper around a deflate stream with the largest window.
        let status = inflateInit2_(stream, 16 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "inflateInit2 failed: \(status)")
    }

    /// Starts a new stream (the file was truncated or replaced).
    func reset() {
        inflateReset(stream)
        failed = nil
    }

    /// Decompresses `input`, handing the output to `sink` in pieces of at most 64 KiB, so a
    /// small input that inflates to gigabytes never needs them in memory at once. After a
    /// data error, this and every later call throw it until `reset`.
    func feed(_ input: UnsafeRawBufferPointer, _ sink: (ArraySlice<UInt8>) -> Void) throws(DataError) {
        if let failed { throw failed }
        guard let base = input.baseAddress, !input.isEmpty else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(input.count)
        defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
        while true {
            let (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                let status = inflate(stream, Z_NO_FLUSH)
                return (status, out.count - Int(stream.pointee.avail_out))
            }
            if produced > 0 { sink(output[0 ..< produced]) }
            switch status {
            case Z_STREAM_END:
                // A member ended; another may follow in the same file.
                inflateReset(stream)
                if stream.pointee.avail_in == 0 { return }
            case Z_OK:
                if stream.pointee.avail_in == 0 && produced < output.count { return }
            case Z_BUF_ERROR:
                return    // needs more input than has been written so far
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                let error = DataError(reason: reason)
                failed = error
                throw error
            }
        }
    }
}
