import XCTest
import EdgeCore
import EdgeKernels

/// Builder-style tester of `QConvolution`: set the shape and quantization, then `test()`
/// runs the operator on every kernel family (portable, the host's, and AVX2 where the CPU can
/// run it) against `QReference`, requiring identical bytes across families and untouched canaries.
struct QConvolutionTester {
    var inputHeight = 5, inputWidth = 5, inputChannels = 3, outputChannels = 4
    var kernelHeight = 1, kernelWidth = 1, strideHeight = 1, strideWidth = 1
    var dilationHeight = 1, dilationWidth = 1
    var padTop = 0, padLeft = 0, padBottom = 0, padRight = 0
    var groups = 1
    var inputZeroPoint: UInt8 = 128, outputZeroPoint: UInt8 = 128
    var outputMin: UInt8 = 0, outputMax: UInt8 = 255
    var perTensorScale = false
    var seed: UInt64 = 1
    /// Divides the output scale: large values push products far past int32 before the clamp.
    var outputScaleDivisor: Float = 1
    /// Kernel families to run after the portable one; nil runs `CPUFeatures.quantizedTestFamilies`.
    var families: [CPUFeatures]? = nil

    func inputSize(_ h: Int, _ w: Int) -> Self { var t = self; t.inputHeight = h; t.inputWidth = w; return t }
    func channels(_ i: Int, _ o: Int) -> Self { var t = self; t.inputChannels = i; t.outputChannels = o; return t }
    func kernel(_ h: Int, _ w: Int) -> Self { var t = self; t.kernelHeight = h; t.kernelWidth = w; return t }
    func stride(_ s: Int) -> Self { var t = self; t.strideHeight = s; t.strideWidth = s; return t }
    func dilation(_ d: Int) -> Self { var t = self; t.dilationHeight = d; t.dilationWidth = d; return t }
    func padding(_ top: Int, _ left: Int, _ bottom: Int, _ right: Int) -> Self {
        var t = self; t.padTop = top; t.padLeft = left; t.padBottom = bottom; t.padRight = right; return t
    }
    func groups(_ g: Int) -> Self { var t = self; t.groups = g; return t }
    func zeroPoints(input: UInt8, output: UInt8) -> Self {
        var t = self; t.inputZeroPoint = input; t.outputZeroPoint = output; return t
    }
    func clamp(_ lo: UInt8, _ hi: UInt8) -> Self { var t = self; t.outputMin = lo; t.outputMax = hi; return t }
    func perTensor(_ on: Bool = true) -> Self { var t = self; t.perTensorScale = on; return t }
    func seed(_ s: UInt64) -> Self { var t = self; t.seed = s; return t }
    func outputScaleDivided(by d: Float) -> Self { var t = self; t.outputScaleDivisor = d; return t }
    func families(_ f: [CPUFeatures]) -> Self { var t = self; t.families = f; return t }

    /// Runs every kernel family against the reference; returns the kernel names that ran.
    @discardableResult
    func test(file: StaticString = #filePath, line: UInt = #line) -> [String] {
        var rng = SplitMix64(seed: seed)
        let groupInC = inputChannels / groups
        let taps = kernelHeight * kernelWidth
        let input = rng.bytes(inputHeight * inputWidth * inputChannels)
        let weights = rng.int8s(outputChannels * taps * groupInC)
        let bias = rng.int32s(outputChannels, in: -20000...20000)
        let weightScales = perTensorScale ? [Float(0.004)] : rng.floats(outputChannels, in: 0.001...0.01)
        let inParams = QuantizationParams(scale: 0.02, zeroPoint: inputZeroPoint)
        // Spread the outputs over the byte range so rounding and both clamps are exercised.
        let spread = Float(74 * 74) * Float(groupInC * taps).squareRoot()
        let outParams = QuantizationParams(scale: 0.02 * 0.005 * spread / 60 / outputScaleDivisor,
                                           zeroPoint: outputZeroPoint)

        let expected = QReference.convolution(
            input: input, inputHeight: inputHeight, inputWidth: inputWidth, inputChannels: inputChannels,
            outputChannels: outputChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
            strideHeight: strideHeight, strideWidth: strideWidth, dilationHeight: dilationHeight,
            dilationWidth: dilationWidth, padTop: padTop, padLeft: padLeft, padBottom: padBottom, padRight: padRight,
            groups: groups, weights: weights, weightScales: weightScales, bias: bias,
            inputParams: inParams, outputParams: outParams, outputMin: outputMin, outputMax: outputMax)

        if outputMin < outputMax && expected.count >= 8 {
            XCTAssertGreaterThan(Set(expected).count, 1, "degenerate test data: \(self)", file: file, line: line)
        }
        var names: [String] = []
        var portableOutput: [UInt8]? = nil
        for features in families.map({ [.portable] + $0 }) ?? CPUFeatures.quantizedTestFamilies {
            let op = QConvolution(
                inputChannels: inputChannels, outputChannels: outputChannels, kernelHeight: kernelHeight,
                kernelWidth: kernelWidth, strideHeight: strideHeight, strideWidth: strideWidth,
                dilationHeight: dilationHeight, dilationWidth: dilationWidth, padTop: padTop, padLeft: padLeft,
                padBottom: padBottom, padRight: padRight, groups: groups, weights: weights,
                weightScales: weightScales, bias: bias, input: inParams, output: outParams,
                outputMin: outputMin, outputMax: outputMax, features: features)
            let size = op.outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
            var out = CanaryBuffer(count: size.height * size.width * outputChannels)
            XCTAssertEqual(out.count, expected.count, "output size", file: file, line: line)
            input.withUnsafeBufferPointer { inp in
                out.withTensor { o in
                    op.run(input: inp.baseAddress!, inputHeight: inputHeight, inputWidth: inputWidth,
                           output: o, pool: ThreadPool(threads: 1))
                }
            }
            XCTAssertTrue(out.guardsIntact, "\(op.kernelName) wrote outside the output: \(self)", file: file, line: line)
            XCTAssertTrue(out.tensor == expected,
                          "\(op.kernelName) differs from the reference (\(firstMismatch(out.tensor, expected))): \(self)",
                          file: file, line: line)
            // Checked directly too, so a reference bug shared by both could not hide a difference.
            if let portableOutput {
                XCTAssertTrue(out.tensor == portableOutput,
                              "\(op.kernelName) differs from the portable kernel (\(firstMismatch(out.tensor, portableOutput))): \(self)",
                              file: file, line: line)
            } else {
                portableOutput = out.tensor
            }
            names.append(op.kernelName)
        }
        return names
    }
}
