extension ReferenceInterpreter {
    /// One requantizer per output channel, in the interpreter's chosen arithmetic.
    struct Requantizer {
        let fixed: [QuantizedMultiplier]
        let float: [Float]
        let mode: Requantization
        let zeroPoint: Int32
        let lo: Int32, hi: Int32

        @inline(__always)
        func apply(_ acc: Int32, channel c: Int) -> Int32 {
            let v: Int32
            switch mode {
            case .tflite: v = fixed[c].apply(acc) + zeroPoint
            case .xnnpack:
                // XNNPACK clamps in float before rounding; for in-range values the order does not matter.
                let f = (Float(acc) * float[c]).rounded(.toNearestOrEven)
                v = Int32(max(min(f, 1e9), -1e9)) + zeroPoint
            }
            return min(max(v, lo), hi)
        }
    }

    func requantizer(input: Tensor, weights: Tensor, output: Tensor, channels: Int, activation: FusedActivation) -> Requantizer {
        let ws = weights.quantization?.scales ?? [1]
        let si = scale(input), so = scale(output)
        let perChannel = (0..<channels).map { ws.count == 1 ? ws[0] : ws[$0] }
        let (lo, hi) = activationRange(activation, output)
        return Requantizer(fixed: perChannel.map { QuantizedMultiplier(Double(si) * Double($0) / Double(so)) },
                           float: perChannel.map { si * $0 / so },
                           mode: requantization, zeroPoint: zeroPoint(output), lo: lo, hi: hi)
    }

    /// CONV_2D and DEPTHWISE_CONV_2D, NHWC, batch 1. Conv weights are OHWI and are
    /// transposed once to [kH][kW][I][O] so the innermost loop runs over output channels.
    func convolution(_ op: Operator, index: Int, depthwise: Bool) -> ReferenceValue {
        guard case .window(let w) = op.options else { fatalError("checked at init") }
        let x = tensor(op, 0), wt = tensor(op, 1), out = output(op)
        let (H, W, C) = (x.shape[1], x.shape[2], x.shape[3])
        let (kH, kW) = (wt.shape[1], wt.shape[2])
        let (oH, oW, O) = (out.shape[1], out.shape[2], out.shape[3])
        let groupC = depthwise ? 1 : wt.shape[3]
        let padT = padBefore(w.padding, input: H, output: oH, kernel: kH, stride: w.strideH, dilation: w.dilationH)
        let padL = padBefore(w.padding, input: W, output: oW, kernel: kW, stride: w.strideW, dilation: w.dilationW)
        let hasBias = op.inputs.count > 2 && op.inputs[2] >= 0
        let mult = depthwise ? O / C : 1

        if x.type == .float32 {
            let input = values[op.inputs[0]]!.floats
            let wts: [Float]
            if let p = preparedFloat[index] { wts = p } else {
                let raw = values[op.inputs[1]]!.floats
                wts = depthwise ? raw : transpose(raw, O: O, taps: kH * kW, I: groupC)
                preparedFloat[index] = wts
            }
            let bias = hasBias ? values[op.inputs[2]]!.floats : [Float](repeating: 0, count: O)
            let (lo, hi) = activationRange(w.activation)
            var result = [Float](repeating: 0, count: oH * oW * O)
            var acc = [Float](repeating: 0, count: O)
            for oy in 0..<oH {
                for ox in 0..<oW {
                    for o in 0..<O { acc[o] = bias[o] }
                    for ky in 0..<kH {
                        let iy = oy * w.strideH - padT + ky * w.dilationH
                        if iy < 0 || iy >= H { continue }
                        for kx in 0..<kW {
                            let ix = ox * w.strideW - padL + kx * w.dilationW
                            if ix < 0 || ix >= W { continue }
                            let px = (iy * W + ix) * C, tap = ky * kW + kx
                            if depthwise {
                                for o in 0..<O { acc[o] += input[px + o / mult] * wts[tap * O + o] }
                            } else {
                                for i in 0..<C {
                                    let v = input[px + i], base = (tap * C + i) * O
                                    for o in 0..<O { acc[o] += v * wts[base + o] }
                                }
                            }
                        }
                    }
                    let dst = (oy * oW + ox) * O
                    for o in 0..<O { result[dst + o] = min(max(acc[o], lo), hi) }
                }
            }
            return .float(result)
        }

        let input = values[op.inputs[0]]!.ints
        let wts: [Int32]
        if let p = prepared[index] { wts = p } else {
            let raw = values[op.inputs[1]]!.ints
            wts = depthwise ? raw : transpose(raw, O: O, taps: kH * kW, I: groupC)
            prepared[index] = wts
        }
        let bias = hasBias ? values[op.inputs[2]]!.ints : [Int32](repeating: 0, count: O)
        let zIn = zeroPoint(x)
        let rq = requantizer(input: x, weights: wt, output: out, channels: O, activation: w.activation)
        var result = [Int32](repeating: 0, count: oH * oW * O)
        var acc = [Int32](repeating: 0, count: O)
        for oy in 0..<oH {
            for ox in 0..<oW {
                for o in 0..<O { acc[o] = bias[o] }
                for ky in 0..<kH {
                    let iy = oy * w.strideH - padT + ky * w.dilationH
                    if iy < 0 || iy >= H { continue }
                    for kx in 0..<kW {
                        let ix = ox * w.strideW - padL + kx * w.dilationW
                        if ix < 0 || ix >= W { continue }
                        let px = (iy * W + ix) * C, tap = ky * kW + kx
                        if depthwise {
                            for o in 0..<O { acc[o] &+= (input[px + o / mult] - zIn) &* wts[tap * O + o] }
                        } else {
                            for i in 0..<C {
                                let v = input[px + i] - zIn
                                if v == 0 { continue }
                                let base = (tap * C + i) * O
                                for o in 0..<O { acc[o] &+= v &* wts[base + o] }
                            }
                        }
                    }
                }
                let dst = (oy * oW + ox) * O
                for o in 0..<O { result[dst + o] = rq.apply(acc[o], channel: o) }
            }
        }
        return .int(result)
    }

