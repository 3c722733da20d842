import EdgeKernels

/// Max pooling over NHWC for the fast backends (ResNet's stem is the only user, a
/// fraction of a percent of its time, so no kernel library operator is needed). Works on
/// fp32 and on uint8 alike: max commutes with a monotonic quantization, so the output
/// keeps the input's scale and zero point. Padded positions are skipped, as in the reference.
enum MaxPool {
    static func run(_ p: MaxPoolLayer, input: UnsafePointer<Float>, shape: TensorShape,
                    output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        run(p, input: input, shape: shape, output: output, pool: pool) { dst, src, count in
            for c in 0..<count { let a = dst[c], b = src[c]; dst[c] = b > a ? b : a }
        }
    }

    static func run(_ p: MaxPoolLayer, input: UnsafePointer<UInt8>, shape: TensorShape,
                    output: UnsafeMutablePointer<UInt8>, pool: ThreadPool) {
        run(p, input: input, shape: shape, output: output, pool: pool) { dst, src, count in
            for c in 0..<count { let a = dst[c], b = src[c]; dst[c] = b > a ? b : a }
        }
    }

    /// The window walk, shared; `maximum(dst, src, n)` folds one input pixel into the output
    /// pixel. Each caller passes a loop over a concrete type, which the compiler vectorizes.
    @inline(__always)
    private static func run<T>(_ p: MaxPoolLayer, input: UnsafePointer<T>, shape: TensorShape,
                               output: UnsafeMutablePointer<T>, pool: ThreadPool,
                               maximum: (UnsafeMutablePointer<T>, UnsafePointer<T>, Int) -> Void) {
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
                            maximum(dst, src, channels)
                        }
                    }
                }
            }
        }
    }
}
