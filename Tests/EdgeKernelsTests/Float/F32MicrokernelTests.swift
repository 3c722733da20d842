import XCTest
import EdgeCore
import CEdgeKernels
@testable import EdgeKernels

/// The GEMM and depthwise microkernels of every kernel set, called directly with strided
/// rows and columns: a canary between the rows catches a store past `nc`, and the aliasing of
/// rows past `mr` is exercised for every row count.
final class F32MicrokernelTests: XCTestCase {
    private var kernelSets: [F32KernelSet] { floatTestFeatureSets.map { F32KernelSet.select($0.features) } }

    /// `weights` (n rows of k) and `bias` packed in `g`'s panels.
    private func packGemm(_ g: F32GemmKernel, n: Int, k: Int, weights: [Float], bias: [Float]) -> [Float] {
        var packed = [Float](repeating: 0, count: F32Packing.gemmSize(n: n, k: k, nr: g.nr))
        packed.withUnsafeMutableBufferPointer { p in
            F32Packing.packGemm(n: n, k: k, nr: g.nr, into: p.baseAddress!,
                                bias: { bias[$0] }, weight: { weights[$0 * k + $1] })
        }
        return packed
    }

    func testKernelTableFollowsTheFeatures() {
        XCTAssertEqual(F32KernelSet.select(.portable).isa, "swift_simd")
        #if arch(x86_64)
        // ARM features never select ARM kernels in an x86 build: they are not compiled in.
        let arm = CPUFeatures(avx2: false, fma: false, avx512f: false, avx512bw: false, avx512vl: false,
                              avx512vnni: false, neon: true, neonDot: true)
        XCTAssertEqual(F32KernelSet.select(arm).isa, "swift_simd")
        let avx2 = CPUFeatures(avx2: true, fma: true, avx512f: false, avx512bw: false, avx512vl: false, avx512vnni: false)
        XCTAssertEqual(F32KernelSet.select(avx2).isa, "avx2_fma")
        XCTAssertEqual(F32KernelSet.select(avx2).gemm.mr, 6)
        XCTAssertEqual(F32KernelSet.select(avx2).gemm.nr, 16)
        let avx2NoFMA = CPUFeatures(avx2: true, fma: false, avx512f: false, avx512bw: false, avx512vl: false, avx512vnni: false)
        XCTAssertEqual(F32KernelSet.select(avx2NoFMA).isa, "swift_simd")
        var avx512 = avx2
        avx512.avx512f = true
        XCTAssertEqual(F32KernelSet.select(avx512).isa, "avx512f")
        XCTAssertEqual(F32KernelSet.select(avx512).gemm.name, "f32_gemm_minmax_ukernel_7x32__avx512f")
        #endif
    }

    /// A short tile (fewer rows than MR) gives the MR kernel's bits for the same rows, so a
    /// pixel's value does not depend on how a matrix was dealt out over tiles.
    func testShortTilesMatchTheFullTileBitForBit() {
        var rng = SplitMix64(seed: 501)
        for set in kernelSets where !set.gemm.shortTiles.isEmpty {
            let g = set.gemm
            XCTAssertEqual(g.shortTiles.count, g.mr - 1, g.name)
            for kc in [1, 3, 16, 33] {
                for nc in [1, g.nr / 2 + 1, g.nr, 2 * g.nr + 3] {
                    for rows in 1..<g.mr {
                        let aStride = kc + 3, cStride = nc + 5
                        let a = rng.floats(rows * aStride)
                        let weights = rng.floats(nc * kc), bias = rng.floats(nc)
                        let packed = packGemm(g, n: nc, k: kc, weights: weights, bias: bias)
                        var full = [Float](repeating: floatCanary, count: rows * cStride), short = full
                        for (kernel, out) in [(g.function, 0), (g.tile(rows: rows), 1)] {
                            a.withUnsafeBufferPointer { a in
                                packed.withUnsafeBufferPointer { w in
                                    func call(_ c: inout [Float]) {
                                        c.withUnsafeMutableBufferPointer { c in
                                            kernel(rows, nc, kc, a.baseAddress, aStride, w.baseAddress, c.baseAddress,
                                                   cStride, -0.8, 0.9)
                                        }
                                    }
                                    if out == 0 { call(&full) } else { call(&short) }
                                }
                            }
                        }
                        XCTAssertEqual(full.map(\.bitPattern), short.map(\.bitPattern),
                                       "\(g.name) short tile of \(rows) rows, nc \(nc) kc \(kc)")
                    }
                }
            }
        }
    }

