/// Plain, obviously-correct fp32 operators: the oracle the fast kernels are tested against,
/// and the `ref` backend.
///
/// Layouts: activations NHWC with batch 1, convolution weights OHWI
/// (`[outC][kH][kW][inC/groups]`), fully-connected weights `[out][in]`. Every sum is
/// accumulated in `Double` and rounded to `Float` once, so the oracle's own rounding error is
/// far below the tolerances the fast kernels are held to. Fused activations are an output
/// clamp to `[outputMin, outputMax]` (ReLU: `0...+inf`, ReLU6: `0...6`).
public enum Reference {
    /// Output height and width of a convolution or pooling window, or nil when the padded
    /// input is smaller than the dilated window.
    public static func outputSize(inputHeight: Int, inputWidth: Int, kernelHeight: Int, kernelWidth: Int,
                                  strideHeight: Int, strideWidth: Int, dilationHeight: Int = 1,
                                  dilationWidth: Int = 1, padTop: Int, padLeft: Int, padBottom: Int,
                                  padRight: Int) -> (height: Int, width: Int)? {
        let effH = (kernelHeight - 1) * dilationHeight + 1
        let effW = (kernelWidth - 1) * dilationWidth + 1
        let h = padTop + inputHeight + padBottom - effH
        let w = padLeft + inputWidth + padRight - effW
        guard h >= 0, w >= 0, strideHeight > 0, strideWidth > 0 else { return nil }
        return (h / strideHeight + 1, w / strideWidth + 1)
    }

    /// Clamps `value` to `[minimum, maximum]`, the fused-activation rule every operator shares.
    @inlinable
    public static func clamp(_ value: Float, _ minimum: Float, _ maximum: Float) -> Float {
        Swift.min(Swift.max(value, minimum), maximum)
    }
}
