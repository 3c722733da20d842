import CEdgeKernels

extension FConvolution {
    /// Output rows (in MR tiles) per work item: enough to amortise the dispatch, few enough to
    /// balance the threads.
    static let tilesPerItem = 8

    /// Columns a GEMM tile sweeps per call: the weight block it streams (about 128 KiB) stays
    /// in L2 while consecutive tiles reuse it.
    static func columnBlock(k: Int, n: Int, nr: Int) -> Int {
        let budget = max(nr, 32_768 / (k + 1) / nr * nr)
        return min(budget, (n + nr - 1) / nr * nr)
    }

    /// 1x1 stride-1 unpadded convolution: output[pixels x outC] = input[pixels x inC] * W,
    /// read straight from the NHWC input (row stride inC), one GEMM per group. The one-row
    /// kernel (its own summation order) runs only when the whole GEMM is one pixel, so a
    /// pixel's bits do not depend on where the tiles fall (`FExpandDepthwise` runs the same
    /// GEMM in bands of rows).
    func runGemm(input: UnsafePointer<Float>, pixels: Int, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let gemm = kernels.gemm, mr = gemm.mr, nr = gemm.nr
        let singleRow = gemm.singleRow
        let groupIn = inputChannels / groups, groupOut = outputChannels / groups
        let inC = inputChannels, outC = outputChannels
        let nb = FConvolution.columnBlock(k: groupIn, n: groupOut, nr: nr)
        let nBlocks = (groupOut + nb - 1) / nb
        let mTiles = (pixels + mr - 1) / mr
        let perItem = FConvolution.tilesPerItem
        let mChunks = (mTiles + perItem - 1) / perItem
        let weights = UnsafePointer(packed.pointer), groupStride = groupStride
        let lo = outputMin, hi = outputMax
        // One thread: row chunks innermost, so a weight block stays in L2 across the chunks.
        // Several: row chunks outermost, so each thread writes whole output rows, which the
        // depthwise after a 1x1 layer (split by rows) then reads from its own core's cache;
        // split by columns, MobileNet v1's 14x14 depthwise layers ran slower on two threads
        // than on one (0.076 against 0.040 ms, Zen 4), and the 1x1 layers no faster.
        let rowsOuter = pool.threads > 1
        pool.parallelFor(groups * nBlocks * mChunks) { item in
            let chunk = rowsOuter ? (item / nBlocks) % mChunks : item % mChunks
            let block = rowsOuter ? item % nBlocks : (item / mChunks) % nBlocks
            let group = item / (mChunks * nBlocks)
            let n0 = block * nb
            let nc = min(nb, groupOut - n0)
            let w = weights + group * groupStride + n0 / nr * (nr * (groupIn + 1))
            for tile in (chunk * perItem)..<min(mTiles, chunk * perItem + perItem) {
                let m0 = gemm.tileStart(tile, tiles: mTiles, rows: pixels)
                let rows = gemm.tileStart(tile + 1, tiles: mTiles, rows: pixels) - m0
                let a = input + m0 * inC + group * groupIn
                let c = output + m0 * outC + group * groupOut + n0
                (pixels == 1 ? singleRow : gemm.tile(rows: rows))(rows, nc, groupIn, a, inC, w, c, outC, lo, hi)
            }
        }
    }

