import XCTest
import EdgeCore
import EdgeKernels

/// Dense, grouped and 1x1 convolutions (GEMM and indirect GEMM paths) against the reference.
final class QConvolutionTests: XCTestCase {
    /// The host kernels are the C ones where the CPU allows, so "portable vs C" is really compared.
    func testHostPicksVNNIKernelsWhenAvailable() {
        let names = QConvolutionTester().channels(8, 64).test()
        XCTAssertEqual(names[0], "qu8_qs8w_gemm_minmax_fp32_ukernel_4x16__swift_simd")
        if CPUFeatures.host.hasVNNI512 {
            XCTAssertEqual(names[1], "qu8_qs8w_gemm_minmax_fp32_ukernel_4x64c4__avx512vnni")
        }
    }

    /// Channel counts far from a multiple of 64 take the narrow 8x16 tile; both must be exact.
    func testNarrowTileChoiceAndPartialRows() throws {
        try XCTSkipUnless(CPUFeatures.host.hasVNNI512, "this CPU has no AVX-512 VNNI, so the VNNI tiles cannot run")
        for (n, expected) in [(16, "8x16c4"), (24, "8x16c4"), (96, "8x16c4"), (160, "8x16c4"), (64, "4x64c4"),
                              (192, "4x64c4"), (60, "4x64c4")] {
            let names = QConvolutionTester().inputSize(3, 5).channels(13, n).seed(UInt64(n)).test()
            XCTAssertTrue(names[1].contains(expected), "\(n) channels ran \(names[1])")
        }
        // Rows 1...9 cover every partial 8-row tile, with and without the K tail.
        for m in 1...9 {
            for k in [3, 8, 21] {
                let names = QConvolutionTester().inputSize(1, m).channels(k, 17).seed(UInt64(m * 100 + k)).test()
                XCTAssertTrue(names[1].contains("8x16c4"))
            }
        }
        let igemm = QConvolutionTester().inputSize(5, 6).channels(5, 24).kernel(3, 3).padding(1, 1, 1, 1).groups(1).test()
        XCTAssertEqual(igemm[1], "qu8_qs8w_igemm_minmax_fp32_ukernel_8x16c4__avx512vnni")
        QConvolutionTester().inputSize(5, 6).channels(6, 48).kernel(3, 3).stride(2).padding(0, 0, 1, 1).groups(2).test()
    }

