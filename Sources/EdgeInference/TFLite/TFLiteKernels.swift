import EdgeKernels
import EdgeTFLite

/// Puts a TFLite model's conv, depthwise and FC layers on edgetop's int8 and fp32 kernels,
/// and the operators between them (see `attachOperators`) on loops over contiguous buffers.
///
/// int8 layers run on `QConvolution` / `QFullyConnected`, whose activations are uint8: an
/// int8 value q is the uint8 q + 128 with the zero point shifted by 128, which leaves every
/// real value unchanged. Those kernels requantize as XNNPACK does (float scale
/// inputScale * weightScale / outputScale, ties to even), so the outputs are LiteRT's bytes.
/// fp32 layers run on `FConvolution` (Winograd, GEMM, depthwise or implicit GEMM as it
/// chooses) and `FFullyConnected`.
public enum TFLiteKernels {
    /// Replaces the interpreter's conv, depthwise and FC loops with kernels; throws, naming
    /// the operator, when a layer's quantization cannot be expressed on them.
    public static func attach(to interpreter: ReferenceInterpreter, pool: ThreadPool,
                              features: CPUFeatures = .host) throws {
        let model = interpreter.model
        let g = model.main
        for (index, op) in g.operators.enumerated() {
            guard [.conv2D, .depthwiseConv2D, .fullyConnected].contains(op.builtin) else { continue }
            let context = "operator \(index) (\(op.builtin))"
            func fail(_ problem: String) -> TFLiteError { TFLiteError(file: model.file, context: context, problem) }
            let x = g.tensors[op.inputs[0]], w = g.tensors[op.inputs[1]], out = g.tensors[op.outputs[0]]
            let hasBias = op.inputs.count > 2 && op.inputs[2] >= 0
            let bias = hasBias ? g.tensors[op.inputs[2]] : nil
            guard let wData = model.data(of: w) else { throw fail("weights are not constant") }
            let biasData = bias.flatMap { model.data(of: $0) }
            if hasBias && biasData == nil { throw fail("bias is not constant") }

            if x.type == .float32 {
                let weights = floats(wData)
                let (lo, hi) = floatRange(op.options.activation)
                if op.builtin == .fullyConnected {
                    let (O, K) = (w.shape[0], w.shape[1])
                    let b = biasData.map(floats) ?? [Float](repeating: 0, count: O)
                    let fc = FFullyConnected(inputChannels: K, outputChannels: O, weights: weights, bias: b,
                                             outputMin: lo, outputMax: hi, features: features)
                    interpreter.floatLayers[index] = { input in
                        var result = [Float](repeating: 0, count: input.count / K * O)
                        input.withUnsafeBufferPointer { i in result.withUnsafeMutableBufferPointer { o in
                            fc.run(input: i.baseAddress!, output: o.baseAddress!, batch: input.count / K, pool: pool)
                        } }
                        return result
                    }
                    continue
                }
                let conv = try convolution(op, x: x, w: w, out: out, fail: fail)
                let b = biasData.map(floats) ?? [Float](repeating: 0, count: conv.outC)
                let f = FConvolution(inputChannels: conv.inC, outputChannels: conv.outC, kernelHeight: conv.kH, kernelWidth: conv.kW,
                                     strideHeight: conv.w.strideH, strideWidth: conv.w.strideW,
                                     dilationHeight: conv.w.dilationH, dilationWidth: conv.w.dilationW,
                                     padTop: conv.pad.top, padLeft: conv.pad.left, padBottom: conv.pad.bottom, padRight: conv.pad.right,
                                     groups: conv.groups, weights: conv.depthwise ? depthwiseOHWI(weights, channels: conv.outC, taps: conv.kH * conv.kW) : weights,
                                     bias: b, outputMin: lo, outputMax: hi, features: features,
                                     inputHeight: conv.H, inputWidth: conv.W)
                let count = out.elementCount
                interpreter.floatLayers[index] = { input in
                    // The convolution writes every output element: no zeroing pass first.
                    [Float](unsafeUninitializedCapacity: count) { o, n in
                        input.withUnsafeBufferPointer { i in
                            f.run(input: i.baseAddress!, inputHeight: conv.H, inputWidth: conv.W, output: o.baseAddress!, pool: pool)
                        }
                        n = count
                    }
                }
                continue
            }

            // int8 / uint8 activations with int8 symmetric weights.
            guard w.type == .int8, let wq = w.quantization, wq.zeroPoints.allSatisfy({ $0 == 0 }) else {
                throw fail("weights must be int8 with zero point 0 for the int8 kernels")
            }
            guard wq.scales.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw fail("a weight scale is zero or not finite") }
            let inQ = try activation(x, fail: fail), outQ = try activation(out, fail: fail)
            let inShift: Int32 = x.type == .int8 ? 128 : 0, outShift: Int32 = out.type == .int8 ? 128 : 0
            let (lo, hi) = quantizedRange(op.options.activation, out)
            let outMin = UInt8(clamping: lo + outShift), outMax = UInt8(clamping: hi + outShift)
            let weights = wData.map { Int8(bitPattern: $0) }
            let b = biasData.map(int32s)
            let count = out.elementCount
            if op.builtin == .fullyConnected {
                let (O, K) = (w.shape[0], w.shape[1])
                let fc = QFullyConnected(inputChannels: K, outputChannels: O, weights: weights, weightScales: wq.scales,
                                         bias: b ?? [Int32](repeating: 0, count: O), input: inQ, output: outQ,
                                         outputMin: outMin, outputMax: outMax, features: features)
                interpreter.intLayers[index] = { input in
                    let rows = elementCount(input) / K
                    return run(input, inShift: inShift, outShift: outShift, count: rows * O) { i, o in
                        fc.run(input: i, rows: rows, output: o, pool: pool)
                    }
                }
                continue
            }
            let conv = try convolution(op, x: x, w: w, out: out, fail: fail)
            let q = QConvolution(inputChannels: conv.inC, outputChannels: conv.outC, kernelHeight: conv.kH, kernelWidth: conv.kW,
                                 strideHeight: conv.w.strideH, strideWidth: conv.w.strideW,
                                 dilationHeight: conv.w.dilationH, dilationWidth: conv.w.dilationW,
                                 padTop: conv.pad.top, padLeft: conv.pad.left, padBottom: conv.pad.bottom, padRight: conv.pad.right,
                                 groups: conv.groups,
                                 weights: conv.depthwise ? depthwiseOHWI(weights, channels: conv.outC, taps: conv.kH * conv.kW) : weights,
                                 weightScales: wq.scales, bias: b ?? [Int32](repeating: 0, count: conv.outC),
                                 input: inQ, output: outQ, outputMin: outMin, outputMax: outMax, features: features)
            interpreter.intLayers[index] = { input in
                run(input, inShift: inShift, outShift: outShift, count: count) { i, o in
                    q.run(input: i, inputHeight: conv.H, inputWidth: conv.W, output: o, pool: pool)
                }
            }
        }
        attachOperators(to: interpreter)
    }

    /// A layer's geometry in the kernels' terms.
    struct ConvGeometry {
        let H: Int, W: Int, inC: Int, outC: Int, kH: Int, kW: Int, groups: Int, depthwise: Bool
        let w: WindowOptions
        let pad: (top: Int, left: Int, bottom: Int, right: Int)
    }

    static func convolution(_ op: Operator, x: Tensor, w: Tensor, out: Tensor, fail: (String) -> TFLiteError) throws -> ConvGeometry {
        guard case .window(let opts) = op.options else { throw fail("missing options") }
        let depthwise = op.builtin == .depthwiseConv2D
        let (H, W, C) = (x.shape[1], x.shape[2], x.shape[3])
        let (kH, kW) = (w.shape[1], w.shape[2])
        let (oH, oW, O) = (out.shape[1], out.shape[2], out.shape[3])
        func pads(_ input: Int, _ output: Int, _ k: Int, _ s: Int, _ d: Int) -> (Int, Int) {
            guard opts.padding == .same else { return (0, 0) }
            let total = max((output - 1) * s + (k - 1) * d + 1 - input, 0)
            return (total / 2, total - total / 2)
        }
        let (pt, pb) = pads(H, oH, kH, opts.strideH, opts.dilationH)
        let (pl, pr) = pads(W, oW, kW, opts.strideW, opts.dilationW)
        // The kernels derive the output size; it must be the one the file says.
        let eh = (H + pt + pb - (kH - 1) * opts.dilationH - 1) / opts.strideH + 1
        let ew = (W + pl + pr - (kW - 1) * opts.dilationW - 1) / opts.strideW + 1
        guard eh == oH, ew == oW else { throw fail("output \(oH)x\(oW) does not follow from input \(H)x\(W), kernel, stride and padding (\(eh)x\(ew))") }
        return ConvGeometry(H: H, W: W, inC: C, outC: O, kH: kH, kW: kW, groups: depthwise ? C : 1, depthwise: depthwise,
                            w: opts, pad: (pt, pl, pb, pr))
    }

    /// TFLite depthwise weights [1][kH][kW][C] as the kernels' OHWI [C][kH][kW][1].
    static func depthwiseOHWI<T>(_ w: [T], channels: Int, taps: Int) -> [T] {
        var out = w
        for t in 0..<taps { for c in 0..<channels { out[c * taps + t] = w[t * channels + c] } }
        return out
    }

    /// A uint8-domain quantization for the kernels: the int8 zero point moves up by 128.
    static func activation(_ t: Tensor, fail: (String) -> TFLiteError) throws -> QuantizationParams {
        guard let q = t.quantization, q.scales[0].isFinite, q.scales[0] > 0 else { throw fail("tensor \(t.name) has no usable scale") }
        let zp = q.zeroPoints[0] + (t.type == .int8 ? 128 : 0)
        guard (0...255).contains(zp) else { throw fail("zero point \(q.zeroPoints[0]) of tensor \(t.name) is out of range") }
        return QuantizationParams(scale: q.scales[0], zeroPoint: UInt8(zp))
    }

    static func quantizedRange(_ a: FusedActivation, _ t: Tensor) -> (Int32, Int32) {
        let (lo, hi): (Int32, Int32) = t.type == .int8 ? (-128, 127) : (0, 255)
        let s = t.quantization?.scales[0] ?? 1, z = Int32(t.quantization?.zeroPoints[0] ?? 0)
        func q(_ x: Float) -> Int32 { z + Int32((x / s).rounded(.toNearestOrAwayFromZero)) }
        switch a {
        case .relu: return (max(lo, q(0)), hi)
        case .relu6: return (max(lo, q(0)), min(hi, q(6)))
        case .reluN1To1: return (max(lo, q(-1)), min(hi, q(1)))
        default: return (lo, hi)
        }
    }

    static func floatRange(_ a: FusedActivation) -> (Float, Float) {
        switch a {
        case .relu: return (0, .infinity)
        case .relu6: return (0, 6)
        case .reluN1To1: return (-1, 1)
        default: return (-.infinity, .infinity)
        }
    }

    /// Moves stored int8 values into the kernels' uint8 domain and back around `body`.
    /// A kernel's output stays in the uint8 domain (`.bytes`) so the next kernel takes it as
    /// it is; only values a reference loop produced are converted on the way in.
    static func run(_ input: ReferenceValue, inShift: Int32, outShift: Int32, count: Int,
                    _ body: (UnsafePointer<UInt8>, UnsafeMutablePointer<UInt8>) -> Void) -> ReferenceValue {
        let u: [UInt8]
        if case .bytes(let b, let offset) = input, offset == inShift {
            u = b
        } else {
            let ints = input.ints
            var c = [UInt8](repeating: 0, count: ints.count)
            for i in 0..<ints.count { c[i] = UInt8(truncatingIfNeeded: ints[i] &+ inShift) }
            u = c
        }
        // The kernel writes every output byte: no zeroing pass first.
        let o = [UInt8](unsafeUninitializedCapacity: count) { out, n in
            u.withUnsafeBufferPointer { i in body(i.baseAddress!, out.baseAddress!) }
            n = count
        }
        return .bytes(o, offset: outShift)
    }

    /// Element count of a value.
    static func elementCount(_ v: ReferenceValue) -> Int {
        switch v {
        case .float(let f): return f.count
        case .int(let i): return i.count
        case .bytes(let b, _): return b.count
        }
    }

    static func floats(_ b: ArraySlice<UInt8>) -> [Float] {
        let base = b.startIndex
        return (0..<(b.count / 4)).map { i in
            let p = base + 4 * i
            return Float(bitPattern: UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24)
        }
    }

    static func int32s(_ b: ArraySlice<UInt8>) -> [Int32] {
        floats(b).map { Int32(bitPattern: $0.bitPattern) }
    }
}
