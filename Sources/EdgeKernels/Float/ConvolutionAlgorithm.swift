/// How an `FConvolution` computes its output, chosen once at init the way NNPACK chooses.
public enum ConvolutionAlgorithm: String, Sendable, CaseIterable {
    /// Winograd F(6x6, 3x3): 8x8 input tiles, 64 batched GEMMs, for dense 3x3 stride-1 convolutions.
    case winograd6x6 = "winograd-6x6"
    /// 1x1 stride-1 unpadded convolution as one GEMM straight over the NHWC input.
    case gemm = "gemm"
    /// Direct depthwise convolution (one filter per channel).
    case depthwise = "depthwise"
    /// Implicit GEMM: each tile of output pixels gathers its own input patches; no im2col of the whole input.
    case implicitGemm = "implicit-gemm"
}
