import Foundation

extension ReferenceInterpreter {
    /// ADD with numpy broadcasting. int8 follows TFLite's reference kernel: both inputs are
    /// shifted left by 20 bits, rescaled to twice the larger input scale, summed, rescaled to
    /// the output, each step with TFLite's fixed-point multiply.
    func add(_ op: Operator) -> ReferenceValue {
        let a = tensor(op, 0), b = tensor(op, 1), out = output(op)
        // Element by element only when nothing is broadcast: equal input shapes may still be
        // spread over a larger output (two scalars into [1,4]).
        let index = Self.sameElements(a, b, out) ? (0..<out.elementCount).map { ($0, $0) } : broadcastIndex(a.shape, b.shape, out.shape)
        if out.type == .float32 {
            let x = values[op.inputs[0]]!.floats, y = values[op.inputs[1]]!.floats
            let (lo, hi) = activationRange(op.options.activation)
            return .float(index.map { min(max(x[$0.0] + y[$0.1], lo), hi) })
        }
        let x = values[op.inputs[0]]!.ints, y = values[op.inputs[1]]!.ints
        if requantization == .xnnpack { return .int(addXNNPACK(op, index: index, x: x, y: y)) }
        let sa = Double(scale(a)), sb = Double(scale(b)), so = Double(scale(out))
        let leftShift = 20
        let twiceMax = 2 * max(sa, sb)
        let ma = QuantizedMultiplier(sa / twiceMax), mb = QuantizedMultiplier(sb / twiceMax)
        let mo = QuantizedMultiplier(twiceMax / (Double(1 << leftShift) * so))
        let za = zeroPoint(a), zb = zeroPoint(b), zo = zeroPoint(out)
        let (lo, hi) = activationRange(op.options.activation, out)
        return .int(index.map { (i, j) in
            let sx = ma.apply((x[i] - za) << leftShift)
            let sy = mb.apply((y[j] - zb) << leftShift)
            return min(max(mo.apply(sx &+ sy) + zo, lo), hi)
        })
    }

    /// True when both inputs hold exactly the output's elements in its order (no broadcast).
    static func sameElements(_ a: Tensor, _ b: Tensor, _ out: Tensor) -> Bool {
        a.shape == b.shape && a.elementCount == out.elementCount
    }

    /// XNNPACK's int8 add: both inputs scaled to the output by integer multipliers with
    /// 20 bits below the larger one's leading bit, summed with a bias that folds in the zero
    /// points and a rounding half, then one arithmetic shift (ties round up).
    func addXNNPACK(_ op: Operator, index: [(Int, Int)], x: [Int32], y: [Int32]) -> [Int32] {
        let a = tensor(op, 0), b = tensor(op, 1), out = output(op)
        let ra = scale(a) / scale(out), rb = scale(b) / scale(out)
        let exponent = Int((max(ra, rb).bitPattern >> 23) & 0xFF) - 127
        let shift = 20 - exponent
        func multiplier(_ r: Float) -> Int64 { Int64((r * Float(sign: .plus, exponent: shift, significand: 1)).rounded(.toNearestOrEven)) }
        let ma = multiplier(ra), mb = multiplier(rb)
        let bias = (Int64(1) << (shift - 1)) - ma * Int64(zeroPoint(a)) - mb * Int64(zeroPoint(b))
        let zo = zeroPoint(out)
        let (lo, hi) = activationRange(op.options.activation, out)
        if Self.sameElements(a, b, out) {
            var r = [Int32](repeating: 0, count: x.count)
            for i in 0..<x.count {
                let acc = bias + Int64(x[i]) * ma + Int64(y[i]) * mb
                r[i] = min(max(Int32(truncatingIfNeeded: acc >> Int64(shift)) + zo, lo), hi)
            }
            return r
        }
        return index.map { (i, j) in
            let acc = bias + Int64(x[i]) * ma + Int64(y[j]) * mb
            let v = Int32(truncatingIfNeeded: acc >> Int64(shift)) + zo
            return min(max(v, lo), hi)
        }
    }

