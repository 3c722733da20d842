extension Reference {
    /// Direct convolution over an NHWC input with OHWI weights, explicit padding, stride,
    /// dilation and groups, plus bias and an output clamp. Returns the NHWC output.
    ///
    /// Positions that fall into the padding contribute zero. Preconditions (array sizes,
    /// channel counts divisible by `groups`) trap, because a wrong-sized oracle call is a bug
    /// in the test, not bad input.
    public static func convolution(input: [Float], inputHeight: Int, inputWidth: Int, inputChannels: Int,
                                   outputChannels: Int, kernelHeight: Int, kernelWidth: Int,
                                   strideHeight: Int = 1, strideWidth: Int = 1,
                                   dilationHeight: Int = 1, dilationWidth: Int = 1,
                                   padTop: Int = 0, padLeft: Int = 0, padBottom: Int = 0, padRight: Int = 0,
                                   groups: Int = 1, weights: [Float], bias: [Float],
                                   outputMin: Float = -.infinity, outputMax: Float = .infinity) -> [Float] {
        precondition(groups > 0 && inputChannels % groups == 0 && outputChannels % groups == 0,
                     "channels must divide into groups")
        let groupIn = inputChannels / groups
        let groupOut = outputChannels / groups
        precondition(input.count == inputHeight * inputWidth * inputChannels, "input size")
        precondition(weights.count == outputChannels * kernelHeight * kernelWidth * groupIn, "weights size")
        precondition(bias.count == outputChannels, "bias size")
        guard let (outH, outW) = outputSize(
            inputHeight: inputHeight, inputWidth: inputWidth, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
            strideHeight: strideHeight, strideWidth: strideWidth, dilationHeight: dilationHeight,
            dilationWidth: dilationWidth, padTop: padTop, padLeft: padLeft, padBottom: padBottom, padRight: padRight)
        else { preconditionFailure("window larger than the padded input") }

        var output = [Float](repeating: 0, count: outH * outW * outputChannels)
        for oy in 0..<outH {
            for ox in 0..<outW {
                for oc in 0..<outputChannels {
                    let g = oc / groupOut
                    var sum = Double(bias[oc])
                    for ky in 0..<kernelHeight {
                        let iy = oy * strideHeight - padTop + ky * dilationHeight
                        if iy < 0 || iy >= inputHeight { continue }
                        for kx in 0..<kernelWidth {
                            let ix = ox * strideWidth - padLeft + kx * dilationWidth
                            if ix < 0 || ix >= inputWidth { continue }
                            for ic in 0..<groupIn {
                                let x = input[(iy * inputWidth + ix) * inputChannels + g * groupIn + ic]
                                let w = weights[((oc * kernelHeight + ky) * kernelWidth + kx) * groupIn + ic]
                                sum += Double(x) * Double(w)
                            }
                        }
                    }
                    output[(oy * outW + ox) * outputChannels + oc] = clamp(Float(sum), outputMin, outputMax)
                }
            }
        }
        return output
    }
}
