extension ReferenceInterpreter {
    /// Checks that every operator's tensors fit together before anything runs: inputs exist
    /// when the operator runs, types suit it, and shapes agree with the operator's geometry.
    /// The loops index arrays by these shapes, so a file whose shapes disagree must be
    /// refused here, naming the operator, rather than trap on an index in the middle of a run.
    func validate() throws {
        // Quantized activations: a usable scale and a zero point inside their type.
        for (i, t) in graph.tensors.enumerated() where t.type == .int8 || t.type == .uint8 {
            guard let q = t.quantization else { continue }
            let range: ClosedRange<Int64> = t.type == .int8 ? -128...127 : 0...255
            guard q.zeroPoints.allSatisfy({ range.contains($0) }) else {
                throw TFLiteError(file: model.file, context: "tensor \(i) (\(t.name))", "zero point outside \(t.type)'s range")
            }
            if model.data(of: t) == nil, !(q.scales[0].isNormal && q.scales[0] > 0) {
                throw TFLiteError(file: model.file, context: "tensor \(i) (\(t.name))", "activation scale \(q.scales[0]) is not a positive number")
            }
        }
        var available = Set(graph.inputs)
        for (i, t) in graph.tensors.enumerated() where model.data(of: t) != nil { available.insert(i) }
        for (index, op) in graph.operators.enumerated() {
            let context = "operator \(index) (\(op.builtin))"
            func fail(_ problem: String) -> TFLiteError { TFLiteError(file: model.file, context: context, problem) }
            for i in op.inputs where i >= 0 && !available.contains(i) {
                throw fail("input tensor \(i) is neither constant nor computed by an earlier operator")
            }
            guard op.outputs.count == 1 else { throw fail("\(op.outputs.count) outputs; one is supported") }
            try validateShapes(op, fail: fail)
            available.insert(op.outputs[0])
        }
        for o in graph.outputs where !available.contains(o) {
            throw TFLiteError(file: model.file, "output tensor \(o) is never computed")
        }
    }

