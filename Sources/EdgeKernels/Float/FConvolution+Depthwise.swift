extension FConvolution {
    /// Packs depthwise weights `[C][kH][kW][1]` in channel blocks: per block, `block` biases then
    /// one row of `block` weights per tap, zero padded past the last channel.
    static func packDepthwise(weights: [Float], bias: [Float], channels: Int, taps: Int,
                              block: Int) -> (F32Buffer, Int) {
        let blocks = (channels + block - 1) / block
        let buffer = F32Buffer(count: blocks * block * (taps + 1))
        var p = buffer.pointer
        for b in 0..<blocks {
            for j in 0..<block {
                let c = b * block + j
                if c < channels { p[j] = bias[c] }
            }
            p += block
            for t in 0..<taps {
                for j in 0..<block {
                    let c = b * block + j
                    if c < channels { p[j] = weights[c * taps + t] }
                }
                p += block
            }
        }
        return (buffer, 0)
    }

    /// Depthwise convolution, one output row per work item: the row's indirection buffer (one
    /// input-pixel pointer per output pixel and tap, the zero row for padding) is built on the
    /// stack, so any stride, dilation and padding reach the microkernel as plain pointers.
    /// `rowKernel: false` keeps the indirection kernels even where the row kernel fits (the
    /// benchmarks time one against the other).
    func runDepthwise(input: UnsafePointer<Float>, inputHeight: Int, inputWidth: Int,
                      output: UnsafeMutablePointer<Float>, pool: ThreadPool, rowKernel useRows: Bool = true) {
        let (outH, outW) = outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        if useRows, let rowKernel = depthwiseRowKernel {
            runDepthwiseRows(rowKernel, input: input, inputHeight: inputHeight, inputWidth: inputWidth,
                             outputHeight: outH, outputWidth: outW, output: output, pool: pool)
            return
        }
        let taps = kernelHeight * kernelWidth
        let function = taps == 9 ? kernels.depthwise.nineTap : kernels.depthwise.anyTaps
        let channels = inputChannels
        let kH = kernelHeight, kW = kernelWidth, sH = strideHeight, sW = strideWidth
        let dH = dilationHeight, dW = dilationWidth, pT = padTop, pL = padLeft
        let weights = UnsafePointer(packed.pointer)
        let zero = UnsafePointer(zeros.pointer)
        let lo = outputMin, hi = outputMax
        pool.parallelFor(outH) { oy in
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: outW * taps) { table in
                let table = table.baseAddress!
                for ox in 0..<outW {
                    for ky in 0..<kH {
                        let iy = oy * sH - pT + ky * dH
                        for kx in 0..<kW {
                            let ix = ox * sW - pL + kx * dW
                            let inside = iy >= 0 && iy < inputHeight && ix >= 0 && ix < inputWidth
                            table[ox * taps + ky * kW + kx] = inside ? input + (iy * inputWidth + ix) * channels : zero
                        }
                    }
                }
                function(channels, outW, taps, table, weights, output + oy * outW * channels, channels, lo, hi)
            }
        }
    }

    /// The direct row kernel when this layer suits it (3x3, undilated, horizontal stride 1 or
    /// 2, a kernel set that has one), else nil and the indirection kernels run.
    var depthwiseRowKernel: F32DepthwiseRowFunction? {
        guard kernelHeight == 3 && kernelWidth == 3 && dilationHeight == 1 && dilationWidth == 1
                && strideWidth <= 2 && kernels.depthwise.rowsPay(inputChannels, strideWidth) else { return nil }
        return kernels.depthwise.threeByThreeRows
    }

    /// Depthwise 3x3 by output rows with the row kernel: per row only the three input-row
    /// pointers are computed (nil for a padding row); no per-pixel pointer table.
    private func runDepthwiseRows(_ kernel: F32DepthwiseRowFunction, input: UnsafePointer<Float>, inputHeight: Int,
                                  inputWidth: Int, outputHeight outH: Int, outputWidth outW: Int,
                                  output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let channels = inputChannels, sH = strideHeight, sW = strideWidth, pT = padTop, pL = padLeft
        let weights = UnsafePointer(packed.pointer)
        let zero = UnsafePointer(zeros.pointer)
        let lo = outputMin, hi = outputMax
        pool.parallelFor(outH) { oy in
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: 3) { rows in
                let rows = rows.baseAddress!
                for ky in 0..<3 {
                    let iy = oy * sH - pT + ky
                    rows[ky] = iy >= 0 && iy < inputHeight ? input + iy * inputWidth * channels : nil
                }
                kernel(channels, outW, inputWidth, sW, pL, rows, zero, weights, output + oy * outW * channels, lo, hi)
            }
        }
    }
}

extension FConvolution {
    /// Output rows `outputRows` of the depthwise 3x3 row kernel, input row `iy` read at
    /// `rowAddress(iy)`: the expand-depthwise bands keep their input in a ring of rows.
    func runDepthwiseRows(_ kernel: F32DepthwiseRowFunction, outputRows: Range<Int>, inputHeight: Int,
                          inputWidth: Int, output: UnsafeMutablePointer<Float>, pool: ThreadPool,
                          rowAddress: (Int) -> UnsafePointer<Float>) {
        let (_, outW) = outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        let channels = inputChannels, sH = strideHeight, sW = strideWidth, pT = padTop, pL = padLeft
        let weights = UnsafePointer(packed.pointer)
        let zero = UnsafePointer(zeros.pointer)
        let lo = outputMin, hi = outputMax
        let first = outputRows.lowerBound
        pool.parallelFor(outputRows.count) { item in
            let oy = first + item
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: 3) { rows in
                let rows = rows.baseAddress!
                for ky in 0..<3 {
                    let iy = oy * sH - pT + ky
                    rows[ky] = iy >= 0 && iy < inputHeight ? rowAddress(iy) : nil
                }
                kernel(channels, outW, inputWidth, sW, pL, rows, zero, weights, output + oy * outW * channels, lo, hi)
            }
        }
    }
}