    /// For each output element, the flat indices of the two inputs (numpy broadcasting).
    func broadcastIndex(_ a: [Int], _ b: [Int], _ out: [Int]) -> [(Int, Int)] {
        let n = out.count
        func padded(_ s: [Int]) -> [Int] { Array(repeating: 1, count: n - s.count) + s }
        let pa = padded(a), pb = padded(b)
        func strides(_ s: [Int]) -> [Int] {
            var st = Array(repeating: 0, count: n), acc = 1
            for d in stride(from: n - 1, through: 0, by: -1) { st[d] = s[d] == 1 ? 0 : acc; acc *= s[d] }
            return st
        }
        let sa = strides(pa), sb = strides(pb)
        let total = out.reduce(1, *)
        var result = [(Int, Int)](); result.reserveCapacity(total)
        var coord = Array(repeating: 0, count: n)
        for _ in 0..<total {
            var i = 0, j = 0
            for d in 0..<n { i += coord[d] * sa[d]; j += coord[d] * sb[d] }
            result.append((i, j))
            var d = n - 1
            while d >= 0 { coord[d] += 1; if coord[d] < out[d] { break }; coord[d] = 0; d -= 1 }
        }
        return result
    }

    /// AVERAGE_POOL_2D and MAX_POOL_2D over the in-bounds part of each window. int8 average:
    /// TFLite's integer mean, rounded half away from zero.
    func pool(_ op: Operator) -> ReferenceValue {
        guard case .window(let w) = op.options else { fatalError("checked at init") }
        let x = tensor(op, 0), out = output(op)
        let (H, W, C) = (x.shape[1], x.shape[2], x.shape[3])
        let (oH, oW) = (out.shape[1], out.shape[2])
        let padT = padBefore(w.padding, input: H, output: oH, kernel: w.filterH, stride: w.strideH, dilation: 1)
        let padL = padBefore(w.padding, input: W, output: oW, kernel: w.filterW, stride: w.strideW, dilation: 1)
        let isMax = op.builtin == .maxPool2D
        func window(_ oy: Int, _ ox: Int) -> [Int] {
            var px: [Int] = []
            for ky in 0..<w.filterH {
                let iy = oy * w.strideH - padT + ky
                if iy < 0 || iy >= H { continue }
                for kx in 0..<w.filterW {
                    let ix = ox * w.strideW - padL + kx
                    if ix >= 0 && ix < W { px.append((iy * W + ix) * C) }
                }
            }
            return px
        }
        if x.type == .float32 {
            let v = values[op.inputs[0]]!.floats
            let (lo, hi) = activationRange(w.activation)
            var r = [Float](repeating: 0, count: oH * oW * C)
            for oy in 0..<oH { for ox in 0..<oW {
                let px = window(oy, ox)
                for c in 0..<C {
                    var acc: Float = isMax ? -.infinity : 0
                    for p in px { acc = isMax ? max(acc, v[p + c]) : acc + v[p + c] }
                    if !isMax { acc /= Float(px.count) }
                    r[(oy * oW + ox) * C + c] = min(max(acc, lo), hi)
                }
            } }
            return .float(r)
        }
        let v = values[op.inputs[0]]!.ints
        let (lo, hi) = activationRange(w.activation, out)
        let sameQuantization = scale(x) == scale(out) && zeroPoint(x) == zeroPoint(out)
        let zi = zeroPoint(x), zo = zeroPoint(out), ratio = scale(x) / scale(out)
        var r = [Int32](repeating: 0, count: oH * oW * C)
        for oy in 0..<oH { for ox in 0..<oW {
            let px = window(oy, ox)
            let n = Int32(px.count)
            for c in 0..<C {
                var q: Int32
                if isMax {
                    q = .min
                    for p in px { q = max(q, v[p + c]) }
                } else {
                    var sum: Int32 = 0
                    for p in px { sum += v[p + c] }
                    q = sum > 0 ? (sum + n / 2) / n : (sum - n / 2) / n
                }
                if requantization == .xnnpack && !isMax {
                    // XNNPACK's average pool: the sum less n zero points, times one float scale, ties to even.
                    var sum: Int32 = 0
                    for p in px { sum += v[p + c] }
                    let acc = sum - n * zi
                    q = zo + saturatingInt32((Float(acc) * (scale(x) / (scale(out) * Float(n)))).rounded(.toNearestOrEven))
                } else if !sameQuantization {
                    q = zo + saturatingInt32((Float(q - zi) * ratio).rounded(.toNearestOrEven))
                }
                r[(oy * oW + ox) * C + c] = min(max(q, lo), hi)
            }
        } }
        return .int(r)
    }