    /// FULLY_CONNECTED: rows of K inputs against [O][K] weights.
    func fullyConnected(_ op: Operator, index: Int) -> ReferenceValue {
        let x = tensor(op, 0), wt = tensor(op, 1), out = output(op)
        let (O, K) = (wt.shape[0], wt.shape[1])
        let rows = x.elementCount / K
        let hasBias = op.inputs.count > 2 && op.inputs[2] >= 0
        let activation = op.options.activation
        if x.type == .float32 {
            let input = values[op.inputs[0]]!.floats, w = values[op.inputs[1]]!.floats
            let bias = hasBias ? values[op.inputs[2]]!.floats : [Float](repeating: 0, count: O)
            let (lo, hi) = activationRange(activation)
            var result = [Float](repeating: 0, count: rows * O)
            for r in 0..<rows {
                for o in 0..<O {
                    var acc = bias[o]
                    for k in 0..<K { acc += input[r * K + k] * w[o * K + k] }
                    result[r * O + o] = min(max(acc, lo), hi)
                }
            }
            return .float(result)
        }
        let input = values[op.inputs[0]]!.ints, w = values[op.inputs[1]]!.ints
        let bias = hasBias ? values[op.inputs[2]]!.ints : [Int32](repeating: 0, count: O)
        let zIn = zeroPoint(x), zW = zeroPoint(wt)
        let rq = requantizer(input: x, weights: wt, output: out, channels: O, activation: activation)
        var result = [Int32](repeating: 0, count: rows * O)
        for r in 0..<rows {
            for o in 0..<O {
                var acc = bias[o]
                for k in 0..<K { acc &+= (input[r * K + k] - zIn) &* (w[o * K + k] - zW) }
                result[r * O + o] = rq.apply(acc, channel: o)
            }
        }
        return .int(result)
    }

    /// OHWI → [taps][I][O].
    func transpose<T>(_ w: [T], O: Int, taps: Int, I: Int) -> [T] {
        var out = w
        for o in 0..<O {
            for t in 0..<taps {
                for i in 0..<I { out[(t * I + i) * O + o] = w[(o * taps + t) * I + i] }
            }
        }
        return out
    }
}
