import XCTest
import EdgeCore
@testable import EdgeKernels

/// Builder-style tester: describe a convolution, then `test(expecting:)` runs `FConvolution`
/// with every kernel set this CPU has and compares each result with `Reference.convolution`.
struct FConvolutionTester {
    var inputHeight = 5, inputWidth = 5
    var inputChannels = 3, outputChannels = 4
    var kernelHeight = 3, kernelWidth = 3
    var strideHeight = 1, strideWidth = 1
    var dilationHeight = 1, dilationWidth = 1
    var padTop = 0, padLeft = 0, padBottom = 0, padRight = 0
    var groups = 1
    var outputMin: Float = -.infinity, outputMax: Float = .infinity
    var seed: UInt64 = 1

    func input(_ h: Int, _ w: Int) -> Self { var t = self; t.inputHeight = h; t.inputWidth = w; return t }
    func channels(_ i: Int, _ o: Int) -> Self { var t = self; t.inputChannels = i; t.outputChannels = o; return t }
    func kernel(_ h: Int, _ w: Int) -> Self { var t = self; t.kernelHeight = h; t.kernelWidth = w; return t }
    func stride(_ h: Int, _ w: Int) -> Self { var t = self; t.strideHeight = h; t.strideWidth = w; return t }
    func dilation(_ h: Int, _ w: Int) -> Self { var t = self; t.dilationHeight = h; t.dilationWidth = w; return t }
    func padding(_ top: Int, _ left: Int, _ bottom: Int, _ right: Int) -> Self {
        var t = self; t.padTop = top; t.padLeft = left; t.padBottom = bottom; t.padRight = right; return t
    }
    func padding(_ p: Int) -> Self { padding(p, p, p, p) }
    func groups(_ g: Int) -> Self { var t = self; t.groups = g; return t }
    func clamp(_ lo: Float, _ hi: Float) -> Self { var t = self; t.outputMin = lo; t.outputMax = hi; return t }
    func seed(_ s: UInt64) -> Self { var t = self; t.seed = s; return t }

    var description: String {
        "\(inputHeight)x\(inputWidth)x\(inputChannels)->\(outputChannels) k\(kernelHeight)x\(kernelWidth) " +
        "s\(strideHeight)x\(strideWidth) d\(dilationHeight)x\(dilationWidth) " +
        "p\(padTop),\(padLeft),\(padBottom),\(padRight) g\(groups) clamp[\(outputMin),\(outputMax)]"
    }

    /// Runs every kernel set; checks the algorithm chosen, canaries, and the error bound
    /// (1e-5 of the largest output magnitude, 1e-3 for Winograd). `forcing` requests the
    /// algorithm instead of checking the automatic choice. Returns the outputs per set.
    @discardableResult
    func test(expecting algorithm: ConvolutionAlgorithm, forcing: Bool = false, threads: Int = 1,
              file: StaticString = #filePath, line: UInt = #line) -> [[Float]] {
        var rng = SplitMix64(seed: seed)
        let groupIn = inputChannels / groups
        let input = rng.floats(inputHeight * inputWidth * inputChannels)
        let weights = rng.floats(outputChannels * kernelHeight * kernelWidth * groupIn)
        let bias = rng.floats(outputChannels)
        let expected = Reference.convolution(
            input: input, inputHeight: inputHeight, inputWidth: inputWidth, inputChannels: inputChannels,
            outputChannels: outputChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
            strideHeight: strideHeight, strideWidth: strideWidth, dilationHeight: dilationHeight,
            dilationWidth: dilationWidth, padTop: padTop, padLeft: padLeft, padBottom: padBottom, padRight: padRight,
            groups: groups, weights: weights, bias: bias, outputMin: outputMin, outputMax: outputMax)
        let tolerance: Float = algorithm == .winograd6x6 ? 1e-3 : 1e-5
        let pool = ThreadPool(threads: threads)
        var results: [[Float]] = []
        for (name, features) in floatTestFeatureSets {
            let conv = FConvolution(
                inputChannels: inputChannels, outputChannels: outputChannels, kernelHeight: kernelHeight,
                kernelWidth: kernelWidth, strideHeight: strideHeight, strideWidth: strideWidth,
                dilationHeight: dilationHeight, dilationWidth: dilationWidth, padTop: padTop, padLeft: padLeft,
                padBottom: padBottom, padRight: padRight, groups: groups, weights: weights, bias: bias,
                outputMin: outputMin, outputMax: outputMax, features: features, algorithm: forcing ? algorithm : nil)
            XCTAssertEqual(conv.algorithm, algorithm, "\(description)", file: file, line: line)
            XCTAssertTrue(conv.kernelName.hasSuffix(name), "\(conv.kernelName) for \(name)", file: file, line: line)
            let (outH, outW) = conv.outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
            XCTAssertEqual(outH * outW * outputChannels, expected.count, "\(description)", file: file, line: line)
            let actual = withCanaryOutput(count: expected.count, file: file, line: line) { out in
                input.withUnsafeBufferPointer {
                    conv.run(input: $0.baseAddress!, inputHeight: inputHeight, inputWidth: inputWidth, output: out, pool: pool)
                }
            }
            let error = relativeToMaxError(actual, expected)
            XCTAssertLessThanOrEqual(error, tolerance, "\(name) \(description)", file: file, line: line)
            for v in actual where v < outputMin || v > outputMax {
                XCTFail("\(name) \(description): \(v) outside the clamp", file: file, line: line)
                break
            }
            results.append(actual)
        }
        return results
    }
}