    /// MEAN over the axes in input 1, computed in real numbers and requantized.
    func mean(_ op: Operator) -> ReferenceValue {
        let x = tensor(op, 0), out = output(op)
        let axes = Set(values[op.inputs[1]]!.ints.map { Int($0) < 0 ? Int($0) + x.shape.count : Int($0) })
        let kept = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let total = x.elementCount, outCount = kept.reduce(1, *)
        var sums = [Double](repeating: 0, count: outCount)
        let isFloat = x.type == .float32
        let fv = isFloat ? values[op.inputs[0]]!.floats : []
        let iv = isFloat ? [] : values[op.inputs[0]]!.ints
        var coord = Array(repeating: 0, count: x.shape.count)
        for e in 0..<total {
            var o = 0
            for d in 0..<x.shape.count { o = o * kept[d] + (axes.contains(d) ? 0 : coord[d]) }
            sums[o] += isFloat ? Double(fv[e]) : Double(iv[e] - zeroPoint(x)) * Double(scale(x))
            var d = x.shape.count - 1
            while d >= 0 { coord[d] += 1; if coord[d] < x.shape[d] { break }; coord[d] = 0; d -= 1 }
        }
        let n = Double(total / max(outCount, 1))
        if out.type == .float32 { return .float(sums.map { Float($0 / n) }) }
        let (lo, hi) = typeRange(out)
        return .int(sums.map { min(max(zeroPoint(out) + saturatingInt32(Float(($0 / n / Double(scale(out))).rounded(.toNearestOrAwayFromZero))), lo), hi) })
    }

    /// SOFTMAX over the last dimension, in real numbers (int8 requantized at the end).
    func softmax(_ op: Operator) -> ReferenceValue {
        guard case .softmax(let beta) = op.options else { fatalError("checked at init") }
        let x = tensor(op, 0), out = output(op)
        let depth = x.shape.last ?? 1
        let real: [Float] = x.type == .float32 ? values[op.inputs[0]]!.floats
            : values[op.inputs[0]]!.ints.map { Float($0 - zeroPoint(x)) * scale(x) }
        var r = [Float](repeating: 0, count: real.count)
        for row in 0..<(real.count / depth) {
            let s = row * depth
            let m = real[s..<(s + depth)].max() ?? 0
            var sum: Float = 0
            for i in s..<(s + depth) { r[i] = Foundation.exp((real[i] - m) * beta); sum += r[i] }
            for i in s..<(s + depth) { r[i] /= sum }
        }
        if out.type == .float32 { return .float(r) }
        let (lo, hi) = typeRange(out)
        return .int(r.map { min(max(zeroPoint(out) + saturatingInt32(($0 / scale(out)).rounded(.toNearestOrAwayFromZero)), lo), hi) })
    }

    /// QUANTIZE (float→int, or int→int requantization) and DEQUANTIZE (int→float).
    func quantize(_ op: Operator) -> ReferenceValue {
        let x = tensor(op, 0), out = output(op)
        if out.type == .float32 {
            return .float(values[op.inputs[0]]!.ints.map { Float($0 - zeroPoint(x)) * scale(x) })
        }
        let (lo, hi) = typeRange(out)
        let zo = zeroPoint(out), so = scale(out)
        if x.type == .float32 {
            return .int(values[op.inputs[0]]!.floats.map { min(max(zo + saturatingInt32(($0 / so).rounded(.toNearestOrAwayFromZero)), lo), hi) })
        }
        let zi = zeroPoint(x)
        if scale(x) == so {
            return .int(values[op.inputs[0]]!.ints.map { min(max($0 - zi + zo, lo), hi) })
        }
        let m = QuantizedMultiplier(Double(scale(x)) / Double(so))
        return .int(values[op.inputs[0]]!.ints.map { min(max(m.apply($0 - zi) + zo, lo), hi) })
    }

    /// CONCATENATION along `axis`; int inputs with other quantization are requantized.
    func concatenation(_ op: Operator) -> ReferenceValue {
        guard case .concatenation(let rawAxis, let activation) = op.options else { fatalError("checked at init") }
        let out = output(op)
        let axis = rawAxis < 0 ? rawAxis + out.shape.count : rawAxis
        let outer = out.shape[..<axis].reduce(1, *)
        let inner = out.shape[(axis + 1)...].reduce(1, *)
        let parts = op.inputs.map { graph.tensors[$0] }
        if out.type == .float32 {
            let (lo, hi) = activationRange(activation)
            var r: [Float] = []; r.reserveCapacity(out.elementCount)
            for o in 0..<outer {
                for (k, t) in parts.enumerated() {
                    let v = values[op.inputs[k]]!.floats, n = t.shape[axis] * inner
                    r += v[(o * n)..<(o * n + n)].map { min(max($0, lo), hi) }
                }
            }
            return .float(r)
        }
        let (lo, hi) = activationRange(activation, out)
        var r: [Int32] = []; r.reserveCapacity(out.elementCount)
        for o in 0..<outer {
            for (k, t) in parts.enumerated() {
                let v = values[op.inputs[k]]!.ints, n = t.shape[axis] * inner
                let same = scale(t) == scale(out) && zeroPoint(t) == zeroPoint(out)
                let ratio = scale(t) / scale(out), zi = zeroPoint(t), zo = zeroPoint(out)
                r += v[(o * n)..<(o * n + n)].map { q in
                    let y = same ? q : zo + saturatingInt32((Float(q - zi) * ratio).rounded(.toNearestOrAwayFromZero))
                    return min(max(y, lo), hi)
                }
            }
        }
        return .int(r)
    }

