import CEdgeKernels

/// An int8 fully connected layer: `[rows][inputChannels]` uint8 times `[out][in]` int8
/// weights plus int32 bias, requantized to uint8. A GEMM with the weights packed at init.
public final class QFullyConnected {
    /// Input features per row.
    public let inputChannels: Int
    /// Output features per row.
    public let outputChannels: Int
    private let gemm: QConvolution

    /// Creates the layer; weights are `[outputChannels][inputChannels]`, `weightScales` per
    /// output channel or one for the tensor.
    public init(inputChannels: Int, outputChannels: Int, weights: [Int8], weightScales: [Float], bias: [Int32],
                input: QuantizationParams, output: QuantizationParams,
                outputMin: UInt8 = 0, outputMax: UInt8 = 255, features: CPUFeatures = .host) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        // A fully connected layer is a 1x1 convolution over `rows` pixels: the same packed GEMM.
        gemm = QConvolution(inputChannels: inputChannels, outputChannels: outputChannels, kernelHeight: 1,
                            kernelWidth: 1, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0, padBottom: 0,
                            padRight: 0, weights: weights, weightScales: weightScales, bias: bias, input: input,
                            output: output, outputMin: outputMin, outputMax: outputMax, features: features)
    }

    /// Name of the microkernel `run` calls.
    public var kernelName: String { gemm.kernelName }

    /// Computes `rows` output vectors (`[rows][outputChannels]`).
    public func run(input: UnsafePointer<UInt8>, rows: Int = 1, output: UnsafeMutablePointer<UInt8>, pool: ThreadPool) {
        gemm.run(input: input, inputHeight: rows, inputWidth: 1, output: output, pool: pool)
    }
}
