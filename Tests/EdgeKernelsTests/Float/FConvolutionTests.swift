import XCTest
@testable import EdgeKernels

/// FConvolution against the reference on generated shape matrices, for every algorithm and
/// every kernel set the CPU has (tile sizes: 4x8 portable, 6x16 AVX2, 7x32 AVX-512).
final class FConvolutionTests: XCTestCase {
    func testGemm1x1RowsAndColumnsBelowAtAndAboveTheTile() {
        // Pixels cover 1 row, partial MR tiles and several tiles; outC covers partial and
        // several NR panels for every tile size.
        var seed: UInt64 = 10
        for (h, w) in [(1, 1), (1, 4), (2, 3), (1, 7), (3, 5), (7, 7)] {
            for inC in [1, 5, 16, 37] {
                for outC in [1, 7, 8, 16, 31, 33, 70] {
                    seed += 1
                    FConvolutionTester().input(h, w).channels(inC, outC).kernel(1, 1).seed(seed)
                        .test(expecting: .gemm)
                }
            }
        }
    }

    func testGemm1x1DeepReductionSplitsColumnBlocks() {
        // K = 600 makes the column block smaller than outC, so tiles start mid-matrix.
        FConvolutionTester().input(3, 4).channels(600, 100).kernel(1, 1).seed(2).test(expecting: .gemm)
    }

    func testGemm1x1WithGroupsAndClamps() {
        FConvolutionTester().input(4, 5).channels(12, 18).kernel(1, 1).groups(3).seed(3).test(expecting: .gemm)
        FConvolutionTester().input(4, 5).channels(20, 40).kernel(1, 1).clamp(0, 6).seed(4).test(expecting: .gemm)
        FConvolutionTester().input(6, 6).channels(9, 17).kernel(1, 1).clamp(-0.25, 0.25).seed(5).test(expecting: .gemm)
    }

    func testDepthwise3x3StridesPaddingAndOddChannels() {
        var seed: UInt64 = 100
        for c in [2, 7, 8, 15, 16, 17, 33] {
            for s in [1, 2] {
                for (t, l, b, r) in [(1, 1, 1, 1), (0, 0, 0, 0), (0, 0, 1, 1)] {
                    seed += 1
                    FConvolutionTester().input(7, 6).channels(c, c).groups(c).kernel(3, 3).stride(s, s)
                        .padding(t, l, b, r).seed(seed).test(expecting: .depthwise)
                }
            }
        }
    }

    func testDepthwiseWideRows() {
        // Rows wider than any channel block or tile, with odd channel counts.
        FConvolutionTester().input(5, 23).channels(37, 37).groups(37).kernel(3, 3).padding(1).seed(11)
            .test(expecting: .depthwise)
        FConvolutionTester().input(6, 24).channels(16, 16).groups(16).kernel(3, 3).stride(2, 2).padding(0, 0, 1, 1)
            .clamp(0, 6).seed(12).test(expecting: .depthwise)
    }