    /// Any other convolution. Dense ones undilated in width go through the indirect kernel
    /// (`runIndirectGemm`); otherwise each tile of MR output pixels gathers its input patches
    /// (kH*kW*inC/groups values per pixel, zeros for the padding) into a small buffer and
    /// multiplies it by the packed weights; there is no im2col copy of the whole input.
    /// `indirect: false` copies patches even where the indirect kernel fits (the benchmarks
    /// time one against the other).
    func runImplicitGemm(input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int,
                         output: UnsafeMutablePointer<Float>, pool: ThreadPool, indirect useIndirect: Bool = true) {
        let (outH, outW) = outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        let pixels = outH * outW
        let mr = kernels.gemm.mr
        let function = kernels.gemm.function, singleRow = kernels.gemm.singleRow
        let groupIn = inputChannels / groups, groupOut = outputChannels / groups
        let inC = inputChannels, outC = outputChannels
        let kH = kernelHeight, kW = kernelWidth, sH = strideHeight, sW = strideWidth
        let dH = dilationHeight, dW = dilationWidth, pT = padTop, pL = padLeft
        let k = kH * kW * groupIn
        let mTiles = (pixels + mr - 1) / mr
        let perItem = FConvolution.tilesPerItem
        let mChunks = (mTiles + perItem - 1) / perItem
        let weights = UnsafePointer(packed.pointer), groupStride = groupStride
        let lo = outputMin, hi = outputMax
        let contiguousRow = groups == 1 && dW == 1
        if useIndirect, contiguousRow, let indirect = kernels.gemm.indirect {
            runIndirectGemm(indirect, input: input, inputHeight: inputHeight, inputWidth: inputWidth,
                            outputHeight: outH, outputWidth: outW, output: output, pool: pool)
            return
        }
        pool.parallelFor(groups * mChunks) { item in
            let chunk = item % mChunks
            let group = item / mChunks
            withUnsafeTemporaryAllocation(of: Float.self, capacity: mr * k) { patch in
                let patch = patch.baseAddress!
                for tile in (chunk * perItem)..<min(mTiles, chunk * perItem + perItem) {
                    let m0 = tile * mr
                    let rows = min(mr, pixels - m0)
                    // One division per tile; the row's pixels then step along x.
                    var oy = m0 / outW, ox = m0 % outW
                    for r in 0..<rows {
                        if r > 0 {
                            ox += 1
                            if ox == outW { ox = 0; oy += 1 }
                        }
                        var dst = patch + r * k
                        let ix0 = ox * sW - pL
                        let rowInside = ix0 >= 0 && ix0 + (kW - 1) * dW < inputWidth
                        for ky in 0..<kH {
                            let iy = oy * sH - pT + ky * dH
                            if iy < 0 || iy >= inputHeight {
                                copyPatch(nil, to: dst, count: kW * groupIn)
                                dst += kW * groupIn
                            } else if rowInside && contiguousRow {
                                // Dense, undilated: the window's row is one run of kW*inC floats.
                                copyPatch(input + (iy * inputWidth + ix0) * inC, to: dst, count: kW * groupIn)
                                dst += kW * groupIn
                            } else {
                                for kx in 0..<kW {
                                    let ix = ix0 + kx * dW
                                    let inside = ix >= 0 && ix < inputWidth
                                    copyPatch(inside ? input + (iy * inputWidth + ix) * inC + group * groupIn : nil,
                                              to: dst, count: groupIn)
                                    dst += groupIn
                                }
                            }
                        }
                    }
                    let c = output + m0 * outC + group * groupOut
                    (rows == 1 ? singleRow : function)(rows, groupOut, k, patch, k, weights + group * groupStride,
                                                       c, outC, lo, hi)
                }
            }
        }
    }
}

extension FConvolution {
    /// Implicit GEMM for dense undilated-in-width convolutions through the indirect kernel: a
    /// window row of an output pixel is kW*inC contiguous NHWC floats, so the tile passes one
    /// pointer per pixel and kernel row (the zero row for vertical padding) instead of copying
    /// the patch; only windows that cross the left or right edge are copied, with zeros.
    /// `outputPixels` limits the work to those output pixels (row-major), written from
    /// `output` on (the expand-depthwise bands produce a few rows at a time).
    func runIndirectGemm(_ kernel: F32IndirectGemmFunction, input: UnsafePointer<Float>, inputHeight: Int,
                         inputWidth: Int, outputHeight outH: Int, outputWidth outW: Int,
                         output: UnsafeMutablePointer<Float>, pool: ThreadPool, outputPixels: Range<Int>? = nil) {
        let first = outputPixels?.lowerBound ?? 0
        let pixels = outputPixels?.upperBound ?? outH * outW
        let mr = kernels.gemm.mr
        let inC = inputChannels, outC = outputChannels
        let kH = kernelHeight, kW = kernelWidth, sH = strideHeight, sW = strideWidth
        let dH = dilationHeight, pT = padTop, pL = padLeft
        let run = kW * inC
        let mTiles = (pixels - first + mr - 1) / mr
        let perItem = FConvolution.tilesPerItem
        let mChunks = (mTiles + perItem - 1) / perItem
        let weights = UnsafePointer(packed.pointer)
        let zero = UnsafePointer(zeros.pointer)
        let lo = outputMin, hi = outputMax
        let inH = inputHeight, inW = inputWidth
        // The tables and edge copies are built in C (`f32_igemm_conv_tiles`), tile by tile.
        pool.parallelFor(mChunks) { chunk in
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: kH * mr) { table in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: mr * kH * run) { edges in
                    f32_igemm_conv_tiles(kernel, mr, first, pixels, chunk * perItem,
                                         min(mTiles, chunk * perItem + perItem), outW, inH, inW, inC, outC,
                                         kH, kW, sH, sW, dH, pT, pL, input, zero, weights, output, lo, hi,
                                         table.baseAddress!, edges.baseAddress!)
                }
            }
        }
    }
}

/// Copies `count` floats of a patch row (zeros when `source` is nil, the padding). Short runs
/// (the 3-channel stem copies 9 floats) are copied inline: a memmove call per run cost more
/// than the GEMM that consumes it.
@inline(__always)
private func copyPatch(_ source: UnsafePointer<Float>?, to dst: UnsafeMutablePointer<Float>, count: Int) {
    if let source {
        if count <= 32 {
            for j in 0..<count { dst[j] = source[j] }
        } else {
            dst.update(from: source, count: count)
        }
    } else {
        if count <= 32 {
            for j in 0..<count { dst[j] = 0 }
        } else {
            dst.update(repeating: 0, count: count)
        }
    }
}
