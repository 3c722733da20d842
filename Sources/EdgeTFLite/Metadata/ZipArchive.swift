import CZlib
import EdgeTrace

/// A file stored in the zip archive that TFLite model makers append to the flatbuffer
/// (labels, vocabularies), already extracted.
public struct ZipEntry: Sendable, Equatable {
    /// The entry's name in the archive (sanitized).
    public let name: String
    /// Its uncompressed bytes.
    public let data: [UInt8]
}

/// Why an appended zip archive could not be read.
public struct ZipError: Error, Equatable {
    /// What was wrong, in words.
    public let problem: String
}

/// Reads the zip archive appended to a model: finds the end-of-central-directory record,
/// walks the central directory, and extracts stored and deflated entries. Offsets are
/// taken relative to where the archive really starts (an archive built on its own and then
/// concatenated has offsets from its own start; one appended in place, from the file's),
/// and every extent and size is checked before bytes are read or allocated.
public enum ZipArchive {
    /// Largest entry extracted; associated files are labels and vocabularies, not data sets.
    public static let maxEntryBytes = 16 << 20
    /// Most entries read.
    public static let maxEntries = 1024

    /// The archive's entries, or [] when `bytes` ends in no zip archive.
    public static func entries(in bytes: [UInt8]) throws -> [ZipEntry] {
        guard let eocd = findEndOfCentralDirectory(bytes) else { return [] }
        let count = Int(le16(bytes, eocd + 10))
        let cdSize = Int(le32(bytes, eocd + 12))
        let cdOffset = Int(le32(bytes, eocd + 16))
        guard count <= maxEntries else { throw ZipError(problem: "\(count) entries; at most \(maxEntries) are read") }
        guard cdSize <= eocd, cdOffset <= eocd - cdSize else {
            throw ZipError(problem: "central directory (\(cdSize) bytes at \(cdOffset)) lies outside the file")
        }
        // Bytes before the archive's own offset 0: the flatbuffer, when the zip was concatenated.
        let base = eocd - cdSize - cdOffset
        var p = eocd - cdSize
        var out: [ZipEntry] = []
        for i in 0..<count {
            guard p + 46 <= eocd, le32(bytes, p) == 0x0201_4b50 else {
                throw ZipError(problem: "central directory entry \(i) is missing or corrupt")
            }
            let method = le16(bytes, p + 10)
            let compressed = Int(le32(bytes, p + 20))
            let size = Int(le32(bytes, p + 24))
            let nameLength = Int(le16(bytes, p + 28))
            let extraLength = Int(le16(bytes, p + 30))
            let commentLength = Int(le16(bytes, p + 32))
            let local = Int(le32(bytes, p + 42))
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= eocd else { throw ZipError(problem: "central directory entry \(i) runs past the directory") }
            let name = sanitize(String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self))
            p = next
            if name.hasSuffix("/") { continue }
            guard size <= maxEntryBytes else {
                throw ZipError(problem: "entry \(name) is \(size) bytes; at most \(maxEntryBytes) are extracted")
            }
            let header = base + local
            guard header >= 0, header + 30 <= eocd, le32(bytes, header) == 0x0403_4b50 else {
                throw ZipError(problem: "entry \(name): local header missing at byte \(header)")
            }
            let start = header + 30 + Int(le16(bytes, header + 26)) + Int(le16(bytes, header + 28))
            guard start <= eocd, compressed <= eocd - start else {
                throw ZipError(problem: "entry \(name): \(compressed) bytes at byte \(start) run past the archive")
            }
            let raw = bytes[start..<(start + compressed)]
            switch method {
            case 0:
                guard compressed == size else { throw ZipError(problem: "entry \(name): stored with \(compressed) bytes but \(size) declared") }
                out.append(ZipEntry(name: name, data: Array(raw)))
            case 8:
                out.append(ZipEntry(name: name, data: try inflate(raw, size: size, name: name)))
            default:
                throw ZipError(problem: "entry \(name): compression method \(method); only stored (0) and deflate (8) are read")
            }
        }
        return out
    }

    /// The offset of the end-of-central-directory record: its signature within the last
    /// 22 + 65535 bytes, taking the last one whose comment length reaches the end exactly.
    static func findEndOfCentralDirectory(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var p = bytes.count - 22
        while p >= lowest {
            if le32(bytes, p) == 0x0605_4b50, p + 22 + Int(le16(bytes, p + 20)) == bytes.count { return p }
            p -= 1
        }
        return nil
    }

    /// Raw-deflate decompression of `raw` into exactly `size` bytes.
    static func inflate(_ raw: ArraySlice<UInt8>, size: Int, name: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZipError(problem: "entry \(name): zlib could not start")
        }
        defer { inflateEnd(&stream) }
        // One extra output byte catches data that inflates to more than was declared.
        var spare: UInt8 = 0
        let status: Int32 = raw.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = UInt32(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = UInt32(output.count)
                var s = CZlib.inflate(&stream, Z_FINISH)
                if s != Z_STREAM_END && stream.avail_out == 0 {
                    withUnsafeMutablePointer(to: &spare) { sp in
                        stream.next_out = sp
                        stream.avail_out = 1
                        s = CZlib.inflate(&stream, Z_FINISH)
                        if stream.avail_out == 0 { s = Z_BUF_ERROR }
                    }
                }
                return s
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw ZipError(problem: "entry \(name): deflate data is corrupt or not \(size) bytes long")
        }
        return out
    }

    private static func le16(_ b: [UInt8], _ o: Int) -> UInt16 {
        UInt16(b[o]) | UInt16(b[o + 1]) << 8
    }

    private static func le32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }
}