    func testDepthwise3x3RowKernelNarrowRowsTilesAndPadding() {
        // The direct row kernel: widths 1-3 (every column is an edge), rows across the
        // 8-pixel tile and the 3-pixel tile of 512-channel multiples, left padding of 0-2,
        // stride 2 with only right padding (TensorFlow SAME), vertical stride 2 at
        // horizontal stride 1, and the channel tail block.
        var seed: UInt64 = 300
        for width in [1, 2, 3] {
            for s in [1, 2] {
                for (l, r) in [(1, 1), (0, 2), (2, 0)] where l + width + r >= 3 {
                    seed += 1
                    FConvolutionTester().input(4, width).channels(19, 19).groups(19).kernel(3, 3).stride(s, s)
                        .padding(1, l, 1, r).seed(seed).test(expecting: .depthwise)
                }
            }
        }
        for (width, channels, s) in [(17, 9, 1), (20, 9, 2), (9, 16, 1), (25, 40, 2), (8, 7, 1)] {
            seed += 1
            FConvolutionTester().input(5, width).channels(channels, channels).groups(channels).kernel(3, 3)
                .stride(s, s).padding(s == 1 ? 1 : 0, s == 1 ? 1 : 0, 1, 1).clamp(-0.5, 0.7).seed(seed)
                .test(expecting: .depthwise)
        }
        for width in [3, 4, 7, 10] {
            seed += 1
            FConvolutionTester().input(3, width).channels(512, 512).groups(512).kernel(3, 3).padding(1).seed(seed)
                .test(expecting: .depthwise)
        }
        FConvolutionTester().input(7, 9).channels(24, 24).groups(24).kernel(3, 3).stride(2, 1).padding(1).seed(320)
            .test(expecting: .depthwise)
        // Tiles cut for 1 KiB and 4 KiB pixels (4 and 1 pixels), where AVX2 keeps the indirection kernel.
        FConvolutionTester().input(4, 11).channels(256, 256).groups(256).kernel(3, 3).stride(2, 2).padding(0, 0, 1, 1)
            .seed(322).test(expecting: .depthwise)
        FConvolutionTester().input(3, 4).channels(1024, 1024).groups(1024).kernel(3, 3).padding(1).seed(323)
            .test(expecting: .depthwise)
        // AVX-512 sweeps whole rows at any channel count, AVX2 goes pixel-outer at 1 KiB multiples:
        // 17-20-pixel rows at 1024 channels (stride 1 and 2), and 528 channels (a 2 KiB pixel
        // plus a partial block).
        for (width, channels, s) in [(20, 1024, 1), (19, 1024, 2), (17, 528, 1), (2, 1024, 1)] {
            seed += 1
            FConvolutionTester().input(4, width).channels(channels, channels).groups(channels).kernel(3, 3)
                .stride(s, s).padding(s == 1 ? 1 : 0, s == 1 ? 1 : 0, 1, 1).clamp(-0.6, 0.8).seed(seed)
                .test(expecting: .depthwise)
        }
    }

    func testDepthwiseRowKernelIsChosenOnlyWhereItFits() {
        func name(_ t: FConvolutionTester, _ features: CPUFeatures) -> String {
            FConvolution(inputChannels: t.inputChannels, outputChannels: t.outputChannels,
                         kernelHeight: t.kernelHeight, kernelWidth: t.kernelWidth, strideHeight: t.strideHeight,
                         strideWidth: t.strideWidth, dilationHeight: t.dilationHeight,
                         dilationWidth: t.dilationWidth, groups: t.groups,
                         weights: [Float](repeating: 0.5, count: t.inputChannels * t.kernelHeight * t.kernelWidth),
                         bias: [Float](repeating: 0, count: t.inputChannels), features: features).kernelName
        }
        let dw = FConvolutionTester().channels(8, 8).groups(8)
        for (isa, features) in floatTestFeatureSets {
            let rowKernel = isa != "swift_simd"
            XCTAssertEqual(name(dw, features).contains("dwconv3x3_row"), rowKernel, isa)
            XCTAssertEqual(name(dw.stride(2, 2), features).contains("dwconv3x3_row"), rowKernel, isa)
            XCTAssertFalse(name(dw.stride(1, 3), features).contains("dwconv3x3_row"), isa)
            XCTAssertFalse(name(dw.dilation(2, 2), features).contains("dwconv3x3_row"), isa)
            XCTAssertFalse(name(dw.kernel(5, 5), features).contains("dwconv3x3_row"), isa)
        }
        for (isa, features) in floatTestFeatureSets where isa == "avx2_fma" {
            // The 16-channel AVX2 row kernel takes the 1-4 KiB pixels the 8-channel one left
            // to the indirection kernel.
            for dwc in [dw.channels(1024, 1024).groups(1024), dw.channels(256, 256).groups(256).stride(2, 2),
                        dw.channels(256, 256).groups(256), dw.channels(20, 20).groups(20)] {
                XCTAssertTrue(name(dwc, features).hasSuffix("dwconv3x3_row_minmax_ukernel_16c__avx2_fma"), isa)
            }
        }
        FConvolutionTester().input(7, 10).channels(12, 12).groups(12).kernel(3, 3).stride(1, 3).padding(1).seed(321)
            .test(expecting: .depthwise)
    }

