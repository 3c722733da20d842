/// fp32 max pooling over an NHWC input with explicit padding; padded positions never win
/// (they are skipped, as in `Reference.maxPool`). ResNet's 3x3 stride-2 pool after the stem.
public final class FMaxPool: @unchecked Sendable {
    /// Channels per pixel.
    public let channels: Int
    /// Window height.
    public let poolHeight: Int
    /// Window width.
    public let poolWidth: Int
    /// Vertical stride.
    public let strideHeight: Int
    /// Horizontal stride.
    public let strideWidth: Int
    /// Rows added above the input.
    public let padTop: Int
    /// Columns added left of the input.
    public let padLeft: Int
    /// Rows added below the input.
    public let padBottom: Int
    /// Columns added right of the input.
    public let padRight: Int
    /// Lower output clamp.
    public let outputMin: Float
    /// Upper output clamp.
    public let outputMax: Float

    /// Creates the operator; the padding must be smaller than the window so every window
    /// holds at least one input pixel.
    public init(channels: Int, poolHeight: Int, poolWidth: Int, strideHeight: Int, strideWidth: Int,
                padTop: Int = 0, padLeft: Int = 0, padBottom: Int = 0, padRight: Int = 0,
                outputMin: Float = -.infinity, outputMax: Float = .infinity) {
        precondition(channels > 0 && poolHeight > 0 && poolWidth > 0 && strideHeight > 0 && strideWidth > 0,
                     "FMaxPool: sizes must be positive")
        precondition(padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0
                     && max(padTop, padBottom) < poolHeight && max(padLeft, padRight) < poolWidth,
                     "FMaxPool: padding must be non-negative and smaller than the window")
        precondition(outputMin <= outputMax, "FMaxPool: outputMin above outputMax")
        self.channels = channels; self.poolHeight = poolHeight; self.poolWidth = poolWidth
        self.strideHeight = strideHeight; self.strideWidth = strideWidth
        self.padTop = padTop; self.padLeft = padLeft; self.padBottom = padBottom; self.padRight = padRight
        self.outputMin = outputMin; self.outputMax = outputMax
    }

    /// Name of the kernel, for benchmark listings.
    public var kernelName: String { "f32_maxpool_minmax_ukernel__swift_simd" }

    /// Output height and width for an input of the given size.
    public func outputSize(inputHeight: Int, inputWidth: Int) -> (height: Int, width: Int) {
        (max((padTop + inputHeight + padBottom - poolHeight) / strideHeight + 1, 0),
         max((padLeft + inputWidth + padRight - poolWidth) / strideWidth + 1, 0))
    }

    /// Writes the pooled NHWC output; `output` must hold outputSize(...) x channels floats.
    public func run(input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int,
                    output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        precondition(padTop + inputHeight + padBottom >= poolHeight && padLeft + inputWidth + padRight >= poolWidth,
                     "FMaxPool: \(inputHeight)x\(inputWidth) input is smaller than the window")
        let (outH, outW) = outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        let channels = channels, kH = poolHeight, kW = poolWidth, sH = strideHeight, sW = strideWidth
        let pT = padTop, pL = padLeft
        let lo = SIMD8<Float>(repeating: outputMin), hi = SIMD8<Float>(repeating: outputMax)
        pool.parallelFor(outH) { oy in
            let y0 = max(oy * sH - pT, 0), y1 = min(oy * sH - pT + kH, inputHeight)
            for ox in 0..<outW {
                let x0 = max(ox * sW - pL, 0), x1 = min(ox * sW - pL + kW, inputWidth)
                let out = output + (oy * outW + ox) * channels
                var c = 0
                while c + 8 <= channels {
                    var best = SIMD8<Float>(repeating: -.infinity)
                    for y in y0..<y1 {
                        for x in x0..<x1 {
                            let v = UnsafeRawPointer(input + (y * inputWidth + x) * channels + c)
                                .loadUnaligned(as: SIMD8<Float>.self)
                            best = best.replacing(with: v, where: v .> best)
                        }
                    }
                    best = best.replacing(with: lo, where: best .< lo)
                    best = best.replacing(with: hi, where: best .> hi)
                    UnsafeMutableRawPointer(out + c).storeBytes(of: best, as: SIMD8<Float>.self)
                    c += 8
                }
                while c < channels {
                    var best = -Float.infinity
                    for y in y0..<y1 {
                        for x in x0..<x1 { best = max(best, input[(y * inputWidth + x) * channels + c]) }
                    }
                    out[c] = min(max(best, lo[0]), hi[0])
                    c += 1
                }
            }
        }
    }
}
