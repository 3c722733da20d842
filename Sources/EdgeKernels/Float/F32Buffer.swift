/// A 64-byte aligned Float buffer owned by an operator (packed weights), freed with it.
final class F32Buffer: @unchecked Sendable {
    /// Start of the buffer.
    let pointer: UnsafeMutablePointer<Float>
    /// Number of floats.
    let count: Int

    /// A zero-filled buffer of `count` floats (at least one, so the pointer is always valid).
    init(count: Int) {
        self.count = max(count, 1)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: self.count * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: self.count)
        pointer.initialize(repeating: 0, count: self.count)
    }

    deinit { pointer.deallocate() }
}

/// Weight packing shared by the GEMM-based operators.
enum F32Packing {
    /// Floats taken by a GEMM weight matrix of `n` columns and depth `k` packed in `nr`-column panels.
    static func gemmSize(n: Int, k: Int, nr: Int) -> Int {
        (n + nr - 1) / nr * nr * (k + 1)
    }

    /// Packs `n` columns of depth `k` into `nr`-column panels: per panel, nr biases then k rows of
    /// nr weights, zero padded past `n`. `weight(column, k)` and `bias(column)` read the source.
    static func packGemm(n: Int, k: Int, nr: Int, into out: UnsafeMutablePointer<Float>,
                         bias: (Int) -> Float, weight: (Int, Int) -> Float) {
        var p = out
        var n0 = 0
        while n0 < n {
            for j in 0..<nr { p[j] = n0 + j < n ? bias(n0 + j) : 0 }
            p += nr
            for kk in 0..<k {
                for j in 0..<nr { p[j] = n0 + j < n ? weight(n0 + j, kk) : 0 }
                p += nr
            }
            n0 += nr
        }
    }
}