    func testDepthwise3x3SixteenChannelStepsTailsAndLoopOrders() {
        // The AVX2 row kernel's four-pixel, 16-channel steps: rows of 1-11 pixels (no step,
        // one step and a remainder, several steps), left padding 0-2 at both strides, channel
        // counts with no tail, an 8-channel tail, a partial tail and both (8 + partial), in
        // both loop orders (block-outer, and pixel-outer in 256-channel chunks for multiples
        // of 256 channels).
        var seed: UInt64 = 400
        for channels in [16, 23, 24, 31, 32, 40] {
            for width in [1, 4, 5, 8, 11] {
                for s in [1, 2] {
                    for (l, r) in [(1, 1), (0, 1), (2, 0)] where l + width + r >= 3 {
                        seed += 1
                        FConvolutionTester().input(4, width).channels(channels, channels).groups(channels)
                            .kernel(3, 3).stride(s, s).padding(s == 1 ? 1 : 0, l, 1, r).clamp(-0.6, 0.6).seed(seed)
                            .test(expecting: .depthwise)
                    }
                }
            }
        }
        for (channels, width, s) in [(200, 9, 1), (200, 13, 2), (216, 6, 1), (256, 5, 1), (512, 9, 2), (512, 4, 2),
                                     (1024, 7, 1)] {
            seed += 1
            FConvolutionTester().input(5, width).channels(channels, channels).groups(channels).kernel(3, 3)
                .stride(s, s).padding(s == 1 ? 1 : 0, s == 1 ? 1 : 0, 1, 1).seed(seed).test(expecting: .depthwise)
        }
    }

    func testDepthwiseGenericTapsDilationAndClamp() {
        FConvolutionTester().input(9, 8).channels(19, 19).groups(19).kernel(5, 5).padding(2).seed(7)
            .test(expecting: .depthwise)
        FConvolutionTester().input(9, 8).channels(24, 24).groups(24).kernel(3, 3).dilation(2, 2).padding(2).seed(8)
            .test(expecting: .depthwise)
        FConvolutionTester().input(5, 6).channels(10, 10).groups(10).kernel(2, 3).stride(2, 1).padding(0, 1, 1, 1)
            .clamp(0, 0.5).seed(9).test(expecting: .depthwise)
        FConvolutionTester().input(6, 6).channels(32, 32).groups(32).kernel(3, 3).padding(1).clamp(0, 6).seed(10)
            .test(expecting: .depthwise)
    }

    func testImplicitGemmStridePaddingDilationGroups() {
        // The MobileNet stem: 3x3 stride 2, 3 -> 32, TensorFlow SAME padding (0, 0, 1, 1).
        FConvolutionTester().input(16, 16).channels(3, 32).kernel(3, 3).stride(2, 2).padding(0, 0, 1, 1).clamp(0, 6)
            .seed(20).test(expecting: .implicitGemm)
        FConvolutionTester().input(11, 9).channels(5, 33).kernel(3, 3).stride(2, 2).padding(1).seed(21)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(9, 9).channels(4, 9).kernel(3, 3).dilation(2, 2).padding(2).seed(22)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(8, 7).channels(6, 10).kernel(5, 5).padding(2, 1, 2, 1).seed(23)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(7, 7).channels(8, 17).kernel(1, 1).stride(2, 2).seed(24)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(5, 5).channels(8, 17).kernel(1, 1).padding(1).seed(25)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(6, 7).channels(8, 12).kernel(3, 3).padding(1).groups(2).seed(26)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(6, 9).channels(7, 5).kernel(1, 3).stride(1, 2).seed(27)
            .test(expecting: .implicitGemm)
        // ResNet's stem: 7x7 stride 2 pad 3.
        FConvolutionTester().input(15, 15).channels(3, 16).kernel(7, 7).stride(2, 2).padding(3).seed(28)
            .test(expecting: .implicitGemm)
        // 3x3 stride 1 with dilation stays off Winograd.
        FConvolutionTester().input(8, 8).channels(5, 6).kernel(3, 3).dilation(1, 2).padding(1, 2, 1, 2).seed(29)
            .test(expecting: .implicitGemm)
    }

