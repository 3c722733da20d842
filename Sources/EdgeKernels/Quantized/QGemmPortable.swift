/// Portable int8 GEMM microkernels (4 rows x 16 columns, Swift SIMD): the path that always
/// exists, and the cross-check of the C kernels, so they must produce identical bytes.
///
/// They read the `kr = 1`, Int32-weight packing of `QWeightPacking.packGemm`: bias[16],
/// weights[ks][kc][16] as Int32, scales[16]. Rows past `mr` alias the last valid row.
enum QGemmPortable {
    /// Direct GEMM tile: row r reads `kc` bytes at `a + r * aStride`.
    static func gemm(mr: Int, nc: Int, kc: Int, a: UnsafePointer<UInt8>, aStride: Int,
                     w: UnsafeRawPointer, c: UnsafeMutablePointer<UInt8>, cStride: Int,
                     requantization: QRequantization) {
        core(mr: mr, nc: nc, kc: kc, ks: 1, w: w, c: c, cStride: cStride, requantization: requantization) { r, _ in
            a + r * aStride
        }
    }

    /// Indirect GEMM tile: row r, tap p reads `kc` bytes at `indirection[r * stride + p] + aOffset`.
    static func igemm(mr: Int, nc: Int, kc: Int, ks: Int, indirection: UnsafePointer<UnsafePointer<UInt8>?>,
                      indirectionStride: Int, aOffset: Int, w: UnsafeRawPointer,
                      c: UnsafeMutablePointer<UInt8>, cStride: Int, requantization: QRequantization) {
        core(mr: mr, nc: nc, kc: kc, ks: ks, w: w, c: c, cStride: cStride, requantization: requantization) { r, p in
            indirection[r * indirectionStride + p].unsafelyUnwrapped + aOffset
        }
    }

    @inline(__always)
    private static func core(mr: Int, nc: Int, kc: Int, ks: Int, w: UnsafeRawPointer,
                             c: UnsafeMutablePointer<UInt8>, cStride: Int, requantization: QRequantization,
                             row: (Int, Int) -> UnsafePointer<UInt8>) {
        let r1 = min(1, mr - 1), r2 = min(2, mr - 1), r3 = min(3, mr - 1)
        let bias = w.loadUnaligned(as: SIMD16<Int32>.self)
        var acc0 = bias, acc1 = bias, acc2 = bias, acc3 = bias
        var wp = w + 64
        for p in 0..<ks {
            let a0 = row(0, p), a1 = row(r1, p), a2 = row(r2, p), a3 = row(r3, p)
            for k in 0..<kc {
                let wv = wp.loadUnaligned(as: SIMD16<Int32>.self)
                wp += 64
                acc0 &+= wv &* Int32(a0[k])
                acc1 &+= wv &* Int32(a1[k])
                acc2 &+= wv &* Int32(a2[k])
                acc3 &+= wv &* Int32(a3[k])
            }
        }
        let scale = wp.loadUnaligned(as: SIMD16<Float>.self)
        store(requantization.requantize(acc0, scale: scale), to: c, count: nc)
        if mr > 1 { store(requantization.requantize(acc1, scale: scale), to: c + cStride, count: nc) }
        if mr > 2 { store(requantization.requantize(acc2, scale: scale), to: c + 2 * cStride, count: nc) }
        if mr > 3 { store(requantization.requantize(acc3, scale: scale), to: c + 3 * cStride, count: nc) }
    }

    @inline(__always)
    private static func store(_ v: SIMD16<UInt8>, to c: UnsafeMutablePointer<UInt8>, count: Int) {
        if count >= 16 {
            UnsafeMutableRawPointer(c).storeBytes(of: v, as: SIMD16<UInt8>.self)
        } else {
            for j in 0..<count { c[j] = v[j] }
        }
    }
}
