extension Reference {
    /// Global average pooling of an NHWC input to one value per channel, then the clamp.
    public static func globalAveragePool(input: [Float], height: Int, width: Int, channels: Int,
                                         outputMin: Float = -.infinity, outputMax: Float = .infinity) -> [Float] {
        precondition(input.count == height * width * channels && height * width > 0, "input size")
        var output = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            var sum = 0.0
            for p in 0..<(height * width) { sum += Double(input[p * channels + c]) }
            output[c] = clamp(Float(sum / Double(height * width)), outputMin, outputMax)
        }
        return output
    }

    /// Max pooling over an NHWC input with explicit padding; padded positions never win
    /// (they are skipped, not treated as zero), as in TensorFlow and ONNX.
    public static func maxPool(input: [Float], inputHeight: Int, inputWidth: Int, channels: Int,
                               poolHeight: Int, poolWidth: Int, strideHeight: Int, strideWidth: Int,
                               padTop: Int = 0, padLeft: Int = 0, padBottom: Int = 0, padRight: Int = 0,
                               outputMin: Float = -.infinity, outputMax: Float = .infinity) -> [Float] {
        precondition(input.count == inputHeight * inputWidth * channels, "input size")
        guard let (outH, outW) = outputSize(
            inputHeight: inputHeight, inputWidth: inputWidth, kernelHeight: poolHeight, kernelWidth: poolWidth,
            strideHeight: strideHeight, strideWidth: strideWidth, padTop: padTop, padLeft: padLeft,
            padBottom: padBottom, padRight: padRight)
        else { preconditionFailure("window larger than the padded input") }
        var output = [Float](repeating: 0, count: outH * outW * channels)
        for oy in 0..<outH {
            for ox in 0..<outW {
                for c in 0..<channels {
                    var best = -Float.infinity
                    for ky in 0..<poolHeight {
                        let iy = oy * strideHeight - padTop + ky
                        if iy < 0 || iy >= inputHeight { continue }
                        for kx in 0..<poolWidth {
                            let ix = ox * strideWidth - padLeft + kx
                            if ix < 0 || ix >= inputWidth { continue }
                            best = Swift.max(best, input[(iy * inputWidth + ix) * channels + c])
                        }
                    }
                    output[(oy * outW + ox) * channels + c] = clamp(best, outputMin, outputMax)
                }
            }
        }
        return output
    }
}