    func testImplicitGemmIndirectRowsEdgesAndVerticalDilation() {
        // Dense undilated-in-width windows take the indirect kernel: windows crossing the left
        // or right edge are copied, vertical padding reads the zero row, vertical dilation
        // only moves the row pointers; one-pixel-wide outputs and tiles split across rows.
        FConvolutionTester().input(13, 3).channels(3, 32).kernel(3, 3).stride(2, 2).padding(1).seed(40)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(9, 10).channels(3, 7).kernel(3, 3).dilation(2, 1).padding(2, 1, 2, 1).seed(41)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(10, 12).channels(2, 65).kernel(3, 3).stride(2, 2).padding(0, 0, 1, 1)
            .clamp(-0.3, 0.4).seed(42).test(expecting: .implicitGemm)
        FConvolutionTester().input(4, 4).channels(3, 5).kernel(3, 3).stride(3, 3).padding(2).seed(43)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(6, 5).channels(16, 20).kernel(2, 3).stride(2, 2).padding(1, 2, 0, 2).seed(44)
            .test(expecting: .implicitGemm)
        // Tiles built in C: windows wholly inside (one pointer step per kernel row, vertical
        // dilation 3) next to edge and padding windows, and one- and two-pixel images.
        FConvolutionTester().input(17, 19).channels(5, 33).kernel(5, 3).dilation(3, 1).padding(3, 1, 2, 1).seed(45)
            .test(expecting: .implicitGemm)
        FConvolutionTester().input(1, 1).channels(3, 8).kernel(3, 3).padding(1).seed(46)
            .test(expecting: .implicitGemm, forcing: true)
        FConvolutionTester().input(2, 1).channels(4, 17).kernel(3, 3).stride(2, 2).padding(1).seed(47)
            .test(expecting: .implicitGemm)
    }

    func testWinogradPartialTilesPaddingAndChannels() {
        var seed: UInt64 = 200
        for (h, w) in [(1, 1), (3, 3), (6, 6), (7, 7), (8, 13), (14, 14)] {
            for pad in [0, 1] where h + 2 * pad >= 3 && w + 2 * pad >= 3 {
                for (inC, outC) in [(1, 1), (3, 8), (8, 33), (17, 9)] {
                    seed += 1
                    FConvolutionTester().input(h, w).channels(inC, outC).kernel(3, 3).padding(pad).seed(seed)
                        .test(expecting: .winograd6x6)
                }
            }
        }
    }

    func testWinogradDeepChannelsClampAndAsymmetricPadding() {
        FConvolutionTester().input(12, 12).channels(64, 64).kernel(3, 3).padding(1).clamp(0, .infinity).seed(30)
            .test(expecting: .winograd6x6)
        FConvolutionTester().input(9, 10).channels(40, 150).kernel(3, 3).padding(0, 1, 2, 0).clamp(-0.5, 0.5).seed(31)
            .test(expecting: .winograd6x6)
    }

    func testImplicitGemmHandlesShapesOtherAlgorithmsWouldTake() {
        // Forced implicit GEMM is the general path: it must agree on every kind of shape.
        FConvolutionTester().input(9, 8).channels(16, 20).kernel(3, 3).padding(1).seed(40)
            .test(expecting: .implicitGemm, forcing: true)
        FConvolutionTester().input(5, 5).channels(33, 9).kernel(1, 1).seed(41).test(expecting: .implicitGemm, forcing: true)
        FConvolutionTester().input(6, 6).channels(8, 8).groups(8).kernel(3, 3).stride(2, 2).padding(1).seed(42)
            .test(expecting: .implicitGemm, forcing: true)
    }

    func testPortableAndCKernelsAgree() throws {
        // The C kernels fuse multiply and add (one rounding), the portable ones do not, so
        // the results agree within fp32 tolerance rather than bit for bit.
        try XCTSkipIf(floatTestFeatureSets.count < 2, "no C kernels on this CPU")
        let cases = [
            FConvolutionTester().input(14, 14).channels(64, 48).kernel(1, 1),
            FConvolutionTester().input(14, 14).channels(40, 40).groups(40).kernel(3, 3).stride(2, 2).padding(1),
            FConvolutionTester().input(15, 15).channels(3, 32).kernel(3, 3).stride(2, 2).padding(1),
            FConvolutionTester().input(14, 14).channels(16, 24).kernel(3, 3).padding(1),
        ]
        let algorithms: [ConvolutionAlgorithm] = [.gemm, .depthwise, .implicitGemm, .winograd6x6]
        for (tester, algorithm) in zip(cases, algorithms) {
            let outputs = tester.seed(77).test(expecting: algorithm)
            for other in outputs.dropFirst() {
                XCTAssertLessThanOrEqual(relativeToMaxError(other, outputs[0]), algorithm == .winograd6x6 ? 1e-4 : 1e-5,
                                         "\(algorithm)")
            }
        }
    }

