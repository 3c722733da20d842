import EdgeTFLite

/// The operators between the kernel layers, on loops over contiguous buffers instead of the
/// reference interpreter's per-element index arithmetic and Int32 widening.
///
/// int8 ADD stays in the kernels' uint8 domain, so the layers around it take its output as
/// it is, and computes XNNPACK's integer add (the interpreter's `.xnnpack` form): its bytes
/// are the interpreter's; so are int8 AVERAGE_POOL_2D's. fp32 RESIZE_BILINEAR interpolates each input row horizontally once
/// and then blends two of those rows per output row: the same weights as the reference, in
/// another order of float operations (within the fp32 tolerance, not bit for bit). fp32 ADD,
/// CONCATENATION and AVERAGE_POOL_2D add in the reference's order: the same floats.
extension TFLiteKernels {
    /// Installs the faster operators the model's tensors allow; the others keep their
    /// reference loops.
    static func attachOperators(to interpreter: ReferenceInterpreter) {
        let g = interpreter.model.main
        // The int8 loops compute XNNPACK's forms; under TFLite's reference requantization the
        // interpreter's loops stay.
        let int8 = interpreter.requantization == .xnnpack
        for (index, op) in g.operators.enumerated() {
            let ins = op.inputs.map { $0 >= 0 ? g.tensors[$0] : nil }
            guard let out = op.outputs.first.map({ g.tensors[$0] }), let x = ins.first ?? nil else { continue }
            switch op.builtin {
            case .add where int8 && ins.count == 2 && ins[1]?.shape == x.shape && x.shape == out.shape
                && [TensorType.int8, .uint8].contains(out.type) && x.type == out.type && ins[1]?.type == out.type:
                if let f = int8Add(x, ins[1]!, out, activation: op.options.activation) { interpreter.operatorLayers[index] = f }
            case .add where ins.count == 2 && ins[1]?.shape == x.shape && x.shape == out.shape
                && x.type == .float32 && ins[1]?.type == .float32 && out.type == .float32:
                let (lo, hi) = floatRange(op.options.activation)
                interpreter.operatorLayers[index] = { values in
                    let a = values[0].floats, b = values[1].floats
                    precondition(a.count == b.count, "ADD: the interpreter's shape checks let unequal inputs through")
                    return .float([Float](unsafeUninitializedCapacity: a.count) { d, n in
                        for i in 0..<a.count { d[i] = min(max(a[i] + b[i], lo), hi) }
                        n = a.count
                    })
                }
            case .concatenation where out.type == .float32 && ins.allSatisfy({ $0?.type == .float32 }):
                guard case .concatenation(let rawAxis, let activation) = op.options else { continue }
                interpreter.operatorLayers[index] = floatConcatenation(ins.map { $0! }, out, axis: rawAxis, activation: activation)
            case .averagePool2D where x.type == .float32 && out.type == .float32 && x.shape.count == 4:
                guard case .window(let w) = op.options else { continue }
                interpreter.operatorLayers[index] = floatAveragePool(x, out, w)
            case .averagePool2D where int8 && [TensorType.int8, .uint8].contains(x.type) && x.type == out.type && x.shape.count == 4:
                guard case .window(let w) = op.options, let f = int8AveragePool(x, out, w) else { continue }
                interpreter.operatorLayers[index] = f
            case .quantize where [TensorType.int8, .uint8].contains(x.type) && [TensorType.int8, .uint8].contains(out.type)
                && x.quantization?.scales.first == out.quantization?.scales.first && x.quantization != nil:
                interpreter.operatorLayers[index] = int8Requantize(x, out)
            case .resizeBilinear where x.type == .float32 && out.type == .float32 && x.shape.count == 4 && out.shape.count == 4:
                guard case .resizeBilinear(let alignCorners, let halfPixel) = op.options else { continue }
                interpreter.operatorLayers[index] = floatResizeBilinear(x, out, alignCorners: alignCorners, halfPixel: halfPixel)
            default: continue
            }
        }
    }

