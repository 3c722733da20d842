import EdgeKernels

/// Max pooling over NHWC for the fast backends (ResNet's stem is the only user, a
/// fraction of a percent of its time, so no kernel library operator is needed). Works on
/// fp32 and on uint8 alike: max commutes with a monotonic quantization, so the output
/// keeps the input's scale and zero point. Padded positions are skipped, as in the reference.
enum MaxPool {
    static func run<T: Comparable>(_ p: MaxPoolLayer, input: UnsafePointer<T>, shape: TensorShape,
                                   output: UnsafeMutablePointer<T>, pool: ThreadPool) {
        let out = p.outputShape(shape)
        let channels = shape.channels
        pool.parallelFor(out.height) { oy in
            for ox in 0..<out.width {
                let dst = output + (oy * out.width + ox) * channels
                var first = true
                for ky in 0..<p.kernel {
                    let iy = oy * p.stride - p.padTop + ky
                    if iy < 0 || iy >= shape.height { continue }
                    for kx in 0..<p.kernel {
                        let ix = ox * p.stride - p.padLeft + kx
                        if ix < 0 || ix >= shape.width { continue }
                        let src = input + (iy * shape.width + ix) * channels
                        if first {
                            dst.update(from: src, count: channels)
                            first = false
                        } else {
                            for c in 0..<channels where src[c] > dst[c] { dst[c] = src[c] }
                        }
                    }
                }
            }
        }
    }
}