    /// A CPU with AVX2 and FMA but no VNNI gets the AVX2 GEMMs; without FMA, or on the
    /// portable features, the Swift ones.
    func testAVX2FeaturesSelectTheAVX2Kernels() {
        func names(_ features: CPUFeatures) -> (gemm: String, igemm: String, depthwise: String) {
            func conv(_ k: Int, groups: Int) -> QConvolution {
                QConvolution(inputChannels: 8, outputChannels: 8, kernelHeight: k, kernelWidth: k, strideHeight: 1,
                             strideWidth: 1, padTop: k / 2, padLeft: k / 2, padBottom: k / 2, padRight: k / 2,
                             groups: groups, weights: [Int8](repeating: 1, count: 8 * k * k * (8 / groups)),
                             weightScales: [0.01], bias: [Int32](repeating: 0, count: 8),
                             input: QuantizationParams(scale: 0.02, zeroPoint: 1),
                             output: QuantizationParams(scale: 0.1, zeroPoint: 2), features: features)
            }
            return (conv(1, groups: 1).kernelName, conv(3, groups: 1).kernelName, conv(3, groups: 8).kernelName)
        }
        let avx2 = names(.avx2Only)
        XCTAssertEqual(avx2.gemm, "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__avx2_a16")  // K = 8: widened rows
        XCTAssertEqual(avx2.igemm, "qu8_qs8w_igemm_minmax_fp32_ukernel_4x16c4__avx2")
        XCTAssertEqual(avx2.depthwise, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__avx2")
        var noFMA = CPUFeatures.avx2Only
        noFMA.fma = false
        XCTAssertEqual(names(noFMA).gemm, "qu8_qs8w_gemm_minmax_fp32_ukernel_4x16__swift_simd")
        let vnni = CPUFeatures(avx2: true, fma: true, avx512f: true, avx512bw: true, avx512vl: true, avx512vnni: true)
        XCTAssertEqual(names(vnni).gemm, "qu8_qs8w_gemm_minmax_fp32_ukernel_8x16c4__avx512vnni")  // 8 columns: the narrow tile
        // Only VNNI has a dedicated 3x3 depthwise kernel; the others name the N-tap one they run.
        XCTAssertEqual(names(vnni).depthwise, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up64x9__avx512vnni")
        XCTAssertEqual(names(.portable).depthwise, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up16xN__swift_simd")
        let fc = QFullyConnected(inputChannels: 3, outputChannels: 2, weights: [1, 2, 3, 4, 5, 6], weightScales: [0.01],
                                 bias: [0, 0], input: QuantizationParams(scale: 0.02, zeroPoint: 1),
                                 output: QuantizationParams(scale: 0.1, zeroPoint: 2), features: .avx2Only)
        XCTAssertEqual(fc.kernelName, "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__avx2_a16")
    }

    /// The AVX2 GEMM widens its rows to int16 first where that pays (at least 128 output
    /// channels, or K <= 16) and runs the plain 4x16 kernel elsewhere.
    func testAVX2GemmWidensRowsByLayerShape() {
        func name(k: Int, n: Int) -> String {
            QFullyConnected(inputChannels: k, outputChannels: n, weights: [Int8](repeating: 1, count: k * n),
                            weightScales: [0.01], bias: [Int32](repeating: 0, count: n),
                            input: QuantizationParams(scale: 0.02, zeroPoint: 1),
                            output: QuantizationParams(scale: 0.1, zeroPoint: 2), features: .avx2Only).kernelName
        }
        let plain = "qu8_qs8w_gemm_minmax_fp32_ukernel_4x16c4__avx2"
        let widened = "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__avx2_a16"
        XCTAssertEqual(name(k: 16, n: 24), widened)
        XCTAssertEqual(name(k: 17, n: 127), plain)
        XCTAssertEqual(name(k: 96, n: 24), plain)
        XCTAssertEqual(name(k: 17, n: 128), widened)
        XCTAssertEqual(name(k: 1024, n: 1000), widened)
    }

    /// The widened-row AVX2 GEMM against the portable kernel byte for byte: K below, at and
    /// above the 4-value step and the 16-value widening step (not multiples of 2 or 4), partial
    /// 6-row and 16-column tiles, the tasks that widen a stretch of rows each (many rows) and the
    /// ones that widen all rows first (few), zero points 0/128/255 and clamps.
    func testAVX2WidenedGemmMatchesPortableByteForByte() throws {
        try XCTSkipUnless(CPUFeatures.host.hasAVX2FMA, "this CPU has no AVX2+FMA, so the AVX2 kernels cannot run")
        let widened = "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__avx2_a16"
        for k in [1, 2, 3, 4, 5, 7, 8, 13, 15, 16, 17, 19, 31, 32, 33, 66] {
            for (h, w, n) in [(1, 1, 128), (1, 5, 129), (1, 7, 143), (2, 3, 160), (3, 5, 128), (1, 3, 5), (2, 7, 17)]
                where n >= 128 || k <= 16 {
                let names = QConvolutionTester().inputSize(h, w).channels(k, n).seed(UInt64(k * 1000 + n + h * w))
                    .families([.avx2Only]).test()
                XCTAssertEqual(names.last, widened)
            }
        }
        // K = 512: 6 rows per widening task, so 49 pixels are 9 tasks, the last of one row.
        for zp: UInt8 in [0, 128, 255] {
            let names = QConvolutionTester().inputSize(7, 7).channels(512, 130).zeroPoints(input: zp, output: 255 - zp)
                .clamp(zp / 3, 250).families([.avx2Only]).test()
            XCTAssertEqual(names.last, widened)
            // K = 16: 252 rows per task; 1,089 pixels are 5 tasks, the last of 81 rows.
            QConvolutionTester().inputSize(33, 33).channels(16, 40).zeroPoints(input: zp, output: zp)
                .families([.avx2Only]).test()
        }
        QConvolutionTester().inputSize(5, 5).channels(200, 144).clamp(100, 100).families([.avx2Only]).test()
        QConvolutionTester().inputSize(5, 5).channels(200, 144).perTensor().families([.avx2Only]).test()
    }

    /// The AVX2 kernels against the portable ones directly, byte for byte, on every K residue
    /// of the 4-value step (the 1-3 values read byte by byte at a row's end), every partial row
    /// and column tile, on layer-sized shapes as well as tiny ones.
    func testAVX2MatchesPortableByteForByte() throws {
        try XCTSkipUnless(CPUFeatures.host.hasAVX2FMA, "this CPU has no AVX2+FMA, so the AVX2 kernels cannot run")
        for k in 1...26 {
            for (pixels, n) in [(1, 1), (3, 15), (5, 16), (6, 17), (7, 33)] {
                let names = QConvolutionTester().inputSize(1, pixels).channels(k, n).seed(UInt64(k * 1000 + n)).test()
                XCTAssertEqual(names.last, k <= 16 ? "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__avx2_a16"
                                                   : "qu8_qs8w_gemm_minmax_fp32_ukernel_4x16c4__avx2")
            }
        }
        // The indirect GEMM reads each tap's last 1-3 channels as a 16-bit and a byte load (the
        // stem has 3 channels per tap).
        for k in 1...6 {
            let names = QConvolutionTester().inputSize(9, 7).channels(k, 20).kernel(3, 3).stride(2).padding(1, 1, 1, 1)
                .seed(UInt64(k)).families([.avx2Only]).test()
            XCTAssertEqual(names.last, "qu8_qs8w_igemm_minmax_fp32_ukernel_4x16c4__avx2")
        }
        for zp: UInt8 in [0, 128, 255] {
            QConvolutionTester().inputSize(7, 7).channels(256, 100).zeroPoints(input: zp, output: 255 - zp).test()
            QConvolutionTester().inputSize(5, 5).channels(67, 40).kernel(3, 3).stride(2).padding(0, 0, 1, 1)
                .zeroPoints(input: zp, output: zp).clamp(zp / 2, 200).test()
        }
    }

    func testGemmKBelowAtAndAboveTheTile() {
        for k in [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 64, 67] {
            QConvolutionTester().inputSize(3, 3).channels(k, 20).seed(UInt64(k)).test()
        }
    }

    func testGemmPartialTiles() {
        // M = pixels (tile 4), N = output channels (tiles 16 and 64).
        for (h, w) in [(1, 1), (1, 3), (2, 2), (1, 5), (3, 3), (2, 7)] {
            for n in [1, 15, 16, 17, 63, 64, 65, 130] {
                QConvolutionTester().inputSize(h, w).channels(9, n).seed(UInt64(h * 100 + w * 10 + n)).test()
            }
        }
    }

    func testGemmZeroPointsAndClamps() {
        for zin: UInt8 in [0, 128, 255] {
            for zout: UInt8 in [0, 128, 255] {
                QConvolutionTester().inputSize(3, 3).channels(21, 19).zeroPoints(input: zin, output: zout).test()
            }
        }
        QConvolutionTester().channels(16, 70).zeroPoints(input: 3, output: 10).clamp(10, 255).test()  // ReLU
        QConvolutionTester().channels(16, 70).zeroPoints(input: 3, output: 10).clamp(10, 70).test()   // ReLU6-like
        QConvolutionTester().channels(16, 70).clamp(100, 100).test()
        QConvolutionTester().channels(16, 70).perTensor().test()
    }

    /// The 4x64 GEMM runs a whole chunk of rows per call and, when every scale of a block is
    /// below 1, clamps in bytes: many row tiles with a partial last one, K below/at/above the
    /// tile, clamps and zero points with outputs saturating past int16 on both sides, and
    /// blocks whose scales straddle 1 (the float-clamp path) next to blocks below it.
    func testGemmManyRowTilesAndByteClamps() {
        for (k, n) in [(3, 64), (32, 64), (64, 128), (33, 70), (128, 192)] {
            for (divisor, zin, zout) in [(Float(1), UInt8(128), UInt8(128)), (200, 3, 250), (500, 250, 7), (3000, 0, 128)] {
                let t = QConvolutionTester().inputSize(9, 9).channels(k, n).zeroPoints(input: zin, output: zout)
                    .outputScaleDivided(by: divisor).seed(UInt64(k * 7 + n) &+ UInt64(divisor))
                t.test()
                t.clamp(zout / 2, 200).test()
                t.inputSize(13, 13).clamp(40, 40).test()
            }
        }
    }

    /// Multipliers so large that products pass int32 and the float-to-int range: the clamps
    /// must win on both sides, in the wide (4x64) and narrow (8x16) tiles, direct and indirect.
    func testHugeMultipliersSaturate() {
        for zout: UInt8 in [0, 77, 255] {
            for n in [64, 70, 24] {
                let t = QConvolutionTester().inputSize(3, 3).channels(13, n).zeroPoints(input: 5, output: zout)
                    .outputScaleDivided(by: 1e9).seed(UInt64(n) + UInt64(zout))
                t.test()
                t.clamp(3, 250).test()
                t.kernel(3, 3).padding(1, 1, 1, 1).test()
            }
        }
    }

    /// Windows of 1-3 channels per group with more than 16 outputs take the 8x32 indirect
    /// tile on VNNI: every partial row count, column counts around 32 and 64, strides, padding,
    /// dilation, groups, zero points, clamps and overflowing multipliers.
    func testIndirect8x32Tile() throws {
        try XCTSkipUnless(CPUFeatures.host.hasVNNI512, "this CPU has no AVX-512 VNNI, so the 8x32 tile cannot run")
        let tile = "qu8_qs8w_igemm_minmax_fp32_ukernel_8x32c4__avx512vnni"
        for (cin, kh, kw) in [(3, 3, 3), (1, 3, 3), (2, 5, 5), (3, 2, 3), (1, 1, 7)] {
            for cout in [17, 31, 32, 33, 48, 64, 70] {
                let names = QConvolutionTester().inputSize(6, 9).channels(cin, cout).kernel(kh, kw)
                    .padding(kh / 2, kw / 2, (kh - 1) / 2, (kw - 1) / 2).seed(UInt64(cin * 1000 + kh * 100 + cout)).test()
                XCTAssertEqual(names[1], tile, "\(cin) channels, \(kh)x\(kw), \(cout) outputs")
            }
        }
        for m in 1...9 {
            QConvolutionTester().inputSize(1, m).channels(3, 40).kernel(1, 3).padding(0, 1, 0, 1).seed(UInt64(m)).test()
        }
        let stem = QConvolutionTester().inputSize(9, 11).channels(3, 32).kernel(3, 3)
        for t in [stem.stride(2).padding(0, 0, 1, 1), stem.stride(2).padding(1, 1, 1, 1), stem.stride(2),
                  stem.dilation(2).padding(2, 2, 2, 2), stem.kernel(1, 1).stride(2), stem.clamp(10, 70),
                  stem.perTensor(), stem.outputScaleDivided(by: 1e9), stem.outputScaleDivided(by: 1e9).clamp(3, 250)] {
            XCTAssertEqual(t.test()[1], tile)
        }
        for zin: UInt8 in [0, 128, 255] {
            stem.stride(2).padding(0, 0, 1, 1).zeroPoints(input: zin, output: 255 - zin).test()
        }
        XCTAssertEqual(QConvolutionTester().inputSize(5, 6).channels(6, 64).kernel(3, 3).padding(1, 1, 1, 1).groups(2).test()[1], tile)
        // 16 outputs or 4 input channels: the 8x16 tile as before.
        XCTAssertEqual(QConvolutionTester().inputSize(5, 5).channels(3, 16).kernel(3, 3).test()[1],
                       "qu8_qs8w_igemm_minmax_fp32_ukernel_8x16c4__avx512vnni")
        XCTAssertEqual(QConvolutionTester().inputSize(5, 5).channels(4, 32).kernel(3, 3).test()[1],
                       "qu8_qs8w_igemm_minmax_fp32_ukernel_8x16c4__avx512vnni")
    }

    func testIndirectDenseKernels() {
        for (kh, kw) in [(3, 3), (1, 3), (5, 5), (2, 2)] {
            for (cin, cout) in [(1, 1), (3, 8), (5, 17), (8, 65), (16, 16)] {
                QConvolutionTester().inputSize(6, 7).channels(cin, cout).kernel(kh, kw).padding(1, 1, 1, 1)
                    .seed(UInt64(kh * 1000 + cin * 10 + cout)).test()
            }
        }
    }

    func testIndirectStridePaddingDilation() {
        let base = QConvolutionTester().inputSize(9, 8).channels(3, 32).kernel(3, 3)
        base.stride(2).padding(0, 0, 1, 1).test()               // TF "SAME" stride 2, like the MobileNet stem
        base.stride(2).padding(1, 1, 1, 1).test()
        base.stride(2).test()
        base.dilation(2).padding(2, 2, 2, 2).test()
        base.dilation(3).padding(0, 1, 2, 3).test()
        base.padding(2, 0, 0, 3).test()
        base.kernel(1, 1).stride(2).test()                       // ResNet downsampling shortcut
        base.kernel(1, 1).padding(1, 1, 1, 1).test()             // padded 1x1 is not a plain GEMM
        QConvolutionTester().inputSize(4, 9).channels(7, 5).kernel(2, 3).stride(3).padding(1, 2, 0, 1).test()
    }

    func testIndirectZeroPoints() {
        for zin: UInt8 in [0, 128, 255] {
            QConvolutionTester().inputSize(5, 5).channels(6, 20).kernel(3, 3).padding(1, 1, 1, 1)
                .zeroPoints(input: zin, output: 255 - zin).test()
        }
    }

    func testGroupedConvolution() {
        for (g, cin, cout) in [(2, 4, 6), (3, 9, 3), (4, 8, 8), (2, 10, 130), (5, 5, 10), (2, 2, 2)] {
            QConvolutionTester().inputSize(5, 6).channels(cin, cout).kernel(3, 3).padding(1, 1, 1, 1).groups(g)
                .seed(UInt64(g * 1000 + cin)).test()
        }
        QConvolutionTester().inputSize(4, 4).channels(8, 8).groups(4).test()  // grouped 1x1
    }

    func testIndirectionFollowsTheInputBuffer() {
        // The indirection tables cache input pointers; a new buffer or size must rebuild them.
        for groups in [1, 3] {
            var rng = SplitMix64(seed: 7)
            let weights = rng.int8s(3 * 9 * (3 / groups))
            let bias = rng.int32s(3, in: -100...100)
            let ip = QuantizationParams(scale: 0.02, zeroPoint: 100), op = QuantizationParams(scale: 0.05, zeroPoint: 90)
            for features in CPUFeatures.quantizedTestFamilies {
                let conv = QConvolution(inputChannels: 3, outputChannels: 3, kernelHeight: 3, kernelWidth: 3, strideHeight: 1,
                                        strideWidth: 1, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, groups: groups,
                                        weights: weights, weightScales: [0.01], bias: bias, input: ip, output: op,
                                        features: features)
                for (h, w) in [(4, 4), (4, 4), (6, 3), (2, 9)] {
                    let input = rng.bytes(h * w * 3)
                    let expected = QReference.convolution(
                        input: input, inputHeight: h, inputWidth: w, inputChannels: 3, outputChannels: 3, kernelHeight: 3,
                        kernelWidth: 3, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 1,
                        padLeft: 1, padBottom: 1, padRight: 1, groups: groups, weights: weights, weightScales: [0.01],
                        bias: bias, inputParams: ip, outputParams: op, outputMin: 0, outputMax: 255)
                    var out = [UInt8](repeating: 0, count: h * w * 3)
                    out.withUnsafeMutableBufferPointer { o in
                        conv.run(input: input, inputHeight: h, inputWidth: w, output: o.baseAddress!, pool: ThreadPool(threads: 1))
                    }
                    XCTAssertEqual(out, expected, "\(conv.kernelName), input \(h)x\(w)")
                }
            }
        }
    }

    func testSplitsOverThreadsMatchTheReference() {
        // Shapes big enough to make many tasks (the tester runs each on one, two and three
        // threads): a GEMM whose small weights put row chunks outermost, a 7x7 GEMM whose
        // large weights put column blocks outermost (MobileNet's last layers), an indirect
        // GEMM with a partial last tile, and depthwise layers of odd row counts.
        QConvolutionTester().inputSize(40, 41).channels(64, 80).seed(301).test()
        QConvolutionTester().inputSize(7, 7).channels(300, 260).seed(302).test()
        QConvolutionTester().inputSize(19, 21).channels(16, 40).kernel(3, 3).padding(1, 1, 1, 1).seed(303).test()
        QConvolutionTester().inputSize(7, 7).channels(136, 136).groups(136).kernel(3, 3).padding(1, 1, 1, 1).seed(304).test()
        QConvolutionTester().inputSize(15, 14).channels(72, 72).groups(72).kernel(3, 3).stride(2)
            .padding(0, 0, 1, 1).seed(305).test()
    }

    func testRunsOnAPoolWithSeveralThreads() {
        // Every path split over two threads gives the bytes of one thread.
        let twoThreads = ThreadPool(threads: 2), oneThread = ThreadPool(threads: 1)
        for (k, groups, channels) in [(3, 1, 40), (1, 1, 40), (3, 40, 40), (3, 1, 24)] {
            var rng = SplitMix64(seed: 11)
            let input = rng.bytes(10 * 10 * 40), weights = rng.int8s(channels * k * k * (40 / groups))
            let bias = rng.int32s(channels, in: -1000...1000)
            let ip = QuantizationParams(scale: 0.02, zeroPoint: 128), op = QuantizationParams(scale: 2, zeroPoint: 128)
            let conv = QConvolution(inputChannels: 40, outputChannels: channels, kernelHeight: k, kernelWidth: k, strideHeight: 1,
                                    strideWidth: 1, padTop: k / 2, padLeft: k / 2, padBottom: k / 2, padRight: k / 2,
                                    groups: groups, weights: weights, weightScales: [0.005], bias: bias, input: ip, output: op)
            var one = [UInt8](repeating: 0, count: 10 * 10 * channels), two = one
            one.withUnsafeMutableBufferPointer { conv.run(input: input, inputHeight: 10, inputWidth: 10, output: $0.baseAddress!, pool: oneThread) }
            two.withUnsafeMutableBufferPointer { conv.run(input: input, inputHeight: 10, inputWidth: 10, output: $0.baseAddress!, pool: twoThreads) }
            XCTAssertEqual(one, two, conv.kernelName)
            XCTAssertTrue(one.contains { $0 != one[0] }, "degenerate output")
        }
    }

    func testMacCount() {
        let conv = QConvolution(inputChannels: 4, outputChannels: 6, kernelHeight: 3, kernelWidth: 3, strideHeight: 2,
                                strideWidth: 2, padTop: 0, padLeft: 0, padBottom: 1, padRight: 1, groups: 2,
                                weights: [Int8](repeating: 1, count: 6 * 9 * 2), weightScales: [1], bias: [Int32](repeating: 0, count: 6),
                                input: QuantizationParams(scale: 1, zeroPoint: 0), output: QuantizationParams(scale: 1, zeroPoint: 0))
        XCTAssertEqual(conv.outputSize(inputHeight: 8, inputWidth: 8).height, 4)
        XCTAssertEqual(conv.macs(inputHeight: 8, inputWidth: 8), 4 * 4 * 6 * 9 * 2)
    }
}
