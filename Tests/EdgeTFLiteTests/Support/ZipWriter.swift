import CZlib

/// Writes a zip archive for tests, stored or raw-deflated, with offsets counted from
/// `base` (0 for an archive built on its own and concatenated; the flatbuffer's length for
/// one appended in place).
func zipArchive(_ entries: [(name: String, data: [UInt8], deflate: Bool)], base: Int = 0) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16) }
    for e in entries {
        let payload = e.deflate ? rawDeflate(e.data) : e.data
        let method = e.deflate ? 8 : 0
        let name = Array(e.name.utf8)
        let offset = base + out.count
        let crc = Int(e.data.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
        out += le32(0x0403_4b50) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0)
            + le32(crc) + le32(payload.count) + le32(e.data.count) + le16(name.count) + le16(0) + name + payload
        central += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0)
            + le32(crc) + le32(payload.count) + le32(e.data.count) + le16(name.count) + le16(0) + le16(0)
            + le16(0) + le16(0) + le32(0) + le32(offset) + name
    }
    let cdOffset = base + out.count
    out += central
    out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
        + le32(central.count) + le32(cdOffset) + le16(0)
    return out
}

/// Raw deflate (no zlib header), as zip stores it.
func rawDeflate(_ data: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    precondition(deflateInit2_(&stream, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                               Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: data.count + 64)
    var input = data
    let produced: Int = input.withUnsafeMutableBufferPointer { i in
        out.withUnsafeMutableBufferPointer { o in
            stream.next_in = i.baseAddress
            stream.avail_in = UInt32(i.count)
            stream.next_out = o.baseAddress
            stream.avail_out = UInt32(o.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return Int(stream.total_out)
        }
    }
    return Array(out.prefix(produced))
}
