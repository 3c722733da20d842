import XCTest
@testable import EdgeKernels

/// Hand-computed cases: the oracle must be able to fail on its own, independently of the
/// fast kernels it judges.
final class ReferenceTests: XCTestCase {
    func testOutputSizeCountsPaddingStrideAndDilation() {
        let s = Reference.outputSize(inputHeight: 224, inputWidth: 224, kernelHeight: 3, kernelWidth: 3,
                                     strideHeight: 2, strideWidth: 2, padTop: 0, padLeft: 0, padBottom: 1, padRight: 1)
        XCTAssertEqual(s?.height, 112); XCTAssertEqual(s?.width, 112)
        let d = Reference.outputSize(inputHeight: 7, inputWidth: 9, kernelHeight: 3, kernelWidth: 3,
                                     strideHeight: 1, strideWidth: 2, dilationHeight: 2, dilationWidth: 3,
                                     padTop: 0, padLeft: 0, padBottom: 0, padRight: 0)
        // Effective windows 5 and 7: (7-5)/1+1 = 3, (9-7)/2+1 = 2.
        XCTAssertEqual(d?.height, 3); XCTAssertEqual(d?.width, 2)
        XCTAssertNil(Reference.outputSize(inputHeight: 2, inputWidth: 2, kernelHeight: 3, kernelWidth: 3,
                                          strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0))
    }

    func testConvolution3x3WithPaddingOnOneChannel() {
        // 3x3 input 1..9, all-ones 3x3 kernel, pad 1: each output is the sum of its neighbourhood.
        let input: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let out = Reference.convolution(input: input, inputHeight: 3, inputWidth: 3, inputChannels: 1,
                                        outputChannels: 1, kernelHeight: 3, kernelWidth: 3,
                                        padTop: 1, padLeft: 1, padBottom: 1, padRight: 1,
                                        weights: [Float](repeating: 1, count: 9), bias: [0.5])
        XCTAssertEqual(out, [12, 21, 16, 27, 45, 33, 24, 39, 28].map { $0 + 0.5 })
    }

    func testConvolutionStrideTwoReadsTheRightPixels() {
        // 4x4 input 0..15, 1x1 kernel of weight 2, stride 2: picks pixels (0,0),(0,2),(2,0),(2,2).
        let input = (0..<16).map(Float.init)
        let out = Reference.convolution(input: input, inputHeight: 4, inputWidth: 4, inputChannels: 1,
                                        outputChannels: 1, kernelHeight: 1, kernelWidth: 1,
                                        strideHeight: 2, strideWidth: 2, weights: [2], bias: [0])
        XCTAssertEqual(out, [0, 4, 16, 20])
    }

    func testConvolutionDilationSkipsPixels() {
        // 1x5 input, 1x2 kernel [1, 10] with dilation 3: out[x] = in[x] + 10*in[x+3].
        let out = Reference.convolution(input: [1, 2, 3, 4, 5], inputHeight: 1, inputWidth: 5, inputChannels: 1,
                                        outputChannels: 1, kernelHeight: 1, kernelWidth: 2, dilationWidth: 3,
                                        weights: [1, 10], bias: [0])
        XCTAssertEqual(out, [41, 52])
    }

    func testConvolutionChannelsAndOHWIWeightOrder() {
        // One pixel, 2 input channels [3, 5], 1x1 kernel, 3 outputs with weights OHWI [o][i].
        let out = Reference.convolution(input: [3, 5], inputHeight: 1, inputWidth: 1, inputChannels: 2,
                                        outputChannels: 3, kernelHeight: 1, kernelWidth: 1,
                                        weights: [1, 0, 0, 1, 2, -1], bias: [0, 1, 10])
        XCTAssertEqual(out, [3, 6, 11])
    }

    func testConvolutionGroupsKeepChannelsApart() {
        // 2 groups of 2 channels; input pixel [1, 2, 3, 4]; each output sees only its group.
        // out0 = 1*1 + 2*1 = 3 (group 0), out1 = 3*1 + 4*2 = 11 (group 1).
        let out = Reference.convolution(input: [1, 2, 3, 4], inputHeight: 1, inputWidth: 1, inputChannels: 4,
                                        outputChannels: 2, kernelHeight: 1, kernelWidth: 1, groups: 2,
                                        weights: [1, 1, 1, 2], bias: [0, 0])
        XCTAssertEqual(out, [3, 11])
    }

    func testDepthwiseConvolutionWithClamp() {
        // 2x2 input with 2 channels, 2x2 depthwise kernel, ReLU6 clamp.
        // Channel 0: pixels 1,2,3,4 · weights 1,1,1,1 = 10 -> 6. Channel 1: -1,-2,-3,-4 · 1 = -10 -> 0.
        let input: [Float] = [1, -1, 2, -2, 3, -3, 4, -4]
        let out = Reference.convolution(input: input, inputHeight: 2, inputWidth: 2, inputChannels: 2,
                                        outputChannels: 2, kernelHeight: 2, kernelWidth: 2, groups: 2,
                                        weights: [Float](repeating: 1, count: 8), bias: [0, 0],
                                        outputMin: 0, outputMax: 6)
        XCTAssertEqual(out, [6, 0])
    }

    func testFullyConnected() {
        let out = Reference.fullyConnected(input: [1, 2, 3], inputChannels: 3, outputChannels: 2,
                                           weights: [1, 1, 1, 0, -1, 2], bias: [0.25, -1], outputMin: 0)
        XCTAssertEqual(out, [6.25, 3])
    }

    func testGlobalAveragePool() {
        // 2x2 pixels, 2 channels: means 2.5 and -25.
        let input: [Float] = [1, -10, 2, -20, 3, -30, 4, -40]
        XCTAssertEqual(Reference.globalAveragePool(input: input, height: 2, width: 2, channels: 2), [2.5, -25])
        XCTAssertEqual(Reference.globalAveragePool(input: input, height: 2, width: 2, channels: 2, outputMin: 0), [2.5, 0])
    }

    func testMaxPoolSkipsPadding() {
        // All-negative 2x2 input, 2x2 pool, pad 1 on every side: padding must not win with 0.
        let out = Reference.maxPool(input: [-4, -3, -2, -1], inputHeight: 2, inputWidth: 2, channels: 1,
                                    poolHeight: 2, poolWidth: 2, strideHeight: 2, strideWidth: 2,
                                    padTop: 1, padLeft: 1, padBottom: 1, padRight: 1)
        XCTAssertEqual(out, [-4, -3, -2, -1])
    }

    func testAddWithClamp() {
        XCTAssertEqual(Reference.add([1, 2, -3], [4, 5, 1], outputMin: -1, outputMax: 6), [5, 6, -1])
    }
}