    private func validateShapes(_ op: Operator, fail: (String) -> TFLiteError) throws {
        let ins = op.inputs.map { $0 >= 0 ? graph.tensors[$0] : nil }
        let out = output(op)
        func input(_ k: Int) throws -> Tensor {
            guard k < ins.count, let t = ins[k] else { throw fail("input \(k) is missing") }
            return t
        }
        func constant(_ k: Int) throws -> [Int32] {
            guard k < op.inputs.count, op.inputs[k] >= 0, let d = model.data(of: graph.tensors[op.inputs[k]]),
                  graph.tensors[op.inputs[k]].type == .int32 else { throw fail("input \(k) must be a constant int32 tensor") }
            return Self.int32s(d)
        }
        let x = try input(0)
        let isFloat = x.type == .float32
        func activation(_ t: Tensor) throws {
            if isFloat { guard t.type == .float32 else { throw fail("mixes float32 and \(t.type) tensors") } }
            else { guard (t.type == .int8 || t.type == .uint8), t.quantization != nil else { throw fail("tensor \(t.name) is \(t.type) without quantization; int8 or uint8 expected") } }
        }
        switch op.builtin {
        case .conv2D, .depthwiseConv2D:
            guard case .window(let w) = op.options else { throw fail("missing options") }
            let wt = try input(1)
            guard x.shape.count == 4, wt.shape.count == 4, out.shape.count == 4, x.shape[0] == 1, out.shape[0] == 1 else {
                throw fail("needs batch-1 NHWC input and output and 4-D weights")
            }
            try activation(x); try activation(out)
            guard wt.type == (isFloat ? .float32 : .int8) else { throw fail("weights are \(wt.type)") }
            let C = x.shape[3], O = out.shape[3]
            if op.builtin == .conv2D {
                guard wt.shape[0] == O, wt.shape[3] == C else { throw fail("weights \(wt.shape) do not match \(C) input and \(O) output channels") }
            } else {
                guard wt.shape[0] == 1, wt.shape[3] == O, O == C * w.depthMultiplier else {
                    throw fail("weights \(wt.shape) do not match \(C) channels x depth multiplier \(w.depthMultiplier) = \(O)")
                }
            }
            if op.inputs.count > 2, op.inputs[2] >= 0 {
                let b = graph.tensors[op.inputs[2]]
                guard b.elementCount == O, b.type == (isFloat ? .float32 : .int32) else { throw fail("bias \(b.shape) of \(b.type) for \(O) channels") }
            }
            try window(x.shape, out.shape, kernel: (wt.shape[1], wt.shape[2]), w, fail: fail)
        case .fullyConnected:
            let wt = try input(1)
            guard wt.shape.count == 2, wt.shape[1] > 0, x.elementCount % wt.shape[1] == 0,
                  out.elementCount == x.elementCount / wt.shape[1] * wt.shape[0] else {
                throw fail("input \(x.shape), weights \(wt.shape) and output \(out.shape) do not fit together")
            }
            try activation(x); try activation(out)
            guard wt.type == (isFloat ? .float32 : .int8) else { throw fail("weights are \(wt.type)") }
            if op.inputs.count > 2, op.inputs[2] >= 0 {
                let b = graph.tensors[op.inputs[2]]
                guard b.elementCount == wt.shape[0], b.type == (isFloat ? .float32 : .int32) else { throw fail("bias \(b.shape) of \(b.type) for \(wt.shape[0]) outputs") }
            }
        case .add:
            let y = try input(1)
            try activation(x); try activation(y); try activation(out)
            let n = out.shape.count
            guard x.shape.count <= n, y.shape.count <= n else { throw fail("inputs of higher rank than the output") }
            let px = Array(repeating: 1, count: n - x.shape.count) + x.shape, py = Array(repeating: 1, count: n - y.shape.count) + y.shape
            for d in 0..<n where !((px[d] == out.shape[d] || px[d] == 1) && (py[d] == out.shape[d] || py[d] == 1)) {
                throw fail("shapes \(x.shape) and \(y.shape) do not broadcast to \(out.shape)")
            }
            if out.type != .float32 {
                // Quantized ADD (XNNPACK's arithmetic, which the interpreter and the kernels
                // follow) rescales each input by an integer multiplier built from its
                // input-to-output scale ratio; a ratio outside [2^-10, 2^8) has none.
                for (k, t) in [x, y].enumerated() {
                    let r = scale(t) / scale(out)
                    guard r.isFinite, r >= 0x1p-10, r < 0x1p8 else {
                        throw fail("input \(k)'s scale over the output's is \(r), outside [2^-10, 2^8)")
                    }
                }
            }
        case .averagePool2D, .maxPool2D:
            guard case .window(let w) = op.options else { throw fail("missing options") }
            guard x.shape.count == 4, out.shape.count == 4, x.shape[0] == 1, out.shape[0] == 1, x.shape[3] == out.shape[3] else {
                throw fail("needs batch-1 NHWC input and output with the same channels")
            }
            try activation(x); try activation(out)
            try window(x.shape, out.shape, kernel: (w.filterH, w.filterW), w, fail: fail)
        case .mean:
            try activation(x); try activation(out)
            let axes = try constant(1).map { Int($0) < 0 ? Int($0) + x.shape.count : Int($0) }
            guard axes.allSatisfy({ (0..<x.shape.count).contains($0) }) else { throw fail("axes \(axes) out of range for \(x.shape)") }
            let kept = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }.reduce(1, *)
            guard out.elementCount == kept else { throw fail("output \(out.shape) does not hold the mean of \(x.shape) over \(axes)") }
        case .reshape, .softmax:
            try activation(x); try activation(out)
            guard out.elementCount == x.elementCount, x.elementCount > 0 else { throw fail("\(x.shape) and \(out.shape) hold different numbers of elements") }
        case .quantize, .dequantize:
            guard out.elementCount == x.elementCount else { throw fail("\(x.shape) and \(out.shape) hold different numbers of elements") }
            for t in [x, out] where t.type != .float32 {
                guard (t.type == .int8 || t.type == .uint8), t.quantization != nil else { throw fail("tensor \(t.name) is \(t.type) without quantization") }
            }
            if op.builtin == .dequantize { guard out.type == .float32, x.type != .float32 else { throw fail("dequantizes \(x.type) to \(out.type)") } }
        case .concatenation:
            guard case .concatenation(let rawAxis, _) = op.options else { throw fail("missing options") }
            let n = out.shape.count, axis = rawAxis < 0 ? rawAxis + n : rawAxis
            guard (0..<n).contains(axis) else { throw fail("axis \(rawAxis) out of range for rank \(n)") }
            var total = 0
            for k in 0..<op.inputs.count {
                let t = try input(k)
                try activation(t)
                guard t.shape.count == n, (0..<n).allSatisfy({ $0 == axis || t.shape[$0] == out.shape[$0] }) else {
                    throw fail("input \(t.shape) does not concatenate into \(out.shape) along axis \(axis)")
                }
                total += t.shape[axis]
            }
            try activation(out)
            guard total == out.shape[axis] else { throw fail("inputs sum to \(total) along axis \(axis), output has \(out.shape[axis])") }
        case .pad:
            try activation(x); try activation(out)
            let p = try constant(1)
            let pads = p.map { Int($0) }
            var fits = pads.count == 2 * x.shape.count && out.shape.count == x.shape.count && pads.allSatisfy { $0 >= 0 && $0 < 1 << 16 }
            if fits {
                for d in 0..<x.shape.count where out.shape[d] != x.shape[d] + pads[2 * d] + pads[2 * d + 1] { fits = false }
            }
            guard fits else {
                throw fail("paddings \(p) do not take \(x.shape) to \(out.shape)")
            }
        case .resizeBilinear:
            try activation(x); try activation(out)
            let size = try constant(1)
            guard x.shape.count == 4, out.shape.count == 4, x.shape[0] == 1, out.shape[0] == 1, x.shape[3] == out.shape[3],
                  size.count == 2, Int(size[0]) == out.shape[1], Int(size[1]) == out.shape[2], x.shape[1] > 0, x.shape[2] > 0 else {
                throw fail("size and shapes \(x.shape) -> \(out.shape) do not fit together")
            }
        default:
            throw fail("not supported")
        }
    }

    /// The output size of a conv or pool must follow from input, window, stride and padding.
    private func window(_ i: [Int], _ o: [Int], kernel: (Int, Int), _ w: WindowOptions, fail: (String) -> TFLiteError) throws {
        func size(_ n: Int, _ k: Int, _ s: Int, _ d: Int) -> Int {
            let effective = (k - 1) * d + 1
            return w.padding == .same ? (n + s - 1) / s : (n - effective) / s + 1
        }
        let eh = size(i[1], kernel.0, w.strideH, w.dilationH), ew = size(i[2], kernel.1, w.strideW, w.dilationW)
        guard kernel.0 > 0, kernel.1 > 0, eh == o[1], ew == o[2], eh > 0, ew > 0 else {
            throw fail("output \(o[1])x\(o[2]) does not follow from input \(i[1])x\(i[2]), window \(kernel.0)x\(kernel.1), stride and padding (\(eh)x\(ew))")
        }
    }
}