    /// XNNPACK's int8/uint8 add on kernel-domain bytes; nil when the scales leave its range.
    static func int8Add(_ a: Tensor, _ b: Tensor, _ out: Tensor, activation: FusedActivation) -> (([ReferenceValue]) -> ReferenceValue)? {
        guard let qa = a.quantization, let qb = b.quantization, let qo = out.quantization,
              qa.scales[0] > 0, qb.scales[0] > 0, qo.scales[0] > 0 else { return nil }
        let ra = qa.scales[0] / qo.scales[0], rb = qb.scales[0] / qo.scales[0]
        guard ra.isFinite, rb.isFinite else { return nil }
        let exponent = Int((max(ra, rb).bitPattern >> 23) & 0xFF) - 127
        let shift = 20 - exponent
        // XNNPACK accepts ratios in [2^-10, 2^8); beyond them the interpreter's loop decides.
        guard (1...40).contains(shift) else { return nil }
        func multiplier(_ r: Float) -> Int64 { Int64((r * Float(sign: .plus, exponent: shift, significand: 1)).rounded(.toNearestOrEven)) }
        let ma = multiplier(ra), mb = multiplier(rb)
        let shiftA: Int32 = a.type == .int8 ? 128 : 0, shiftB: Int32 = b.type == .int8 ? 128 : 0
        let outShift: Int32 = out.type == .int8 ? 128 : 0
        // Stored value = byte - shift: the shifts fold into the bias with the zero points.
        let bias = (Int64(1) << (shift - 1)) - ma * (Int64(qa.zeroPoints[0]) + Int64(shiftA))
            - mb * (Int64(qb.zeroPoints[0]) + Int64(shiftB))
        let (lo, hi) = quantizedRange(activation, out)
        let zo = Int64(qo.zeroPoints[0]) + Int64(outShift)
        let minByte = Int64(lo) + Int64(outShift), maxByte = Int64(hi) + Int64(outShift)
        let count = out.elementCount, s = Int64(shift)
        return { values in
            let x = kernelBytes(values[0], shift: shiftA), y = kernelBytes(values[1], shift: shiftB)
            // The interpreter's shape checks guarantee these; the loops below do not check.
            precondition(x.count >= count && y.count >= count, "ADD: input shorter than its tensor")
            let r = [UInt8](unsafeUninitializedCapacity: count) { dst, n in
                x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in
                    for i in 0..<count {
                        let acc = bias &+ Int64(xp[i]) &* ma &+ Int64(yp[i]) &* mb
                        dst[i] = UInt8(truncatingIfNeeded: min(max((acc >> s) &+ zo, minByte), maxByte))
                    }
                } }
                n = count
            }
            return .bytes(r, offset: outShift)
        }
    }

    /// XNNPACK's int8 average pool on kernel-domain bytes: the window's sum less its zero
    /// points, times one float scale per window size, ties to even (the interpreter's
    /// `.xnnpack` form); nil without usable scales.
    static func int8AveragePool(_ x: Tensor, _ out: Tensor, _ w: WindowOptions) -> (([ReferenceValue]) -> ReferenceValue)? {
        guard let qx = x.quantization, let qo = out.quantization, qx.scales[0] > 0, qo.scales[0] > 0 else { return nil }
        let (N, H, W, C) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oH, oW) = (out.shape[1], out.shape[2])
        func before(_ input: Int, _ output: Int, _ k: Int, _ s: Int) -> Int {
            w.padding == .same ? max((output - 1) * s + k - input, 0) / 2 : 0
        }
        let padT = before(H, oH, w.filterH, w.strideH), padL = before(W, oW, w.filterW, w.strideW)
        let inShift: Int32 = x.type == .int8 ? 128 : 0, outShift: Int32 = out.type == .int8 ? 128 : 0
        let zi = Int32(qx.zeroPoints[0]), zo = Int32(qo.zeroPoints[0])
        let sx = qx.scales[0], so = qo.scales[0]
        let (lo, hi) = quantizedRange(w.activation, out)
        let count = N * oH * oW * C
        return { values in
            let v = kernelBytes(values[0], shift: inShift)
            precondition(v.count >= N * H * W * C, "AVERAGE_POOL_2D: input shorter than its tensor")
            var sums = [Int32](repeating: 0, count: C)
            let r = [UInt8](unsafeUninitializedCapacity: count) { d, n in
                v.withUnsafeBufferPointer { src in sums.withUnsafeMutableBufferPointer { acc in
                    for image in 0..<N { for oy in 0..<oH { for ox in 0..<oW {
                        for c in 0..<C { acc[c] = 0 }
                        var pixels: Int32 = 0
                        for ky in 0..<w.filterH {
                            let iy = oy * w.strideH - padT + ky
                            if iy < 0 || iy >= H { continue }
                            for kx in 0..<w.filterW {
                                let ix = ox * w.strideW - padL + kx
                                if ix < 0 || ix >= W { continue }
                                let p = src.baseAddress! + ((image * H + iy) * W + ix) * C
                                for c in 0..<C { acc[c] &+= Int32(p[c]) }
                                pixels += 1
                            }
                        }
                        // Stored values are bytes - inShift: the shift folds into the zero point.
                        let offset = pixels * (zi + inShift)
                        let scale = sx / (so * Float(pixels))
                        let o = ((image * oH + oy) * oW + ox) * C
                        for c in 0..<C {
                            let q = zo + saturatingInt32((Float(acc[c] - offset) * scale).rounded(.toNearestOrEven))
                            d[o + c] = UInt8(truncatingIfNeeded: min(max(q, lo), hi) + outShift)
                        }
                    } } }
                } }
                n = count
            }
            return .bytes(r, offset: outShift)
        }
    }

    /// QUANTIZE between int8 and uint8 at one scale: only the zero point moves, so in the
    /// kernels' domain it is a byte offset (none at all for uint8 → int8 with zero point - 128).
    static func int8Requantize(_ x: Tensor, _ out: Tensor) -> ([ReferenceValue]) -> ReferenceValue {
        let inShift: Int32 = x.type == .int8 ? 128 : 0, outShift: Int32 = out.type == .int8 ? 128 : 0
        let (lo, hi): (Int32, Int32) = out.type == .int8 ? (-128, 127) : (0, 255)
        let delta = Int32(out.quantization!.zeroPoints[0]) - Int32(x.quantization!.zeroPoints[0]) + outShift - inShift
        let minByte = lo + outShift, maxByte = hi + outShift
        return { values in
            let b = kernelBytes(values[0], shift: inShift)
            if delta == 0 { return .bytes(b, offset: outShift) }
            return .bytes(b.map { UInt8(truncatingIfNeeded: min(max(Int32($0) &+ delta, minByte), maxByte)) }, offset: outShift)
        }
    }

    /// fp32 CONCATENATION as one block copy per input per outer index.
    static func floatConcatenation(_ parts: [Tensor], _ out: Tensor, axis rawAxis: Int, activation: FusedActivation) -> ([ReferenceValue]) -> ReferenceValue {
        let axis = rawAxis < 0 ? rawAxis + out.shape.count : rawAxis
        let outer = out.shape[..<axis].reduce(1, *), inner = out.shape[(axis + 1)...].reduce(1, *)
        let blocks = parts.map { $0.shape[axis] * inner }
        let (lo, hi) = floatRange(activation)
        let clamps = lo > -.infinity || hi < .infinity
        let count = out.elementCount
        return { values in
            let inputs = values.map(\.floats)
            precondition(zip(inputs, blocks).allSatisfy { $0.count >= outer * $1 }, "CONCATENATION: input shorter than its tensor")
            return .float([Float](unsafeUninitializedCapacity: count) { d, n in
                var o = 0
                for outerIndex in 0..<outer {
                    for (k, block) in blocks.enumerated() {
                        inputs[k].withUnsafeBufferPointer { src in
                            let s = src.baseAddress! + outerIndex * block
                            if clamps {
                                for i in 0..<block { d[o + i] = min(max(s[i], lo), hi) }
                            } else {
                                (d.baseAddress! + o).update(from: s, count: block)
                            }
                        }
                        o += block
                    }
                }
                n = count
            })
        }
    }

    /// fp32 AVERAGE_POOL_2D summing whole channel vectors, pixel by pixel in the reference's
    /// window order, so each channel's sum is the reference's bit for bit.
    static func floatAveragePool(_ x: Tensor, _ out: Tensor, _ w: WindowOptions) -> ([ReferenceValue]) -> ReferenceValue {
        let (N, H, W, C) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oH, oW) = (out.shape[1], out.shape[2])
        func before(_ input: Int, _ output: Int, _ k: Int, _ s: Int) -> Int {
            w.padding == .same ? max((output - 1) * s + k - input, 0) / 2 : 0
        }
        let padT = before(H, oH, w.filterH, w.strideH), padL = before(W, oW, w.filterW, w.strideW)
        let (lo, hi) = floatRange(w.activation)
        let count = N * oH * oW * C
        return { values in
            let v = values[0].floats
            precondition(v.count >= N * H * W * C, "AVERAGE_POOL_2D: input shorter than its tensor")
            return .float([Float](unsafeUninitializedCapacity: count) { d, n in
                v.withUnsafeBufferPointer { src in
                    for image in 0..<N { for oy in 0..<oH { for ox in 0..<oW {
                        let acc = d.baseAddress! + ((image * oH + oy) * oW + ox) * C
                        acc.initialize(repeating: 0, count: C)
                        var pixels = 0
                        for ky in 0..<w.filterH {
                            let iy = oy * w.strideH - padT + ky
                            if iy < 0 || iy >= H { continue }
                            for kx in 0..<w.filterW {
                                let ix = ox * w.strideW - padL + kx
                                if ix < 0 || ix >= W { continue }
                                let p = src.baseAddress! + ((image * H + iy) * W + ix) * C
                                for c in 0..<C { acc[c] += p[c] }
                                pixels += 1
                            }
                        }
                        let divisor = Float(pixels)
                        for c in 0..<C { acc[c] = min(max(acc[c] / divisor, lo), hi) }
                    } } }
                }
                n = count
            })
        }
    }

    /// A value as kernel-domain bytes (stored value + `shift`), converting only what a
    /// reference loop left widened.
    static func kernelBytes(_ v: ReferenceValue, shift: Int32) -> [UInt8] {
        if case .bytes(let b, let offset) = v, offset == shift { return b }
        let ints = v.ints
        return ints.map { UInt8(truncatingIfNeeded: $0 &+ shift) }
    }

    /// fp32 RESIZE_BILINEAR as two passes over contiguous rows (the reference's taps and weights).
    static func floatResizeBilinear(_ x: Tensor, _ out: Tensor, alignCorners: Bool, halfPixel: Bool) -> ([ReferenceValue]) -> ReferenceValue {
        let (N, H, W, C) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oH, oW) = (out.shape[1], out.shape[2])
        func scaleOf(_ i: Int, _ o: Int) -> Float { alignCorners && o > 1 ? Float(i - 1) / Float(o - 1) : Float(i) / Float(o) }
        func interp(_ v: Int, _ s: Float, _ size: Int) -> (Float, Int, Int) {
            let f = halfPixel ? (Float(v) + 0.5) * s - 0.5 : Float(v) * s
            return (f, max(Int(f.rounded(.down)), 0), min(Int(f.rounded(.up)), size - 1))
        }
        let hs = scaleOf(H, oH), ws = scaleOf(W, oW)
        let columns = (0..<oW).map { interp($0, ws, W) }
        let rows = (0..<oH).map { interp($0, hs, H) }
        let rowLength = oW * C
        return { values in
            let src = values[0].floats
            precondition(src.count >= N * H * W * C, "RESIZE_BILINEAR: input shorter than its tensor")
            // Every input row interpolated along x once: H rows of oW * C.
            var horizontal = [Float](repeating: 0, count: H * rowLength)
            let r = [Float](unsafeUninitializedCapacity: N * oH * rowLength) { dst, n in
                src.withUnsafeBufferPointer { s in horizontal.withUnsafeMutableBufferPointer { h in
                    for image in 0..<N {
                        let base = image * H * W * C
                        for iy in 0..<H {
                            let row = base + iy * W * C
                            for (ox, (fx, x0, x1)) in columns.enumerated() {
                                let dx = fx - Float(x0)
                                let p0 = row + x0 * C, p1 = row + x1 * C, d = iy * rowLength + ox * C
                                for c in 0..<C { h[d + c] = s[p0 + c] * (1 - dx) + s[p1 + c] * dx }
                            }
                        }
                        for (oy, (fy, y0, y1)) in rows.enumerated() {
                            let dy = fy - Float(y0)
                            let a = h.baseAddress! + y0 * rowLength, b = h.baseAddress! + y1 * rowLength
                            let d = dst.baseAddress! + (image * oH + oy) * rowLength
                            for i in 0..<rowLength { d[i] = a[i] * (1 - dy) + b[i] * dy }
                        }
                    }
                } }
                n = N * oH * rowLength
            }
            return .float(r)
        }
    }
}
