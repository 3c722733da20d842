/// Winograd F(6x6, 3x3): each 6x6 output tile comes from an 8x8 input tile as
/// Y = A^T [ (G g G^T) ⊙ (B^T d B) ] A, with the interpolation points 0, ±1, ±2, ±1/2 and ∞
/// (NNPACK's choice). The 64 elementwise products over channels become 64 GEMMs of
/// [tiles x inC] by [inC x outC], run on the same microkernel as the 1x1 convolutions:
/// 36 outputs cost 64 products per channel pair instead of 324 (5.06x fewer MACs).
///
/// The transforms run in C (AVX-512 or AVX2+FMA) where the kernel set has them, else in Swift SIMD.
///
/// Accuracy: the transforms have entries up to 32 (and 21/4 in B), so rounding errors grow
/// with the magnitude of the tile's values; results agree with the direct convolution to
/// about 1e-4 of the largest output magnitude (tests hold them to 1e-3 of it).
extension FConvolution {
    /// G (8x3), the kernel transform, in Double: it runs once at init.
    static let winogradG: [[Double]] = [
        [1, 0, 0],
        [-2.0 / 9, -2.0 / 9, -2.0 / 9],
        [-2.0 / 9, 2.0 / 9, -2.0 / 9],
        [1.0 / 90, 1.0 / 45, 2.0 / 45],
        [1.0 / 90, -1.0 / 45, 2.0 / 45],
        [32.0 / 45, 16.0 / 45, 8.0 / 45],
        [32.0 / 45, -16.0 / 45, 8.0 / 45],
        [0, 0, 1],
    ]

    /// Transforms every 3x3 kernel to its 8x8 form U = G g G^T and packs, for each of the 64
    /// positions, the [inC x outC] matrix in GEMM panels with a zero bias (the bias is added
    /// after the output transform). Returns the buffer and the floats per position.
    static func packWinograd(weights: [Float], inputChannels: Int, outputChannels: Int,
                             nr: Int) -> (F32Buffer, Int) {
        let g = winogradG
        let per = F32Packing.gemmSize(n: outputChannels, k: inputChannels, nr: nr)
        let buffer = F32Buffer(count: 64 * per)
        var u = [Float](repeating: 0, count: 64 * outputChannels * inputChannels)
        for oc in 0..<outputChannels {
            for ic in 0..<inputChannels {
                var k = [[Double]](repeating: [0, 0, 0], count: 3)
                for a in 0..<3 {
                    for b in 0..<3 { k[a][b] = Double(weights[((oc * 3 + a) * 3 + b) * inputChannels + ic]) }
                }
                for i in 0..<8 {
                    // t = (G g)[i][*]
                    var t = [0.0, 0.0, 0.0]
                    for b in 0..<3 { t[b] = g[i][0] * k[0][b] + g[i][1] * k[1][b] + g[i][2] * k[2][b] }
                    for j in 0..<8 {
                        let v = t[0] * g[j][0] + t[1] * g[j][1] + t[2] * g[j][2]
                        u[((i * 8 + j) * outputChannels + oc) * inputChannels + ic] = Float(v)
                    }
                }
            }
        }
        u.withUnsafeBufferPointer { u in
            for pos in 0..<64 {
                let base = pos * outputChannels * inputChannels
                F32Packing.packGemm(n: outputChannels, k: inputChannels, nr: nr, into: buffer.pointer + pos * per,
                                    bias: { _ in 0 }, weight: { u[base + $0 * inputChannels + $1] })
            }
        }
        return (buffer, per)
    }

