/// An fp32 convolution layer in the manner of NNPACK: made once per layer (validates the
/// shape, chooses the algorithm and packs the weights for the chosen microkernels), then
/// `run` many times, splitting output tiles over a `ThreadPool`.
///
/// Layouts: NHWC input and output (batch 1), OHWI weights `[outC][kH][kW][inC/groups]`.
/// The fused activation is the clamp `[outputMin, outputMax]`.
///
/// Algorithm choice (`algorithm`): depthwise when `groups == inC == outC > 1`; Winograd F(6x6,3x3)
/// for dense (groups 1) 3x3 stride-1 dilation-1 kernels; one GEMM over the input for 1x1
/// stride-1 unpadded kernels; implicit GEMM for everything else. When the caller gives the
/// input size it will run on, a 3x3 layer with fewer than `winogradMinimumTiles` output tiles
/// takes implicit GEMM instead: each transformed weight (7x the size of the 3x3 ones) is then
/// used too few times to pay for reading it (ResNet-18's 7x7x512 layers run 1.9x faster so).
public final class FConvolution: @unchecked Sendable {
    /// Input channels (all groups).
    public let inputChannels: Int
    /// Output channels (all groups).
    public let outputChannels: Int
    /// Kernel height.
    public let kernelHeight: Int
    /// Kernel width.
    public let kernelWidth: Int
    /// Vertical stride.
    public let strideHeight: Int
    /// Horizontal stride.
    public let strideWidth: Int
    /// Vertical dilation.
    public let dilationHeight: Int
    /// Horizontal dilation.
    public let dilationWidth: Int
    /// Zero rows added above the input.
    public let padTop: Int
    /// Zero columns added left of the input.
    public let padLeft: Int
    /// Zero rows added below the input.
    public let padBottom: Int
    /// Zero columns added right of the input.
    public let padRight: Int
    /// Channel groups (1: dense; inC: depthwise).
    public let groups: Int
    /// Lower output clamp.
    public let outputMin: Float
    /// Upper output clamp.
    public let outputMax: Float
    /// The algorithm chosen at init.
    public let algorithm: ConvolutionAlgorithm
    /// The microkernels chosen at init, from `features`.
    public let kernels: F32KernelSet

    let packed: F32Buffer
    /// The biases, for algorithms that add them outside the microkernel (Winograd).
    let biasValues: F32Buffer
    /// Zeros (a kernel row of `kernelWidth * inputChannels`, plus a vector's slack): the target
    /// of indirection pointers that fall into the padding.
    let zeros: F32Buffer
    /// Floats per group in `packed` (GEMM-based algorithms).
    let groupStride: Int

