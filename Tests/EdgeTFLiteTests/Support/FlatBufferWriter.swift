/// A small FlatBuffers writer for tests: builds TFLite files field by field so the reader
/// can be checked on exact, hand-made and deliberately broken models. Objects are laid out
/// parent first, children after, so every uoffset points forwards as the format requires.
indirect enum FBValue {
    case u8(UInt8)
    case i32(Int32)
    case u32(UInt32)
    case f32(Float)
    case u64(UInt64)
    case table([Int: FBValue])
    case tables([[Int: FBValue]])
    case int32s([Int32])
    case floats([Float])
    case int64s([Int64])
    case bytes([UInt8])
    case string(String)

    /// Bytes the field takes inline in its table.
    var inlineSize: Int {
        switch self {
        case .u8: return 1
        case .u64: return 8
        default: return 4
        }
    }
}

/// Serialises a root table with file identifier "TFL3".
struct FlatBufferWriter {
    private(set) var bytes: [UInt8] = []

    /// The whole file for `root`.
    static func file(_ root: [Int: FBValue], identifier: String = "TFL3") -> [UInt8] {
        var w = FlatBufferWriter()
        w.bytes = [0, 0, 0, 0] + Array(identifier.utf8.prefix(4))
        let position = w.table(root)
        w.patch(at: 0, to: position)
        return w.bytes
    }

    private mutating func align(_ n: Int) {
        while bytes.count % n != 0 { bytes.append(0) }
    }

    private mutating func put32(_ v: UInt32) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }

    private mutating func set32(_ v: UInt32, at p: Int) {
        for i in 0..<4 { bytes[p + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }

    private mutating func patch(at slot: Int, to target: Int) {
        set32(UInt32(target - slot), at: slot)
    }

    /// Writes vtable then table, then the table's children; returns the table's position.
    private mutating func table(_ fields: [Int: FBValue]) -> Int {
        let count = (fields.keys.max() ?? -1) + 1
        // Inline layout: soffset, then each field 8-aligned within the table for simplicity.
        var layout: [Int: Int] = [:]
        var size = 4
        for k in fields.keys.sorted() {
            let f = fields[k]!
            size = (size + f.inlineSize - 1) / f.inlineSize * f.inlineSize
            layout[k] = size
            size += f.inlineSize
        }
        align(2)
        if (bytes.count + 4 + 2 * count) % 8 != 0 { bytes.append(contentsOf: [0, 0]) }
        let vtable = bytes.count
        bytes.append(contentsOf: le16(4 + 2 * count) + le16(size))
        for k in 0..<count { bytes.append(contentsOf: le16(layout[k] ?? 0)) }
        align(8)
        let position = bytes.count
        put32(UInt32(bitPattern: Int32(position - vtable)))
        bytes.append(contentsOf: [UInt8](repeating: 0, count: size - 4))
        var children: [(Int, FBValue)] = []
        for (k, f) in fields {
            let p = position + layout[k]!
            switch f {
            case .u8(let v): bytes[p] = v
            case .i32(let v): set32(UInt32(bitPattern: v), at: p)
            case .u32(let v): set32(v, at: p)
            case .f32(let v): set32(v.bitPattern, at: p)
            case .u64(let v): set32(UInt32(truncatingIfNeeded: v), at: p); set32(UInt32(truncatingIfNeeded: v >> 32), at: p + 4)
            default: children.append((p, f))
            }
        }
        for (slot, f) in children.sorted(by: { $0.0 < $1.0 }) { patch(at: slot, to: child(f)) }
        return position
    }

    /// Writes a referenced object; returns its position.
    private mutating func child(_ f: FBValue) -> Int {
        switch f {
        case .table(let t): return table(t)
        case .tables(let list):
            align(4)
            let start = bytes.count
            put32(UInt32(list.count))
            for _ in list { put32(0) }
            for (i, t) in list.enumerated() { patch(at: start + 4 + 4 * i, to: table(t)) }
            return start
        case .int32s(let v): return vector(v.map { UInt32(bitPattern: $0) })
        case .floats(let v): return vector(v.map(\.bitPattern))
        case .int64s(let v):
            align(8); if bytes.count % 8 == 0 { put32(0) }
            let start = bytes.count
            put32(UInt32(v.count))
            for x in v { let u = UInt64(bitPattern: x); put32(UInt32(truncatingIfNeeded: u)); put32(UInt32(truncatingIfNeeded: u >> 32)) }
            return start
        case .bytes(let b):
            align(4)
            let start = bytes.count
            put32(UInt32(b.count)); bytes.append(contentsOf: b)
            return start
        case .string(let s):
            align(4)
            let start = bytes.count
            put32(UInt32(s.utf8.count)); bytes.append(contentsOf: Array(s.utf8) + [0])
            return start
        default: fatalError("not a reference")
        }
    }

    private mutating func vector(_ v: [UInt32]) -> Int {
        align(4)
        let start = bytes.count
        put32(UInt32(v.count))
        for x in v { put32(x) }
        return start
    }

    private func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
}