    /// PAD with zeros (the zero point for int tensors); paddings are input 1, [rank][2].
    func pad(_ op: Operator) -> ReferenceValue {
        let x = tensor(op, 0), out = output(op)
        let p = values[op.inputs[1]]!.ints.map(Int.init)
        let rank = x.shape.count
        var coord = Array(repeating: 0, count: rank)
        func outIndex() -> Int {
            var o = 0
            for d in 0..<rank { o = o * out.shape[d] + coord[d] + p[2 * d] }
            return o
        }
        if x.type == .float32 {
            let v = values[op.inputs[0]]!.floats
            var r = [Float](repeating: 0, count: out.elementCount)
            for e in 0..<v.count {
                r[outIndex()] = v[e]
                var d = rank - 1
                while d >= 0 { coord[d] += 1; if coord[d] < x.shape[d] { break }; coord[d] = 0; d -= 1 }
            }
            return .float(r)
        }
        let v = values[op.inputs[0]]!.ints
        var r = [Int32](repeating: zeroPoint(out), count: out.elementCount)
        for e in 0..<v.count {
            r[outIndex()] = v[e]
            var d = rank - 1
            while d >= 0 { coord[d] += 1; if coord[d] < x.shape[d] { break }; coord[d] = 0; d -= 1 }
        }
        return .int(r)
    }

    /// RESIZE_BILINEAR as TFLite's reference kernel computes it (float scales, the lower
    /// index clamped at 0 and the upper at the last row or column).
    func resizeBilinear(_ op: Operator) -> ReferenceValue {
        guard case .resizeBilinear(let alignCorners, let halfPixel) = op.options else { fatalError("checked at init") }
        let x = tensor(op, 0), out = output(op)
        let (H, W, C) = (x.shape[1], x.shape[2], x.shape[3])
        let (oH, oW) = (out.shape[1], out.shape[2])
        func scaleOf(_ i: Int, _ o: Int) -> Float {
            alignCorners && o > 1 ? Float(i - 1) / Float(o - 1) : Float(i) / Float(o)
        }
        let hs = scaleOf(H, oH), wsc = scaleOf(W, oW)
        func interp(_ v: Int, _ s: Float, _ size: Int) -> (Float, Int, Int) {
            let f = halfPixel ? (Float(v) + 0.5) * s - 0.5 : Float(v) * s
            return (f, max(Int(f.rounded(.down)), 0), min(Int(f.rounded(.up)), size - 1))
        }
        let real: [Float] = x.type == .float32 ? values[op.inputs[0]]!.floats
            : values[op.inputs[0]]!.ints.map(Float.init)
        // Column taps and weights are the same for every row: computed once.
        let columns = (0..<oW).map { interp($0, wsc, W) }
        var r = [Float](repeating: 0, count: oH * oW * C)
        real.withUnsafeBufferPointer { src in
            r.withUnsafeMutableBufferPointer { dst in
                for oy in 0..<oH {
                    let (fy, y0, y1) = interp(oy, hs, H)
                    let dy = fy - Float(y0)
                    let row0 = y0 * W, row1 = y1 * W
                    for ox in 0..<oW {
                        let (fx, x0, x1) = columns[ox]
                        let dx = fx - Float(x0)
                        let w00 = (1 - dy) * (1 - dx), w10 = dy * (1 - dx), w01 = (1 - dy) * dx, w11 = dy * dx
                        let p00 = (row0 + x0) * C, p10 = (row1 + x0) * C, p01 = (row0 + x1) * C, p11 = (row1 + x1) * C
                        let d = (oy * oW + ox) * C
                        for c in 0..<C {
                            dst[d + c] = src[p00 + c] * w00 + src[p10 + c] * w10 + src[p01 + c] * w01 + src[p11 + c] * w11
                        }
                    }
                }
            }
        }
        if out.type == .float32 { return .float(r) }
        let (lo, hi) = typeRange(out)
        return .int(r.map { min(max(saturatingInt32($0.rounded(.toNearestOrAwayFromZero)), lo), hi) })
    }
}