    /// Tiles cover every row once, none holds more than MR rows, and with short-tile kernels
    /// no tile is shorter than it must be (49 rows at MR 6: four of 6 and five of 5).
    func testTileStartsDealRowsEvenly() {
        for set in kernelSets {
            let g = set.gemm
            for rows in [1, 2, g.mr - 1, g.mr, g.mr + 1, 49, 56, 196, 784, 4225] where rows > 0 {
                let tiles = (rows + g.mr - 1) / g.mr
                var sizes: [Int] = []
                for t in 0..<tiles {
                    let start = g.tileStart(t, tiles: tiles, rows: rows), end = g.tileStart(t + 1, tiles: tiles, rows: rows)
                    XCTAssertEqual(start, sizes.reduce(0, +), "\(g.name) tile \(t) of \(rows) rows")
                    sizes.append(end - start)
                }
                XCTAssertEqual(sizes.reduce(0, +), rows, g.name)
                XCTAssertTrue(sizes.allSatisfy { $0 >= 1 && $0 <= g.mr }, "\(g.name) \(rows): \(sizes)")
                if !g.shortTiles.isEmpty {
                    XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1, "\(g.name) \(rows): \(sizes)")
                }
            }
        }
        #if arch(x86_64)
        let g = F32KernelSet.avx2FMA.gemm
        XCTAssertEqual((0...9).map { g.tileStart($0, tiles: 9, rows: 49) }, [0, 6, 12, 18, 24, 29, 34, 39, 44, 49])
        #endif
    }

    func testGemmTilesWithStridesPartialRowsAndColumns() {
        var rng = SplitMix64(seed: 500)
        for set in kernelSets {
            let g = set.gemm
            for kc in [1, 2, 3, 4, 5, 7, 16, 33] {
                // Last panels of each width the kernels special-case: at most a half, up to three
                // quarters (a narrower upper half), and full.
                for nc in [1, g.nr - 1, g.nr, g.nr + 1, 2 * g.nr + 3, g.nr / 2, g.nr / 2 + 1, g.nr * 3 / 4,
                           g.nr * 3 / 4 + 1, g.nr + g.nr * 3 / 4] where nc > 0 {
                    for mr in 1...g.mr {
                        for useSingleRow in mr == 1 ? [false, true] : [false] {
                            let aStride = kc + 3, cStride = nc + 5
                            let a = rng.floats(mr * aStride)
                            let weights = rng.floats(nc * kc), bias = rng.floats(nc)
                            let packed = packGemm(g, n: nc, k: kc, weights: weights, bias: bias)
                            let (lo, hi): (Float, Float) = (-0.8, 0.9)
                            var c = [Float](repeating: floatCanary, count: mr * cStride)
                            a.withUnsafeBufferPointer { a in
                                packed.withUnsafeBufferPointer { w in
                                    c.withUnsafeMutableBufferPointer { c in
                                        (useSingleRow ? g.singleRow : g.function)(
                                            mr, nc, kc, a.baseAddress, aStride, w.baseAddress, c.baseAddress, cStride, lo, hi)
                                    }
                                }
                            }
                            for i in 0..<mr {
                                for j in 0..<cStride {
                                    let got = c[i * cStride + j]
                                    if j >= nc {
                                        XCTAssertEqual(got.bitPattern, floatCanary.bitPattern,
                                                       "\(g.name) wrote column \(j) of \(nc) (mr \(mr) kc \(kc))")
                                        continue
                                    }
                                    var sum = Double(bias[j])
                                    for k in 0..<kc { sum += Double(a[i * aStride + k]) * Double(weights[j * kc + k]) }
                                    let want = min(max(Float(sum), lo), hi)
                                    XCTAssertEqual(got, want, accuracy: 1e-5 * Float(kc + 1),
                                                   "\(g.name) row \(i) col \(j) mr \(mr) nc \(nc) kc \(kc)")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func testIndirectGemmRunsPartialRowsAndColumns() throws {
        var rng = SplitMix64(seed: 502)
        let sets = kernelSets.filter { $0.gemm.indirect != nil }
        #if arch(x86_64)
        if CPUFeatures.host.hasAVX2FMA { XCTAssertFalse(sets.isEmpty, "no indirect GEMM kernel on an AVX2 CPU") }
        #endif
        try XCTSkipIf(sets.isEmpty, "no kernel set on this CPU has an indirect GEMM kernel")
        for set in sets {
            let g = set.gemm, indirect = g.indirect!
            for (kc, ks) in [(1, 1), (9, 3), (4, 2), (17, 1), (3, 7)] {
                for nc in [1, g.nr - 1, g.nr, 2 * g.nr + 3] {
                    for mr in [1, g.mr - 1, g.mr] {
                        let k = kc * ks, cStride = nc + 3
                        // Every (row, run) gets its own buffer, so a kernel reading the wrong run shows.
                        let runs = (0..<(mr * ks)).map { _ in rng.floats(kc) }
                        let weights = rng.floats(nc * k), bias = rng.floats(nc)
                        var packed = [Float](repeating: 0, count: F32Packing.gemmSize(n: nc, k: k, nr: g.nr))
                        packed.withUnsafeMutableBufferPointer { p in
                            F32Packing.packGemm(n: nc, k: k, nr: g.nr, into: p.baseAddress!,
                                                bias: { bias[$0] }, weight: { weights[$0 * k + $1] })
                        }
                        let pointers = runs.map { run -> UnsafeMutablePointer<Float> in
                            let p = UnsafeMutablePointer<Float>.allocate(capacity: kc)
                            p.initialize(from: run, count: kc)
                            return p
                        }
                        defer { pointers.forEach { $0.deallocate() } }
                        // table[p * MR + i]: run p of row i; rows past mr repeat the last row.
                        var table: [UnsafePointer<Float>?] = (0..<(ks * g.mr)).map { j in
                            UnsafePointer(pointers[min(j % g.mr, mr - 1) * ks + j / g.mr])
                        }
                        var c = [Float](repeating: floatCanary, count: mr * cStride)
                        table.withUnsafeMutableBufferPointer { t in
                            packed.withUnsafeBufferPointer { w in
                                c.withUnsafeMutableBufferPointer { c in
                                    indirect(mr, nc, kc, ks, t.baseAddress, w.baseAddress, c.baseAddress, cStride, -0.9, 0.8)
                                }
                            }
                        }
                        for i in 0..<mr {
                            for j in 0..<cStride {
                                let got = c[i * cStride + j]
                                if j >= nc {
                                    XCTAssertEqual(got.bitPattern, floatCanary.bitPattern, "\(set.isa) wrote column \(j) of \(nc)")
                                    continue
                                }
                                var sum = Double(bias[j])
                                for p in 0..<ks {
                                    for kk in 0..<kc { sum += Double(runs[i * ks + p][kk]) * Double(weights[j * k + p * kc + kk]) }
                                }
                                XCTAssertEqual(got, min(max(Float(sum), -0.9), 0.8), accuracy: 1e-5 * Float(k + 1),
                                               "\(set.isa) igemm row \(i) col \(j) mr \(mr) nc \(nc) kc \(kc) ks \(ks)")
                            }
                        }
                    }
                }
            }
        }
    }

    func testDepthwiseKernelsWithZeroRowsAndOddChannels() {
        var rng = SplitMix64(seed: 501)
        for set in kernelSets {
            let d = set.depthwise
            for taps in [9, 4, 25] {
                // Rows of several widths, so pointer tables longer than one pixel are walked.
                for (channels, width) in [(1, 3), (d.channelBlock - 1, 12), (d.channelBlock, 3), (d.channelBlock + 1, 11),
                                          (3 * d.channelBlock + 5, 3), (3 * d.channelBlock + 5, 16)] {
                    let outputStride = channels + 4
                    let rows = (0..<(width * taps)).map { _ in rng.floats(channels) }
                    let zero = [Float](repeating: 0, count: channels)
                    let weights = rng.floats(channels * taps), bias = rng.floats(channels)
                    let (packed, _) = FConvolution.packDepthwise(weights: weights, bias: bias, channels: channels,
                                                                 taps: taps, block: d.channelBlock)
                    // Every fifth tap reads the zero row, as padding does.
                    let isPadding = { (p: Int) in p % 5 == 3 }
                    var output = [Float](repeating: floatCanary, count: width * outputStride)
                    let rowPointers = rows.map { row -> UnsafeMutablePointer<Float> in
                        let p = UnsafeMutablePointer<Float>.allocate(capacity: channels)
                        p.initialize(from: row, count: channels)
                        return p
                    }
                    let zeroPointer = UnsafeMutablePointer<Float>.allocate(capacity: channels)
                    zeroPointer.initialize(from: zero, count: channels)
                    defer { rowPointers.forEach { $0.deallocate() }; zeroPointer.deallocate() }
                    var table: [UnsafePointer<Float>?] = (0..<(width * taps)).map {
                        UnsafePointer(isPadding($0) ? zeroPointer : rowPointers[$0])
                    }
                    let function = taps == 9 ? d.nineTap : d.anyTaps
                    table.withUnsafeMutableBufferPointer { t in
                        output.withUnsafeMutableBufferPointer { o in
                            function(channels, width, taps, t.baseAddress, packed.pointer, o.baseAddress, outputStride, -1.5, 1.5)
                        }
                    }
                    for x in 0..<width {
                        for c in 0..<outputStride {
                            let got = output[x * outputStride + c]
                            if c >= channels {
                                XCTAssertEqual(got.bitPattern, floatCanary.bitPattern, "\(set.isa) wrote past channel \(channels)")
                                continue
                            }
                            var sum = Double(bias[c])
                            for t in 0..<taps where !isPadding(x * taps + t) {
                                sum += Double(rows[x * taps + t][c]) * Double(weights[c * taps + t])
                            }
                            XCTAssertEqual(got, min(max(Float(sum), -1.5), 1.5), accuracy: 1e-5 * Float(taps + 1),
                                           "\(set.isa) taps \(taps) channels \(channels) pixel \(x) channel \(c)")
                        }
                    }
                }
            }
        }
    }
    /// The AVX2 depthwise row kernels called directly (the 8-channel one is no kernel set's
    /// choice but stays for the benchmarks): a NULL row reads the zero row, any left padding,
    /// widths 1-13, both strides and channel tails, against a double-precision reference, and
    /// nothing written past the row.
    func testAVX2DepthwiseRowKernelsAgainstTheReference() throws {
        #if arch(x86_64)
        try XCTSkipUnless(CPUFeatures.host.hasAVX2FMA, "this CPU has no AVX2+FMA")
        let kernels: [(String, F32DepthwiseRowFunction)] = [
            ("8c", f32_dwconv3x3_row_minmax_ukernel_8c__avx2_fma), ("16c", f32_dwconv3x3_row_minmax_ukernel_16c__avx2_fma)]
        var rng = SplitMix64(seed: 502)
        for channels in [1, 7, 8, 9, 16, 17, 24, 33, 47, 200, 512] {
            for inWidth in [1, 2, 3, 4, 6, 9, 13] {
                for stride in [1, 2] {
                    for padLeft in [0, 1, 2] {
                        let outWidth = (inWidth + padLeft + 1 - 3) / stride + 1  // one column of right padding
                        guard outWidth >= 1 else { continue }
                        let block = (channels + 7) / 8 * 8
                        let input = (0..<3).map { _ in rng.floats(inWidth * channels) }
                        let weights = rng.floats(channels * 9), bias = rng.floats(channels)
                        let (packed, _) = FConvolution.packDepthwise(weights: weights, bias: bias, channels: channels,
                                                                     taps: 9, block: 8)
                        let zero = [Float](repeating: 0, count: block)
                        for padding in [-1, 0, 2] {  // which input row reads NULL (-1: none)
                            for (name, kernel) in kernels {
                                var output = [Float](repeating: floatCanary, count: outWidth * channels + 16)
                                input[0].withUnsafeBufferPointer { r0 in
                                    input[1].withUnsafeBufferPointer { r1 in
                                        input[2].withUnsafeBufferPointer { r2 in
                                            var rows: [UnsafePointer<Float>?] = [r0.baseAddress, r1.baseAddress, r2.baseAddress]
                                            if padding >= 0 { rows[padding] = nil }
                                            rows.withUnsafeMutableBufferPointer { rp in
                                                zero.withUnsafeBufferPointer { z in
                                                    output.withUnsafeMutableBufferPointer { o in
                                                        kernel(channels, outWidth, inWidth, stride, padLeft, rp.baseAddress,
                                                               z.baseAddress, packed.pointer, o.baseAddress, -1.25, 1.5)
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                                let label = "\(name) channels \(channels) width \(inWidth) stride \(stride) pad \(padLeft) null row \(padding)"
                                for x in 0..<outWidth {
                                    for c in 0..<channels {
                                        var sum = Double(bias[c])
                                        for ky in 0..<3 where ky != padding {
                                            for kx in 0..<3 {
                                                let ix = x * stride - padLeft + kx
                                                guard ix >= 0 && ix < inWidth else { continue }
                                                sum += Double(input[ky][ix * channels + c]) * Double(weights[c * 9 + ky * 3 + kx])
                                            }
                                        }
                                        XCTAssertEqual(output[x * channels + c], min(max(Float(sum), -1.25), 1.5),
                                                       accuracy: 1e-5 * 10, "\(label) pixel \(x) channel \(c)")
                                    }
                                }
                                XCTAssertTrue(output[(outWidth * channels)...].allSatisfy { $0.bitPattern == floatCanary.bitPattern },
                                              "\(label) wrote past the row")
                            }
                        }
                    }
                }
            }
        }
        #else
        throw XCTSkip("x86-64 only")
        #endif
    }
}
