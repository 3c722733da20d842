/// A read-only view of a FlatBuffers buffer in which every offset, length and vtable entry
/// is checked against the buffer's bounds before it is followed.
///
/// A model file is untrusted input: a truncated download or a hostile file must give an
/// error, never an out-of-bounds read, a trap or a huge allocation. So every read goes
/// through `u8`/`u16`/`u32`/… which check the range, vector lengths are checked against the
/// bytes that remain before anything is allocated, and offsets are followed only forwards
/// (uoffset) or to a vtable inside the buffer (soffset), so no loop can revisit a table.
public struct FlatBuffer: Sendable {
    /// The whole buffer.
    public let bytes: [UInt8]

    /// Wraps `bytes`; nothing is read until `root()` is called.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Number of bytes in the buffer.
    public var count: Int { bytes.count }

    /// The root table: the uoffset at byte 0.
    public func root() throws -> FBTable {
        try table(at: try indirect(0))
    }

    /// The 4-byte file identifier at bytes 4..<8 (e.g. "TFL3"), or nil when too short.
    public var identifier: String? {
        guard bytes.count >= 8 else { return nil }
        return String(decoding: bytes[4..<8], as: UTF8.self)
    }

    // MARK: Checked scalar reads (little-endian)

    /// Throws unless `offset..<offset+size` lies inside the buffer.
    @inline(__always)
    func check(_ offset: Int, _ size: Int, _ what: @autoclosure () -> String) throws {
        guard offset >= 0, size >= 0, offset <= bytes.count, size <= bytes.count - offset else {
            throw FlatBufferError(offset: offset, "\(what()) of \(size) bytes runs past the end of the \(bytes.count)-byte buffer")
        }
    }

    /// The byte at `offset`.
    func u8(_ offset: Int) throws -> UInt8 {
        try check(offset, 1, "a byte")
        return bytes[offset]
    }

    /// The little-endian UInt16 at `offset`.
    func u16(_ offset: Int) throws -> UInt16 {
        try check(offset, 2, "a 16-bit field")
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    /// The little-endian UInt32 at `offset`.
    func u32(_ offset: Int) throws -> UInt32 {
        try check(offset, 4, "a 32-bit field")
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    /// The little-endian UInt64 at `offset`.
    func u64(_ offset: Int) throws -> UInt64 {
        try check(offset, 8, "a 64-bit field")
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[offset + i]) }
        return v
    }

    /// Follows the uoffset stored at `offset` (always forwards) and returns its target.
    func indirect(_ offset: Int) throws -> Int {
        let rel = Int(try u32(offset))
        let target = offset + rel
        try check(target, 0, "an offset target")
        guard rel > 0 else { throw FlatBufferError(offset: offset, "a zero offset") }
        return target
    }

    /// The table whose start is `position`, with its vtable checked.
    func table(at position: Int) throws -> FBTable {
        try check(position, 4, "a table")
        let soffset = Int(Int32(bitPattern: try u32(position)))
        let vtable = position - soffset
        try check(vtable, 4, "a vtable")
        let vtableSize = Int(try u16(vtable))
        let tableSize = Int(try u16(vtable + 2))
        guard vtableSize >= 4, vtableSize % 2 == 0 else {
            throw FlatBufferError(offset: vtable, "a vtable of \(vtableSize) bytes")
        }
        try check(vtable, vtableSize, "a vtable")
        guard tableSize >= 4 else { throw FlatBufferError(offset: position, "a table of \(tableSize) bytes") }
        try check(position, tableSize, "a table")
        return FBTable(buffer: self, position: position, vtable: vtable,
                       fieldCount: (vtableSize - 4) / 2, size: tableSize)
    }

    /// The vector whose uoffset is stored at `offset`, holding `count` elements of
    /// `elementSize` bytes, all checked to lie inside the buffer.
    func vector(at offset: Int, elementSize: Int) throws -> FBVector {
        let start = try indirect(offset)
        let count = Int(try u32(start))
        // The length is checked against the bytes that remain before anything is sized by it.
        guard count <= (bytes.count - start - 4) / elementSize else {
            throw FlatBufferError(offset: start, "a vector of \(count) \(elementSize)-byte elements runs past the end of the \(bytes.count)-byte buffer")
        }
        return FBVector(buffer: self, start: start + 4, count: count, elementSize: elementSize)
    }
}

/// A table of a `FlatBuffer`: fields are looked up through its (checked) vtable; absent
/// fields read as their defaults.
public struct FBTable: Sendable {
    /// The buffer the table lives in.
    let buffer: FlatBuffer
    /// Byte offset of the table.
    let position: Int
    /// Byte offset of its vtable.
    let vtable: Int
    /// Number of field slots in the vtable.
    let fieldCount: Int
    /// Inline size of the table in bytes, from its vtable.
    let size: Int

