import XCTest
import EdgeKernels

/// The AVX-VNNI int8 kernels (256-bit VEX `vpdpbusd`). Their source is compiled twice: once
/// with the VEX encoding (the kernels chosen on CPUs with AVX-VNNI and no AVX-512) and once
/// with the EVEX encoding of the same instruction (AVX-512 VL + VNNI), its test twin. On a CPU
/// with AVX-512 VNNI but no AVX-VNNI the twin runs the edge cases byte for byte against the
/// reference and the VEX kernels' test is skipped; where AVX-VNNI exists both run.
final class QAVXVNNITests: XCTestCase {
    /// Every edge case of the GEMM (6x16 tile), indirect GEMM and depthwise (32-channel tile)
    /// kernels of one AVX-VNNI family, checked against the reference and the portable kernels.
    private func checkEdgeCases(_ features: CPUFeatures, suffix: String, file: StaticString = #filePath, line: UInt = #line) {
        let family = [features]
        // K below, at and above the 4-value step and the tile's row count; partial rows 1...7
        // (tile 6) and columns below, at and above 16.
        for k in [1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 17, 31, 64, 67] {
            for (pixels, n) in [(1, 1), (5, 15), (6, 16), (7, 17), (13, 33), (12, 48)] {
                let names = QConvolutionTester().inputSize(1, pixels).channels(k, n).seed(UInt64(k * 1000 + n))
                    .families(family).test(file: file, line: line)
                XCTAssertEqual(names.last, "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__" + suffix, file: file, line: line)
            }
        }
        // Zero points and clamps (ReLU, ReLU6-like, a single value), per-tensor scale.
        for zin: UInt8 in [0, 128, 255] {
            for zout: UInt8 in [0, 128, 255] {
                QConvolutionTester().inputSize(3, 5).channels(21, 19).zeroPoints(input: zin, output: zout)
                    .families(family).test(file: file, line: line)
            }
        }
        QConvolutionTester().channels(16, 70).zeroPoints(input: 3, output: 10).clamp(10, 255).families(family).test(file: file, line: line)
        QConvolutionTester().channels(16, 70).zeroPoints(input: 3, output: 10).clamp(10, 70).families(family).test(file: file, line: line)
        QConvolutionTester().channels(16, 70).clamp(100, 100).families(family).test(file: file, line: line)
        QConvolutionTester().inputSize(7, 7).channels(256, 100).perTensor().families(family).test(file: file, line: line)

        // Indirect GEMM: windows, strides, padding, dilation, groups (the a_offset per group).
        let dense = QConvolutionTester().inputSize(9, 8).channels(3, 32).kernel(3, 3).families(family)
        let igemm = dense.stride(2).padding(0, 0, 1, 1).test(file: file, line: line)
        XCTAssertEqual(igemm.last, "qu8_qs8w_igemm_minmax_fp32_ukernel_6x16c4__" + suffix, file: file, line: line)
        dense.stride(2).padding(1, 1, 1, 1).test(file: file, line: line)
        dense.dilation(2).padding(2, 2, 2, 2).test(file: file, line: line)
        dense.kernel(1, 1).stride(2).test(file: file, line: line)
        dense.kernel(1, 1).padding(1, 1, 1, 1).test(file: file, line: line)
        QConvolutionTester().inputSize(4, 9).channels(7, 5).kernel(2, 3).stride(3).padding(1, 2, 0, 1)
            .families(family).test(file: file, line: line)
        for zin: UInt8 in [0, 255] {
            QConvolutionTester().inputSize(5, 5).channels(67, 40).kernel(3, 3).stride(2).padding(0, 0, 1, 1)
                .zeroPoints(input: zin, output: zin).clamp(zin / 2, 200).families(family).test(file: file, line: line)
        }
        for (g, cin, cout) in [(2, 4, 6), (3, 9, 3), (2, 10, 130), (5, 5, 10)] {
            QConvolutionTester().inputSize(5, 6).channels(cin, cout).kernel(3, 3).padding(1, 1, 1, 1).groups(g)
                .seed(UInt64(g * 1000 + cin)).families(family).test(file: file, line: line)
        }

        // Depthwise: channels below, at and above the 32-channel tile, 3x3 (dedicated kernel)
        // at strides 1 and 2, other windows (padding taps up to a multiple of 4), dilation.
        for c in [2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100] {
            let names = QConvolutionTester().inputSize(5, 6).channels(c, c).groups(c).kernel(3, 3).padding(1, 1, 1, 1)
                .seed(UInt64(c)).families(family).test(file: file, line: line)
            XCTAssertEqual(names.last, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32x9__" + suffix, file: file, line: line)
        }
        let dw = QConvolutionTester().inputSize(9, 10).channels(40, 40).groups(40).kernel(3, 3).families(family)
        dw.stride(2).padding(0, 0, 1, 1).test(file: file, line: line)
        dw.stride(2).test(file: file, line: line)
        dw.test(file: file, line: line)
        for (kh, kw) in [(5, 5), (1, 1), (2, 3), (7, 1), (4, 4)] {
            let names = QConvolutionTester().inputSize(8, 8).channels(67, 67).groups(67).kernel(kh, kw)
                .padding(kh / 2, kw / 2, (kh - 1) / 2, (kw - 1) / 2).seed(UInt64(kh * 10 + kw))
                .families(family).test(file: file, line: line)
            XCTAssertEqual(names.last, "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__" + suffix, file: file, line: line)
        }
        QConvolutionTester().inputSize(9, 9).channels(20, 20).groups(20).kernel(3, 3).dilation(2).padding(2, 2, 2, 2)
            .families(family).test(file: file, line: line)
        for zin: UInt8 in [0, 128, 255] {
            for zout: UInt8 in [0, 255] {
                QConvolutionTester().inputSize(4, 5).channels(33, 33).groups(33).kernel(3, 3).padding(1, 1, 1, 1)
                    .zeroPoints(input: zin, output: zout).families(family).test(file: file, line: line)
            }
        }
        let relu6 = QConvolutionTester().inputSize(6, 6).channels(80, 80).groups(80).kernel(3, 3).padding(1, 1, 1, 1)
            .zeroPoints(input: 0, output: 0).families(family)
        relu6.clamp(0, 150).test(file: file, line: line)
        relu6.clamp(20, 21).test(file: file, line: line)
    }

    /// The AVX-VNNI source through its EVEX twin, on every edge case.
    func testEVEXTwinMatchesTheReferenceByteForByte() throws {
        let twin = CPUFeatures.avxVNNITwinOnHost
        try XCTSkipUnless(twin.runsAVXVNNITwin,
                          "this CPU lacks AVX-512 VL + VNNI, so the AVX-VNNI kernels' EVEX twin cannot run")
        checkEdgeCases(twin, suffix: "avxvnni_evex")
    }

    /// The VEX-encoded kernels a CPU with AVX-VNNI runs, on every edge case.
    func testVEXKernelsMatchTheReferenceByteForByte() throws {
        try XCTSkipUnless(CPUFeatures.host.hasAVXVNNI,
                          "this CPU has no AVX-VNNI (cpuid leaf 7.1 EAX bit 4), so the VEX-encoded kernels cannot run; "
                          + "testEVEXTwinMatchesTheReferenceByteForByte runs the same source with the EVEX encoding")
        checkEdgeCases(.avxVNNIOnly, suffix: "avxvnni")
    }

    /// Selection by feature: AVX-VNNI without AVX-512 VNNI takes the AVX-VNNI kernels; with
    /// AVX-512 VNNI too, the 512-bit ones; the twin only when asked for and runnable.
    func testKernelTableChoosesByFeature() {
        func names(_ features: CPUFeatures) -> [String] {
            func conv(_ k: Int, groups: Int) -> QConvolution {
                QConvolution(inputChannels: 32, outputChannels: 32, kernelHeight: k, kernelWidth: k, strideHeight: 1,
                             strideWidth: 1, padTop: k / 2, padLeft: k / 2, padBottom: k / 2, padRight: k / 2,
                             groups: groups, weights: [Int8](repeating: 1, count: 32 * k * k * (32 / groups)),
                             weightScales: [0.01], bias: [Int32](repeating: 0, count: 32),
                             input: QuantizationParams(scale: 0.02, zeroPoint: 1),
                             output: QuantizationParams(scale: 0.1, zeroPoint: 2), features: features)
            }
            return [conv(1, groups: 1).kernelName, conv(3, groups: 1).kernelName, conv(3, groups: 32).kernelName,
                    conv(5, groups: 32).kernelName]
        }
        XCTAssertEqual(names(.avxVNNIOnly), [
            "qu8_qs8w_gemm_minmax_fp32_ukernel_6x16c4__avxvnni", "qu8_qs8w_igemm_minmax_fp32_ukernel_6x16c4__avxvnni",
            "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32x9__avxvnni", "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__avxvnni"])
        let both = CPUFeatures(avx2: true, fma: true, avx512f: true, avx512bw: true, avx512vl: true, avx512vnni: true,
                               avxVNNI: true)
        XCTAssertEqual(names(both)[0], "qu8_qs8w_gemm_minmax_fp32_ukernel_8x16c4__avx512vnni")
        XCTAssertEqual(names(both)[2], "qu8_qs8w_dwconv_minmax_fp32_ukernel_up64x9__avx512vnni")
        var twin = both
        twin.avxVNNI = false
        twin.avxVNNITwin = true
        XCTAssertEqual(names(twin)[1], "qu8_qs8w_igemm_minmax_fp32_ukernel_6x16c4__avxvnni_evex")
        XCTAssertEqual(names(twin)[3], "qu8_qs8w_dwconv_minmax_fp32_ukernel_up32xN__avxvnni_evex")
        // Asked for on an AVX2-only CPU, the twin cannot run: the AVX2 kernels are chosen.
        var noEVEX = CPUFeatures.avx2Only
        noEVEX.avxVNNITwin = true
        XCTAssertFalse(noEVEX.runsAVXVNNITwin)
        XCTAssertEqual(names(noEVEX)[0], "qu8_qs8w_gemm_minmax_fp32_ukernel_4x16c4__avx2")
        // AVX-VNNI needs the AVX2 kernels' ymm state and FMA as well.
        var noFMA = CPUFeatures.avxVNNIOnly
        noFMA.fma = false
        XCTAssertFalse(noFMA.hasAVXVNNI)
    }
}
