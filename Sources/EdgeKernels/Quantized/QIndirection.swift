/// Geometry of a 2-D convolution window over an NHWC input.
struct QConvolutionGeometry: Sendable, Equatable {
    var kernelHeight: Int, kernelWidth: Int
    var strideHeight: Int, strideWidth: Int
    var dilationHeight: Int, dilationWidth: Int
    var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int

    /// Output size for an input size (floor division, as TFLite and ONNX with explicit padding).
    func outputSize(inputHeight: Int, inputWidth: Int) -> (height: Int, width: Int) {
        let effH = (kernelHeight - 1) * dilationHeight + 1
        let effW = (kernelWidth - 1) * dilationWidth + 1
        let h = (inputHeight + padTop + padBottom - effH) / strideHeight + 1
        let w = (inputWidth + padLeft + padRight - effW) / strideWidth + 1
        return (max(h, 0), max(w, 0))
    }
}

/// Indirection table of an indirect convolution: for every output pixel, one pointer per
/// kernel tap to the input pixel it reads (its first channel), or to the zero buffer where
/// the tap falls in the padding. Built once per input buffer and size, reused on every run,
/// so no im2col copy is ever made.
final class QIndirection {
    /// Pointers, `[outputPixel][stride]`; taps past the window (stride padding) point at the zero buffer.
    private(set) var table: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    private var capacity: Int
    private var key: (base: UnsafePointer<UInt8>?, height: Int, width: Int) = (nil, -1, -1)

    init() {
        capacity = 1
        table = .allocate(capacity: 1)
    }

    deinit { table.deallocate() }

    /// Fills the table for this input unless it already describes it.
    func prepare(input: UnsafePointer<UInt8>, inputHeight: Int, inputWidth: Int, channels: Int,
                 geometry g: QConvolutionGeometry, stride: Int, zero: UnsafePointer<UInt8>) {
        if key.base == input && key.height == inputHeight && key.width == inputWidth { return }
        let out = g.outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        let needed = max(out.height * out.width * stride, 1)
        if needed > capacity {
            table.deallocate()
            table = .allocate(capacity: needed)
            capacity = needed
        }
        let taps = g.kernelHeight * g.kernelWidth
        var i = 0
        for oy in 0..<out.height {
            for ox in 0..<out.width {
                for ky in 0..<g.kernelHeight {
                    let iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight
                    for kx in 0..<g.kernelWidth {
                        let ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth
                        if iy >= 0 && iy < inputHeight && ix >= 0 && ix < inputWidth {
                            table[i] = input + (iy * inputWidth + ix) * channels
                        } else {
                            table[i] = zero
                        }
                        i += 1
                    }
                }
                for _ in taps..<stride {
                    table[i] = zero
                    i += 1
                }
            }
        }
        key = (input, inputHeight, inputWidth)
    }

    /// Pointers per output row of a depthwise table (see `prepareDepthwise`).
    private(set) var depthwiseRowLength = 0

    /// Fills a compact depthwise table unless it already describes this input: per output
    /// row, one pointer per (input column, kernel row), column-major, so neighbouring output
    /// pixels share entries. Tap (ky, kx) of pixel x is entry
    /// `x * strideWidth * kH + kx * dilationWidth * kH + ky` of its row: about 3 pointers
    /// per pixel for a 3x3 kernel instead of 12, which keeps the table of a 112x112 layer
    /// in cache.
    func prepareDepthwise(input: UnsafePointer<UInt8>, inputHeight: Int, inputWidth: Int, channels: Int,
                          geometry g: QConvolutionGeometry, zero: UnsafePointer<UInt8>) {
        if key.base == input && key.height == inputHeight && key.width == inputWidth { return }
        let out = g.outputSize(inputHeight: inputHeight, inputWidth: inputWidth)
        let columns = (out.width - 1) * g.strideWidth + (g.kernelWidth - 1) * g.dilationWidth + 1
        let rowLength = columns * g.kernelHeight
        let needed = max(out.height * rowLength, 1)
        if needed > capacity {
            table.deallocate()
            table = .allocate(capacity: needed)
            capacity = needed
        }
        var i = 0
        for oy in 0..<out.height {
            for j in 0..<columns {
                let ix = j - g.padLeft
                for ky in 0..<g.kernelHeight {
                    let iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight
                    if iy >= 0 && iy < inputHeight && ix >= 0 && ix < inputWidth {
                        table[i] = input + (iy * inputWidth + ix) * channels
                    } else {
                        table[i] = zero
                    }
                    i += 1
                }
            }
        }
        depthwiseRowLength = rowLength
        key = (input, inputHeight, inputWidth)
    }
}
