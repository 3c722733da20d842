/// A tensor's values while the reference interpreter runs: floats, the stored integers of
/// an int8/uint8/int32 tensor (widened to Int32 so every op works on one type), or bytes as
/// a kernel left them (stored value = byte - offset), widened only if a loop reads them.
public enum ReferenceValue {
    /// float32 values.
    case float([Float])
    /// Stored integers, widened.
    case int([Int32])
    /// Bytes in a kernel's uint8 domain: int8 activations sit 128 higher (offset 128).
    case bytes([UInt8], offset: Int32)

    /// The float values (a float tensor's only form).
    public var floats: [Float] {
        if case .float(let f) = self { return f }
        fatalError("reference interpreter: expected a float tensor")
    }

    /// The stored integers, widened from bytes when a kernel left them so.
    public var ints: [Int32] {
        switch self {
        case .int(let i): return i
        case .bytes(let b, let offset):
            var r = [Int32](repeating: 0, count: b.count)
            for k in 0..<b.count { r[k] = Int32(b[k]) &- offset }
            return r
        case .float: fatalError("reference interpreter: expected an integer tensor")
        }
    }
}