    /// Creates the layer and packs `weights` (OHWI) and `bias` (one per output channel).
    /// `features` picks the microkernels; pass `.portable` to force the Swift SIMD path.
    /// `algorithm` overrides the automatic choice (as NNPACK's API allows), for benchmarks
    /// and cross-checks; it must suit the shape (implicit GEMM suits every shape).
    /// `inputHeight`/`inputWidth`, when known, let the choice skip Winograd on small images;
    /// `run` still accepts any input size.
    /// Inconsistent sizes are programming errors and trap with a message.
    public init(inputChannels: Int, outputChannels: Int, kernelHeight: Int, kernelWidth: Int,
                strideHeight: Int = 1, strideWidth: Int = 1, dilationHeight: Int = 1, dilationWidth: Int = 1,
                padTop: Int = 0, padLeft: Int = 0, padBottom: Int = 0, padRight: Int = 0, groups: Int = 1,
                weights: [Float], bias: [Float], outputMin: Float = -.infinity, outputMax: Float = .infinity,
                features: CPUFeatures = .host, algorithm requested: ConvolutionAlgorithm? = nil,
                inputHeight: Int? = nil, inputWidth: Int? = nil) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelHeight > 0 && kernelWidth > 0,
                     "FConvolution: channels and kernel size must be positive")
        precondition(strideHeight > 0 && strideWidth > 0 && dilationHeight > 0 && dilationWidth > 0,
                     "FConvolution: stride and dilation must be positive")
        precondition(padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0,
                     "FConvolution: padding must not be negative")
        precondition(groups > 0 && inputChannels % groups == 0 && outputChannels % groups == 0,
                     "FConvolution: \(groups) groups do not divide \(inputChannels) -> \(outputChannels) channels")
        let groupIn = inputChannels / groups
        precondition(weights.count == outputChannels * kernelHeight * kernelWidth * groupIn,
                     "FConvolution: \(weights.count) weights, expected \(outputChannels * kernelHeight * kernelWidth * groupIn)")
        precondition(bias.count == outputChannels, "FConvolution: \(bias.count) biases, expected \(outputChannels)")
        precondition(outputMin <= outputMax, "FConvolution: outputMin above outputMax")

        self.inputChannels = inputChannels; self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight; self.strideWidth = strideWidth
        self.dilationHeight = dilationHeight; self.dilationWidth = dilationWidth
        self.padTop = padTop; self.padLeft = padLeft; self.padBottom = padBottom; self.padRight = padRight
        self.groups = groups; self.outputMin = outputMin; self.outputMax = outputMax
        let kernels = F32KernelSet.select(features)
        self.kernels = kernels
        zeros = F32Buffer(count: kernelWidth * inputChannels + 16)
        biasValues = F32Buffer(count: outputChannels)
        biasValues.pointer.update(from: bias, count: outputChannels)

        let depthwiseFits = groups > 1 && groups == inputChannels && groups == outputChannels
        let winogradFits = groups == 1 && kernelHeight == 3 && kernelWidth == 3 && strideHeight == 1
            && strideWidth == 1 && dilationHeight == 1 && dilationWidth == 1
        var winogradPays = true
        if let inputHeight, let inputWidth {
            let outH = max((padTop + inputHeight + padBottom - 3) / strideHeight + 1, 0)
            let outW = max((padLeft + inputWidth + padRight - 3) / strideWidth + 1, 0)
            winogradPays = (outH + 5) / 6 * ((outW + 5) / 6) >= FConvolution.winogradMinimumTiles
        }
        let gemmFits = kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1
            && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0
        let algorithm: ConvolutionAlgorithm
        if let requested {
            let fits: Bool
            switch requested {
            case .depthwise: fits = depthwiseFits
            case .winograd6x6: fits = winogradFits
            case .gemm: fits = gemmFits
            case .implicitGemm: fits = true
            }
            precondition(fits, "FConvolution: \(requested.rawValue) does not suit this convolution")
            algorithm = requested
        } else if depthwiseFits {
            algorithm = .depthwise
        } else if winogradFits && winogradPays {
            algorithm = .winograd6x6
        } else if gemmFits {
            algorithm = .gemm
        } else {
            algorithm = .implicitGemm
        }
        self.algorithm = algorithm

        switch algorithm {
        case .depthwise:
            (packed, groupStride) = FConvolution.packDepthwise(weights: weights, bias: bias, channels: inputChannels,
                                                               taps: kernelHeight * kernelWidth,
                                                               block: kernels.depthwise.channelBlock)
        case .winograd6x6:
            (packed, groupStride) = FConvolution.packWinograd(weights: weights, inputChannels: inputChannels,
                                                              outputChannels: outputChannels, nr: kernels.gemm.nr)
        case .gemm, .implicitGemm:
            let groupOut = outputChannels / groups
            let k = kernelHeight * kernelWidth * groupIn
            let size = F32Packing.gemmSize(n: groupOut, k: k, nr: kernels.gemm.nr)
            let buffer = F32Buffer(count: size * groups)
            weights.withUnsafeBufferPointer { w in
                for g in 0..<groups {
                    F32Packing.packGemm(n: groupOut, k: k, nr: kernels.gemm.nr, into: buffer.pointer + g * size,
                                        bias: { bias[g * groupOut + $0] },
                                        weight: { w[(g * groupOut + $0) * k + $1] })
                }
            }
            (packed, groupStride) = (buffer, size)
        }
    }

    /// Fewest 6x6 output tiles for which the automatic choice takes Winograd when the input
    /// size is known (measured on Zen 4: 9 tiles of 14x14x256 win 1.4x, 4 tiles of 7x7x512 lose 1.9x).
    public static let winogradMinimumTiles = 8

    /// Name of the microkernel doing most of the work, in XNNPACK's naming scheme.
    public var kernelName: String {
        switch algorithm {
        case .depthwise:
            if depthwiseRowKernel != nil { return kernels.depthwise.threeByThreeRowsName }
            return kernelHeight * kernelWidth == 9 ? kernels.depthwise.nineTapName : kernels.depthwise.anyTapsName
        case .winograd6x6:
            return "f32_conv3x3_winograd6x6_\(kernels.gemm.mr)x\(kernels.gemm.nr)__\(kernels.isa)"
        case .gemm:
            return kernels.gemm.name
        case .implicitGemm:
            return "f32_igemm_minmax_ukernel_\(kernels.gemm.mr)x\(kernels.gemm.nr)__\(kernels.isa)"
        }
    }

    /// Output height and width for an input of the given size (at least 1x1: the padded
    /// input must hold one dilated window, which `run` requires).
    public func outputSize(inputHeight: Int, inputWidth: Int) -> (height: Int, width: Int) {
        let effH = (kernelHeight - 1) * dilationHeight + 1
        let effW = (kernelWidth - 1) * dilationWidth + 1
        let h = (padTop + inputHeight + padBottom - effH) / strideHeight + 1
        let w = (padLeft + inputWidth + padRight - effW) / strideWidth + 1
        return (max(h, 0), max(w, 0))
    }

    /// Multiply-accumulates one run performs for an input of this size (for GMAC/s figures).
    public func macs(inputHeight: Int, inputWidth: Int) -> Int {
        let (h, w) = outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        return h * w * outputChannels * kernelHeight * kernelWidth * (inputChannels / groups)
    }

    /// Computes the NHWC output of an NHWC input of `inputHeight` x `inputWidth` x inputChannels.
    /// `output` must hold outputSize(...).height * width * outputChannels floats and must
    /// not overlap `input`.
    public func run(input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int,
                    output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        precondition(padTop + inputHeight + padBottom >= (kernelHeight - 1) * dilationHeight + 1
                     && padLeft + inputWidth + padRight >= (kernelWidth - 1) * dilationWidth + 1,
                     "FConvolution: \(inputHeight)x\(inputWidth) input is smaller than the kernel window")
        switch algorithm {
        case .depthwise:
            runDepthwise(input: input, inputHeight: inputHeight, inputWidth: inputWidth, output: output, pool: pool)
        case .winograd6x6:
            runWinograd(input: input, inputHeight: inputHeight, inputWidth: inputWidth, output: output, pool: pool)
        case .gemm:
            runGemm(input: input, pixels: inputHeight * inputWidth, output: output, pool: pool)
        case .implicitGemm:
            runImplicitGemm(input: input, inputHeight: inputHeight, inputWidth: inputWidth, output: output, pool: pool)
        }
    }
}
