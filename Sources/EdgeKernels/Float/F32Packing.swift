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