    /// Runs the Winograd convolution in blocks of tiles: transform the block's input tiles,
    /// 64 GEMMs per block of output channels, transform back, add bias and clamp.
    func runWinograd(input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int,
                     output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let (outH, outW) = outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        let tilesX = (outW + 5) / 6
        let tiles = (outH + 5) / 6 * tilesX
        let mr = kernels.gemm.mr, nr = kernels.gemm.nr
        let function = kernels.gemm.function
        let inC = inputChannels, outC = outputChannels
        // Tiles per block: a multiple of MR, with the transformed input (64 x T x inC) near 256 KiB.
        let perBlock = mr * max(1, min(4, 65_536 / (64 * inC * mr)))
        // Output channels per pass: the GEMM results (64 x T x NB) stay small too.
        let nb = min((outC + nr - 1) / nr * nr, max(nr, 128 / nr * nr))
        let blocks = (tiles + perBlock - 1) / perBlock
        let weights = UnsafePointer(packed.pointer), perPosition = groupStride
        let bias = UnsafePointer(biasValues.pointer)
        let pT = padTop, pL = padLeft, lo = outputMin, hi = outputMax
        let transforms = kernels.winograd
        pool.parallelFor(blocks) { block in
            let t0 = block * perBlock
            let count = min(perBlock, tiles - t0)
            let vSize = 64 * perBlock * inC, mSize = 64 * perBlock * nb
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: (vSize + mSize) * 4 + 64 * 32, alignment: 64)
            defer { scratch.deallocate() }
            let v = scratch.bindMemory(to: Float.self, capacity: vSize + mSize)
            let m = v + vSize
            // The Swift output transform reads whole 8-lane vectors, past `nc` on the last
            // block: zero those lanes once rather than compute on stale bits. The C one masks.
            if transforms == nil { m.initialize(repeating: 0, count: mSize) }
            let rows = (scratch + (vSize + mSize) * 4).bindMemory(to: SIMD8<Float>.self, capacity: 64)
            for ti in 0..<count {
                let tile = t0 + ti
                let iy0 = (tile / tilesX) * 6 - pT, ix0 = (tile % tilesX) * 6 - pL
                if let transforms {
                    transforms.input(input, inputHeight, inputWidth, inC, iy0, ix0, v + ti * inC, perBlock * inC)
                } else {
                    winogradInputTile(input, inputHeight, inputWidth, inC, iy0, ix0, v + ti * inC, perBlock * inC, rows)
                }
            }
            var n0 = 0
            while n0 < outC {
                let nc = min(nb, outC - n0)
                for pos in 0..<64 {
                    let w = weights + pos * perPosition + n0 / nr * (nr * (inC + 1))
                    var r0 = 0
                    while r0 < count {
                        function(min(mr, count - r0), nc, inC, v + (pos * perBlock + r0) * inC, inC, w,
                                 m + (pos * perBlock + r0) * nb, nb, -.infinity, .infinity)
                        r0 += mr
                    }
                }
                for ti in 0..<count {
                    let tile = t0 + ti
                    let oy0 = (tile / tilesX) * 6, ox0 = (tile % tilesX) * 6
                    if let transforms {
                        transforms.output(m + ti * nb, perBlock * nb, nc, bias + n0, output + n0, outH, outW, outC,
                                          oy0, ox0, lo, hi)
                    } else {
                        winogradOutputTile(m + ti * nb, perBlock * nb, nc, bias + n0, output + n0, outH, outW, outC,
                                           oy0, ox0, lo, hi, rows)
                    }
                }
                n0 += nb
            }
        }
    }
}

@inline(__always)
private func loadLanes(_ p: UnsafePointer<Float>, _ n: Int) -> SIMD8<Float> {
    if n >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
    var v = SIMD8<Float>()
    for j in 0..<n { v[j] = p[j] }
    return v
}

@inline(__always)
private func storeLanes(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
    if n >= 8 {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    } else {
        for j in 0..<n { p[j] = v[j] }
    }
}

/// One 1-D input transform, B^T d (8 -> 8), on 8 channels at once.
@inline(__always)
private func inputTransform(_ d: UnsafeMutablePointer<SIMD8<Float>>, _ s: Int)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    let d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s], d4 = d[4 * s], d5 = d[5 * s], d6 = d[6 * s], d7 = d[7 * s]
    let r0 = d0 - d6 + 5.25 * (d4 - d2)
    let r7 = d7 - d1 + 5.25 * (d3 - d5)
    let e1 = d2 + d6 - 4.25 * d4
    let o1 = d1 + d5 - 4.25 * d3
    let e2 = 0.25 * d2 + d6 - 1.25 * d4
    let o2 = 0.5 * d1 - 2.5 * d3 + 2 * d5
    let e3 = 4 * d2 + d6 - 5 * d4
    let o3 = 2 * d1 - 2.5 * d3 + 0.5 * d5
    return (r0, e1 + o1, e1 - o1, e2 + o2, e2 - o2, e3 + o3, e3 - o3, r7)
}

/// One 1-D output transform, A^T m (8 -> 6), on 8 channels at once.
@inline(__always)
private func outputTransform(_ m: UnsafeMutablePointer<SIMD8<Float>>, _ s: Int)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    let m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s], m4 = m[4 * s], m5 = m[5 * s], m6 = m[6 * s], m7 = m[7 * s]
    let e1 = m1 + m2, o1 = m1 - m2
    let e2 = m3 + m4, o2 = m3 - m4
    let e3 = m5 + m6, o3 = m5 - m6
    return (m0 + e1 + e2 + e3,
            o1 + 2 * o2 + 0.5 * o3,
            e1 + 4 * e2 + 0.25 * e3,
            o1 + 8 * o2 + 0.125 * o3,
            e1 + 16 * e2 + 0.0625 * e3,
            o1 + 32 * o2 + 0.03125 * o3 + m7)
}

