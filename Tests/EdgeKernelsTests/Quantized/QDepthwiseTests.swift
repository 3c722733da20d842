import XCTest
import EdgeKernels

/// Depthwise convolutions (3x3 fast path and the generic one) against the reference.
final class QDepthwiseTests: XCTestCase {
    /// The kernel names one family (column `family` of the tester's runs) reports for a 3x3
    /// and a 5x5 window.
    private func names(family: Int) -> (square: String, generic: String) {
        let square = QConvolutionTester().channels(8, 8).groups(8).kernel(3, 3).test()
        let generic = QConvolutionTester().channels(8, 8).groups(8).kernel(5, 5).padding(2, 2, 2, 2).test()
        return (square[family], generic[family])
    }

    /// Only the VNNI family has a dedicated 3x3 kernel; elsewhere a 3x3 window runs (and is
    /// named as) the generic N-tap kernel.
    func testPortableKernelNameIsTheGenericOneForEveryWindow() {
        let portable = names(family: 0)
        XCTAssertEqual(portable.square, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up16xN__swift_simd")
        XCTAssertEqual(portable.generic, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up16xN__swift_simd")
    }

    func testVNNIKernelNames() throws {
        try XCTSkipUnless(CPUFeatures.host.hasVNNI512, "this CPU has no AVX-512 VNNI, so the VNNI kernels cannot run")
        let vnni = names(family: 1)
        XCTAssertEqual(vnni.square, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up64x9__avx512vnni")
        XCTAssertEqual(vnni.generic, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up64xN__avx512vnni")
    }

    /// An AVX2 CPU without VNNI runs the AVX2 depthwise kernel for every window.
    func testAVX2KernelNames() throws {
        try XCTSkipUnless(CPUFeatures.host.hasAVX2FMA, "this CPU has no AVX2+FMA, so the AVX2 kernels cannot run")
        let square = QConvolutionTester().channels(8, 8).groups(8).kernel(3, 3).padding(1, 1, 1, 1).test()
        XCTAssertEqual(square.last, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__avx2")
        let generic = QConvolutionTester().channels(19, 19).groups(19).kernel(5, 5).padding(2, 2, 2, 2).test()
        XCTAssertEqual(generic.last, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__avx2")
    }

    /// The AVX2 kernel takes two output pixels, 32 channels and two taps at a time: every
    /// remainder (odd width, partial channel block, odd tap count) against the reference.
    func testAVX2PixelPairsChannelBlocksAndTapPairs() throws {
        try XCTSkipUnless(CPUFeatures.host.hasAVX2FMA, "this CPU has no AVX2+FMA, so the AVX2 kernels cannot run")
        for width in 1...5 {
            for c in [8, 32, 40, 64, 70] {
                for (k, pad) in [(3, (1, 1, 1, 1)), (2, (0, 0, 1, 1)), (1, (0, 0, 0, 0))] {
                    let names = QConvolutionTester().inputSize(3, width).channels(c, c).groups(c).kernel(k, k)
                        .padding(pad.0, pad.1, pad.2, pad.3).zeroPoints(input: 7, output: 250).seed(UInt64(width * 100 + c))
                        .families([.avx2Only]).test()
                    XCTAssertEqual(names.last, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__avx2")
                }
            }
        }
    }

    func testChannelTiles() {
        // Below, at and above the 16- and 64-channel tiles.
        for c in [2, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 130] {
            QConvolutionTester().inputSize(5, 6).channels(c, c).groups(c).kernel(3, 3).padding(1, 1, 1, 1)
                .seed(UInt64(c)).test()
        }
    }

    func test3x3Stride1And2() {
        let base = QConvolutionTester().inputSize(9, 10).channels(24, 24).groups(24).kernel(3, 3)
        base.padding(1, 1, 1, 1).test()
        base.stride(2).padding(0, 0, 1, 1).test()    // TF "SAME", as in MobileNet
        base.stride(2).padding(1, 1, 1, 1).test()
        base.stride(2).test()
        base.test()
        QConvolutionTester().inputSize(1, 1).channels(70, 70).groups(70).kernel(3, 3).padding(1, 1, 1, 1).test()
    }

    /// The 3x3 kernel slides a window of interleaved input columns along the row: rows of 1, 2
    /// and many pixels, both strides, odd widths, padding on either side or none, and channel
    /// counts that end in a 256-bit half block (32, 96, 144) or a masked one.
    func test3x3ColumnWindowAlongRows() {
        for (c, w) in [(32, 1), (32, 2), (96, 17), (144, 9), (16, 31), (64, 3), (200, 6)] {
            let base = QConvolutionTester().inputSize(4, w).channels(c, c).groups(c).kernel(3, 3).seed(UInt64(c + w))
            base.padding(1, 1, 1, 1).test()
            base.stride(2).padding(0, 0, 1, 1).test()
            base.stride(2).padding(1, 1, 1, 1).test()
            if w >= 3 {
                base.test()
                base.stride(2).test()
            }
        }
        // Stride 3 takes the kernel's any-stride path.
        QConvolutionTester().inputSize(7, 11).channels(40, 40).groups(40).kernel(3, 3).stride(3).padding(1, 1, 1, 1).test()
    }

    /// Multipliers so large that products overflow int32 and float-to-int conversion: the
    /// clamps must still win, on both sides, as in the reference.
    func testHugeMultipliersSaturate() {
        for zout: UInt8 in [0, 77, 255] {
            let t = QConvolutionTester().inputSize(3, 5).channels(72, 72).groups(72).kernel(3, 3).padding(1, 1, 1, 1)
                .zeroPoints(input: 9, output: zout).outputScaleDivided(by: 1e9)
            t.test()
            t.clamp(3, 250).test()
            t.channels(20, 20).groups(20).test()
        }
    }

    func testGenericWindows() {
        for (kh, kw) in [(5, 5), (1, 1), (2, 3), (7, 1), (4, 4)] {
            QConvolutionTester().inputSize(8, 8).channels(67, 67).groups(67).kernel(kh, kw)
                .padding(kh / 2, kw / 2, (kh - 1) / 2, (kw - 1) / 2).seed(UInt64(kh * 10 + kw)).test()
        }
        QConvolutionTester().inputSize(9, 9).channels(20, 20).groups(20).kernel(3, 3).dilation(2).padding(2, 2, 2, 2).test()
        QConvolutionTester().inputSize(9, 9).channels(20, 20).groups(20).kernel(5, 5).stride(2).padding(1, 2, 2, 1).test()
    }

    func testZeroPointsAndClamps() {
        for zin: UInt8 in [0, 128, 255] {
            for zout: UInt8 in [0, 128, 255] {
                QConvolutionTester().inputSize(4, 5).channels(33, 33).groups(33).kernel(3, 3).padding(1, 1, 1, 1)
                    .zeroPoints(input: zin, output: zout).test()
            }
        }
        let relu6 = QConvolutionTester().inputSize(6, 6).channels(80, 80).groups(80).kernel(3, 3).padding(1, 1, 1, 1)
            .zeroPoints(input: 0, output: 0)
        relu6.clamp(0, 150).test()
        relu6.clamp(20, 21).test()
        relu6.perTensor().test()
    }

    func testDepthMultiplierGoesThroughGroupedGemm() {
        // groups == inputChannels but outputChannels = 2x: not depthwise in the packed sense.
        let names = QConvolutionTester().inputSize(5, 5).channels(6, 12).groups(6).kernel(3, 3).padding(1, 1, 1, 1).test()
        XCTAssertTrue(names.allSatisfy { $0.contains("igemm") }, "\(names)")
    }
}