    func testSeveralThreadsGiveTheSameResultAsOne() {
        // Two and three threads (uneven shares, so the stealing path runs), and a 7x7 layer with
        // more column blocks than row tiles, as MobileNet's last layers.
        let cases: [(FConvolutionTester, ConvolutionAlgorithm)] = [
            (FConvolutionTester().input(20, 20).channels(24, 40).kernel(1, 1).seed(90), .gemm),
            (FConvolutionTester().input(7, 7).channels(300, 200).kernel(1, 1).seed(94), .gemm),
            (FConvolutionTester().input(20, 20).channels(8, 8).kernel(3, 3).padding(1).seed(91), .winograd6x6),
            (FConvolutionTester().input(20, 20).channels(24, 24).groups(24).kernel(3, 3).stride(2, 2).padding(1).seed(92), .depthwise),
            (FConvolutionTester().input(7, 7).channels(40, 40).groups(40).kernel(3, 3).padding(1).seed(95), .depthwise),
            (FConvolutionTester().input(40, 40).channels(3, 16).kernel(3, 3).stride(2, 2).padding(1).seed(93), .implicitGemm),
        ]
        for (tester, algorithm) in cases {
            let one = tester.test(expecting: algorithm, threads: 1)
            for threads in [2, 3] {
                XCTAssertEqual(one, tester.test(expecting: algorithm, threads: threads), "\(algorithm), \(threads) threads")
            }
        }
    }

    func testWinogradIsSkippedWhenTheKnownInputHasTooFewTiles() {
        func conv(_ size: Int?) -> FConvolution {
            FConvolution(inputChannels: 4, outputChannels: 4, kernelHeight: 3, kernelWidth: 3,
                         padTop: 1, padLeft: 1, padBottom: 1, padRight: 1,
                         weights: [Float](repeating: 0.5, count: 144), bias: [0, 0, 0, 0],
                         inputHeight: size, inputWidth: size)
        }
        XCTAssertEqual(conv(nil).algorithm, .winograd6x6)
        XCTAssertEqual(conv(14).algorithm, .winograd6x6)   // 3x3 = 9 tiles
        XCTAssertEqual(conv(7).algorithm, .implicitGemm)   // 2x2 = 4 tiles
        // The size is a hint for the choice, not a limit: other sizes still run correctly.
        let input = [Float](repeating: 1, count: 5 * 5 * 4)
        let out = withCanaryOutput(count: 5 * 5 * 4) { out in
            conv(7).run(input: input, inputHeight: 5, inputWidth: 5, output: out, pool: ThreadPool(threads: 1))
        }
        // Centre pixel: 9 taps x 4 channels x 1 x 0.5 = 18; corner: 4 taps -> 8.
        XCTAssertEqual(out[(2 * 5 + 2) * 4], 18)
        XCTAssertEqual(out[0], 8)
    }

    func testOutputSizeAndMacs() {
        let conv = FConvolution(inputChannels: 3, outputChannels: 32, kernelHeight: 3, kernelWidth: 3,
                                strideHeight: 2, strideWidth: 2, padTop: 0, padLeft: 0, padBottom: 1, padRight: 1,
                                weights: [Float](repeating: 0, count: 32 * 27), bias: [Float](repeating: 0, count: 32))
        let size = conv.outputSize(inputHeight: 224, inputWidth: 224)
        XCTAssertEqual(size.height, 112); XCTAssertEqual(size.width, 112)
        XCTAssertEqual(conv.macs(inputHeight: 224, inputWidth: 224), 112 * 112 * 32 * 27)
    }
}