    /// Byte offset of field `index` (schema order), or nil when absent; the field's
    /// `width` bytes are checked to lie inside the table.
    func field(_ index: Int, width: Int) throws -> Int? {
        guard index < fieldCount else { return nil }
        let rel = Int(try buffer.u16(vtable + 4 + 2 * index))
        if rel == 0 { return nil }
        guard rel >= 4, rel + width <= size else {
            throw FlatBufferError(offset: vtable, "field \(index) at +\(rel) lies outside its \(size)-byte table")
        }
        return position + rel
    }

    /// Whether field `index` is present.
    func has(_ index: Int) throws -> Bool { try field(index, width: 0) != nil }

    /// A UInt8 field (also enums and bools stored as a byte).
    func u8(_ index: Int, default d: UInt8 = 0) throws -> UInt8 {
        guard let o = try field(index, width: 1) else { return d }
        return try buffer.u8(o)
    }

    /// An Int8 field.
    func i8(_ index: Int, default d: Int8 = 0) throws -> Int8 {
        Int8(bitPattern: try u8(index, default: UInt8(bitPattern: d)))
    }

    /// A Bool field.
    func bool(_ index: Int, default d: Bool = false) throws -> Bool {
        try u8(index, default: d ? 1 : 0) != 0
    }

    /// A UInt32 field.
    func u32(_ index: Int, default d: UInt32 = 0) throws -> UInt32 {
        guard let o = try field(index, width: 4) else { return d }
        return try buffer.u32(o)
    }

    /// An Int32 field.
    func i32(_ index: Int, default d: Int32 = 0) throws -> Int32 {
        Int32(bitPattern: try u32(index, default: UInt32(bitPattern: d)))
    }

    /// A UInt64 field.
    func u64(_ index: Int, default d: UInt64 = 0) throws -> UInt64 {
        guard let o = try field(index, width: 8) else { return d }
        return try buffer.u64(o)
    }

    /// A Float32 field.
    func f32(_ index: Int, default d: Float = 0) throws -> Float {
        guard let o = try field(index, width: 4) else { return d }
        return Float(bitPattern: try buffer.u32(o))
    }

    /// A sub-table field, or nil when absent.
    func table(_ index: Int) throws -> FBTable? {
        guard let o = try field(index, width: 4) else { return nil }
        return try buffer.table(at: try buffer.indirect(o))
    }

    /// A vector field of `elementSize`-byte elements, or nil when absent.
    func vector(_ index: Int, elementSize: Int) throws -> FBVector? {
        guard let o = try field(index, width: 4) else { return nil }
        return try buffer.vector(at: o, elementSize: elementSize)
    }

    /// A string field, or nil when absent; invalid UTF-8 is repaired, not trusted.
    func string(_ index: Int) throws -> String? {
        guard let v = try vector(index, elementSize: 1) else { return nil }
        return String(decoding: buffer.bytes[v.start..<(v.start + v.count)], as: UTF8.self)
    }

    /// An [Int32] vector field (empty when absent).
    func int32s(_ index: Int) throws -> [Int32] {
        guard let v = try vector(index, elementSize: 4) else { return [] }
        return try (0..<v.count).map { Int32(bitPattern: try buffer.u32(v.start + 4 * $0)) }
    }

    /// A [Float] vector field (empty when absent).
    func floats(_ index: Int) throws -> [Float] {
        guard let v = try vector(index, elementSize: 4) else { return [] }
        return try (0..<v.count).map { Float(bitPattern: try buffer.u32(v.start + 4 * $0)) }
    }

    /// An [Int64] vector field (empty when absent).
    func int64s(_ index: Int) throws -> [Int64] {
        guard let v = try vector(index, elementSize: 8) else { return [] }
        return try (0..<v.count).map { Int64(bitPattern: try buffer.u64(v.start + 8 * $0)) }
    }

    /// A vector of tables (empty when absent).
    func tables(_ index: Int) throws -> [FBTable] {
        guard let v = try vector(index, elementSize: 4) else { return [] }
        return try (0..<v.count).map { try buffer.table(at: try buffer.indirect(v.start + 4 * $0)) }
    }

    /// The byte range of a [ubyte] vector field, or nil when absent; the bytes stay in the buffer.
    func byteRange(_ index: Int) throws -> Range<Int>? {
        guard let v = try vector(index, elementSize: 1) else { return nil }
        return v.start..<(v.start + v.count)
    }
}

/// A vector of a `FlatBuffer`, its whole extent already checked to lie inside the buffer.
public struct FBVector: Sendable {
    /// The buffer the vector lives in.
    let buffer: FlatBuffer
    /// Byte offset of the first element.
    let start: Int
    /// Number of elements.
    let count: Int
    /// Bytes per element.
    let elementSize: Int
}