/// Transforms the 8x8 input tile at (iy0, ix0) (out-of-bounds pixels read as zero) into
/// `dst[pos * posStride + c]` for the 64 positions and all channels.
private func winogradInputTile(_ input: UnsafePointer<Float>, _ height: Int, _ width: Int, _ channels: Int,
                               _ iy0: Int, _ ix0: Int, _ dst: UnsafeMutablePointer<Float>, _ posStride: Int,
                               _ rows: UnsafeMutablePointer<SIMD8<Float>>) {
    var c = 0
    while c < channels {
        let n = min(8, channels - c)
        // rows[a * 8 + j]: row a of the tile after the horizontal transform.
        for a in 0..<8 {
            let iy = iy0 + a
            let row = rows + a * 8
            if iy < 0 || iy >= height {
                for j in 0..<8 { row[j] = SIMD8() }
                continue
            }
            for b in 0..<8 {
                let ix = ix0 + b
                row[b] = ix >= 0 && ix < width ? loadLanes(input + (iy * width + ix) * channels + c, n) : SIMD8()
            }
            let r = inputTransform(row, 1)
            row[0] = r.0; row[1] = r.1; row[2] = r.2; row[3] = r.3
            row[4] = r.4; row[5] = r.5; row[6] = r.6; row[7] = r.7
        }
        for j in 0..<8 {
            let r = inputTransform(rows + j, 8)
            let out = dst + j * posStride + c
            storeLanes(r.0, out, n)
            storeLanes(r.1, out + 8 * posStride, n)
            storeLanes(r.2, out + 16 * posStride, n)
            storeLanes(r.3, out + 24 * posStride, n)
            storeLanes(r.4, out + 32 * posStride, n)
            storeLanes(r.5, out + 40 * posStride, n)
            storeLanes(r.6, out + 48 * posStride, n)
            storeLanes(r.7, out + 56 * posStride, n)
        }
        c += 8
    }
}

/// Transforms the 64 GEMM results of one tile (`m[pos * posStride + c]`) back to its 6x6
/// output pixels at (oy0, ox0), adds the bias, clamps and stores those inside the output.
private func winogradOutputTile(_ m: UnsafePointer<Float>, _ posStride: Int, _ channels: Int,
                                _ bias: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                                _ outH: Int, _ outW: Int, _ outC: Int, _ oy0: Int, _ ox0: Int,
                                _ minimum: Float, _ maximum: Float, _ rows: UnsafeMutablePointer<SIMD8<Float>>) {
    let lo = SIMD8<Float>(repeating: minimum), hi = SIMD8<Float>(repeating: maximum)
    var c = 0
    while c < channels {
        let n = min(8, channels - c)
        // rows[i * 8 + s]: row i after the horizontal transform (6 of 8 columns used).
        for i in 0..<8 {
            let row = rows + i * 8
            for j in 0..<8 { row[j] = UnsafeRawPointer(m + (i * 8 + j) * posStride + c).loadUnaligned(as: SIMD8<Float>.self) }
            let r = outputTransform(row, 1)
            row[0] = r.0; row[1] = r.1; row[2] = r.2; row[3] = r.3; row[4] = r.4; row[5] = r.5
        }
        let b = loadLanes(bias + c, n)
        for s in 0..<min(6, outW - ox0) {
            let r = outputTransform(rows + s, 8)
            var base = output + (oy0 * outW + ox0 + s) * outC + c
            let limit = min(6, outH - oy0)
            if limit > 0 { storeLanes(clampLanes(r.0 + b, lo, hi), base, n) }
            base += outW * outC
            if limit > 1 { storeLanes(clampLanes(r.1 + b, lo, hi), base, n) }
            base += outW * outC
            if limit > 2 { storeLanes(clampLanes(r.2 + b, lo, hi), base, n) }
            base += outW * outC
            if limit > 3 { storeLanes(clampLanes(r.3 + b, lo, hi), base, n) }
            base += outW * outC
            if limit > 4 { storeLanes(clampLanes(r.4 + b, lo, hi), base, n) }
            base += outW * outC
            if limit > 5 { storeLanes(clampLanes(r.5 + b, lo, hi), base, n) }
        }
        c += 8
    }
}

/// Clamps each lane to [lo, hi]. Written with comparisons and selects because the standard
/// library's `pointwiseMin`/`pointwiseMax` are not inlined into this code and cost a call per vector.
@inline(__always)
private func clampLanes(_ v: SIMD8<Float>, _ lo: SIMD8<Float>, _ hi: SIMD8<Float>) -> SIMD8<Float> {
    let r = v.replacing(with: lo, where: v .< lo)
    return r.replacing(with: hi, where: r .> hi)
}
