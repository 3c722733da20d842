/// A tensor's values while the reference interpreter runs: floats, or the stored integers
/// of an int8/uint8/int32 tensor (widened to Int32 so every op works on one type).
enum ReferenceValue {
    case float([Float])
    case int([Int32])

    var floats: [Float] {
        if case .float(let f) = self { return f }
        fatalError("reference interpreter: expected a float tensor")
    }

    var ints: [Int32] {
        if case .int(let i) = self { return i }
        fatalError("reference interpreter: expected an integer tensor")
    }
}
