/// Plain int8 reference operators: straightforward loops over the unpacked tensors, the
/// test oracle of every quantized kernel. They subtract the input zero point explicitly (no
/// folding), skip padding taps, and share only the requantization rule with the kernels.
public enum QReference {
    /// Convolution, NHWC input `[inputHeight][inputWidth][inputChannels]`, OHWI weights; returns
    /// `[outH][outW][outputChannels]`. Parameters mean what they mean in `QConvolution.init`.
    public static func convolution(input: [UInt8], inputHeight: Int, inputWidth: Int, inputChannels: Int,
                                   outputChannels: Int, kernelHeight: Int, kernelWidth: Int,
                                   strideHeight: Int, strideWidth: Int, dilationHeight: Int, dilationWidth: Int,
                                   padTop: Int, padLeft: Int, padBottom: Int, padRight: Int, groups: Int,
                                   weights: [Int8], weightScales: [Float], bias: [Int32],
                                   inputParams: QuantizationParams, outputParams: QuantizationParams,
                                   outputMin: UInt8, outputMax: UInt8) -> [UInt8] {
        let outH = (inputHeight + padTop + padBottom - ((kernelHeight - 1) * dilationHeight + 1)) / strideHeight + 1
        let outW = (inputWidth + padLeft + padRight - ((kernelWidth - 1) * dilationWidth + 1)) / strideWidth + 1
        let groupInC = inputChannels / groups, groupOutC = outputChannels / groups
        let multipliers = QRequantization.multipliers(input: inputParams, weightScales: weightScales,
                                                      output: outputParams, channels: outputChannels)
        let rq = QRequantization(zeroPoint: outputParams.zeroPoint, outputMin: outputMin, outputMax: outputMax)
        let inZP = Int32(inputParams.zeroPoint)
        var result = [UInt8](repeating: 0, count: outH * outW * outputChannels)
        for oy in 0..<outH {
            for ox in 0..<outW {
                for oc in 0..<outputChannels {
                    let g = oc / groupOutC
                    var acc = bias[oc]
                    for ky in 0..<kernelHeight {
                        let iy = oy * strideHeight - padTop + ky * dilationHeight
                        if iy < 0 || iy >= inputHeight { continue }
                        for kx in 0..<kernelWidth {
                            let ix = ox * strideWidth - padLeft + kx * dilationWidth
                            if ix < 0 || ix >= inputWidth { continue }
                            for ic in 0..<groupInC {
                                let x = Int32(input[(iy * inputWidth + ix) * inputChannels + g * groupInC + ic]) - inZP
                                let w = Int32(weights[((oc * kernelHeight + ky) * kernelWidth + kx) * groupInC + ic])
                                acc += x * w
                            }
                        }
                    }
                    result[(oy * outW + ox) * outputChannels + oc] = rq.requantize(acc, scale: multipliers[oc])
                }
            }
        }
        return result
    }

    /// Fully connected layer on `rows` input vectors: `[rows][inputChannels]` times `[out][in]` weights.
    public static func fullyConnected(input: [UInt8], rows: Int, inputChannels: Int, outputChannels: Int,
                                      weights: [Int8], weightScales: [Float], bias: [Int32],
                                      inputParams: QuantizationParams, outputParams: QuantizationParams,
                                      outputMin: UInt8, outputMax: UInt8) -> [UInt8] {
        convolution(input: input, inputHeight: rows, inputWidth: 1, inputChannels: inputChannels,
                    outputChannels: outputChannels, kernelHeight: 1, kernelWidth: 1, strideHeight: 1, strideWidth: 1,
                    dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, groups: 1,
                    weights: weights, weightScales: weightScales, bias: bias, inputParams: inputParams,
                    outputParams: outputParams, outputMin: outputMin, outputMax: outputMax)
    }

    /// Global average pooling of `[height][width][channels]` to `[channels]`.
    public static func globalAveragePool(input: [UInt8], height: Int, width: Int, channels: Int,
                                         inputParams: QuantizationParams, outputParams: QuantizationParams,
                                         outputMin: UInt8, outputMax: UInt8) -> [UInt8] {
        let rq = QRequantization(zeroPoint: outputParams.zeroPoint, outputMin: outputMin, outputMax: outputMax)
        let scale = QGlobalAveragePool.multiplier(input: inputParams, output: outputParams, pixels: height * width)
        return (0..<channels).map { c in
            var acc: Int32 = 0
            for p in 0..<(height * width) { acc += Int32(input[p * channels + c]) - Int32(inputParams.zeroPoint) }
            return rq.requantize(acc, scale: scale)
        }
    }

    /// Elementwise sum of two quantized tensors (see `QAdd` for the formula).
    public static func add(a: [UInt8], aParams: QuantizationParams, b: [UInt8], bParams: QuantizationParams,
                           outputParams: QuantizationParams, outputMin: UInt8, outputMax: UInt8) -> [UInt8] {
        let am = aParams.scale / outputParams.scale, bm = bParams.scale / outputParams.scale
        let rq = QRequantization(zeroPoint: outputParams.zeroPoint, outputMin: outputMin, outputMax: outputMax)
        return zip(a, b).map { x, y in
            let fa = Float(Int32(x) - Int32(aParams.zeroPoint)) * am
            let fb = Float(Int32(y) - Int32(bParams.zeroPoint)) * bm
            let f = min(max(fa + fb, rq.minLessZeroPoint), rq.maxLessZeroPoint)
            return UInt8(Int32(f.rounded(.toNearestOrEven)) + rq.zeroPoint)
        }
    }
}
