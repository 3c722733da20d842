/// What edgetop will do with one operator of a model: its multiply-accumulates, the kernel
/// family the int8 or fp32 backend picks for its shape, or why it cannot run.
public struct OperatorPlan: Sendable, Equatable {
    /// Index in the subgraph's operator list.
    public let index: Int
    /// Operator name ("CONV_2D").
    public let name: String
    /// Geometry in words ("3x3/2 SAME relu6"), empty when there is none.
    public let detail: String
    /// Multiply-accumulates per inference (conv, depthwise, FC; 0 for the others).
    public let macs: Int
    /// The kernel family it runs on, or nil when unsupported.
    public let kernel: String?
    /// Why it cannot run, when unsupported.
    public let unsupported: String?
}

/// Which arithmetic a model's compute layers use.
public enum ModelPrecision: String, Sendable {
    /// int8 weights (per-tensor or per-channel) with int8/uint8 activations.
    case int8
    /// float32 weights and activations.
    case fp32
    /// Neither, or both mixed.
    case mixed
}

extension TFLiteModel {
    /// int8 when every conv/depthwise/FC has int8 weights, fp32 when all have float32 ones.
    public var precision: ModelPrecision {
        let weightTypes = Set(main.operators.compactMap { op -> TensorType? in
            guard [.conv2D, .depthwiseConv2D, .fullyConnected].contains(op.builtin), op.inputs.count > 1, op.inputs[1] >= 0 else { return nil }
            return main.tensors[op.inputs[1]].type
        })
        if weightTypes == [.int8] { return .int8 }
        if weightTypes == [.float32] { return .fp32 }
        return .mixed
    }

    /// The plan of every operator of the main subgraph, in execution order.
    public func plan() -> [OperatorPlan] {
        main.operators.enumerated().map { plan(of: $0.element, index: $0.offset) }
    }

    /// Operators that cannot run, as "operator N (NAME): why" lines; empty when all can.
    public func unsupportedOperators() -> [String] {
        plan().compactMap { p in p.unsupported.map { "operator \(p.index) (\(p.name)): \($0)" } }
    }

    /// Plans one operator. The kernel names follow the dispatch of `QConvolution` (1x1
    /// stride-1 unpadded: GEMM; depthwise: dwconv, a dedicated 3x3; else indirect GEMM) and
    /// `FConvolution` (depthwise; Winograd F(6x6,3x3) for dense 3x3 stride 1 when the image
    /// has enough tiles; GEMM for 1x1; else implicit GEMM).
    func plan(of op: Operator, index: Int) -> OperatorPlan {
        let code = operatorCodes[op.opcodeIndex]
        let name = code.name
        func tensor(_ i: Int) -> Tensor? { i >= 0 && i < op.inputs.count && op.inputs[i] >= 0 ? main.tensors[op.inputs[i]] : nil }
        let output = op.outputs.first.map { main.tensors[$0] }
        func result(_ detail: String = "", macs: Int = 0, kernel: String?, unsupported: String? = nil) -> OperatorPlan {
            OperatorPlan(index: index, name: name, detail: detail, macs: macs, kernel: unsupported == nil ? kernel : nil,
                         unsupported: unsupported)
        }
        guard BuiltinOperator.supported.contains(op.builtin) else {
            return result(kernel: nil, unsupported: "operator not supported by edgetop")
        }
        let activation = op.options.activation
        guard [.none, .relu, .relu6, .reluN1To1].contains(activation) else {
            return result(kernel: nil, unsupported: "fused activation \(activation) not supported")
        }
        let act = activation == .none ? "" : " \(activation)"
        let family: String
        switch tensor(0)?.type {
        case .float32?: family = "f32"
        case .int8?, .uint8?: family = "q8"
        default: family = "?"
        }

        switch op.builtin {
        case .conv2D, .depthwiseConv2D:
            guard case .window(let w) = op.options, let input = tensor(0), let weights = tensor(1), let out = output,
                  input.shape.count == 4, weights.shape.count == 4, out.shape.count == 4 else {
                return result(kernel: nil, unsupported: "needs NHWC input, OHWI weights and NHWC output of rank 4")
            }
            let depthwise = op.builtin == .depthwiseConv2D
            let (kH, kW) = (weights.shape[1], weights.shape[2])
            let (oH, oW, oC) = (out.shape[1], out.shape[2], out.shape[3])
            let inC = input.shape[3]
            let (m1, o1) = (oH * oW).multipliedReportingOverflow(by: oC)
            let (m2, o2) = m1.multipliedReportingOverflow(by: kH * kW * (depthwise ? 1 : weights.shape[3]))
            let macs = o1 || o2 ? Int.max : m2
            let dilation = w.dilationH > 1 || w.dilationW > 1 ? " dilation \(w.dilationH)x\(w.dilationW)" : ""
            let mult = depthwise && w.depthMultiplier > 1 ? " x\(w.depthMultiplier)" : ""
            let detail = "\(kH)x\(kW)/\(w.strideH == w.strideW ? "\(w.strideH)" : "\(w.strideH)x\(w.strideW)") \(w.padding == .same ? "SAME" : "VALID")\(dilation)\(mult)\(act)"
            if let why = weightProblem(weights, input: input) { return result(detail, macs: macs, kernel: nil, unsupported: why) }
            if !depthwise && weights.shape[3] != inC {
                return result(detail, macs: macs, kernel: nil, unsupported: "grouped convolution (\(inC) input channels, \(weights.shape[3]) per filter)")
            }
            if depthwise && oC != inC * w.depthMultiplier {
                return result(detail, macs: macs, kernel: nil, unsupported: "\(oC) output channels for \(inC) inputs and depth multiplier \(w.depthMultiplier)")
            }
            let isDepthwise = depthwise && inC == oC
            let pointwise = !depthwise && kH == 1 && kW == 1 && w.strideH == 1 && w.strideW == 1
            let kernel: String
            if family == "q8" {
                kernel = isDepthwise ? (kH == 3 && kW == 3 && w.dilationW == 1 ? "q8 dwconv 3x3" : "q8 dwconv") : (pointwise ? "q8 gemm" : "q8 igemm")
            } else {
                let winograd = !depthwise && kH == 3 && kW == 3 && w.strideH == 1 && w.strideW == 1 && w.dilationH == 1 && w.dilationW == 1
                    && (oH + 5) / 6 * ((oW + 5) / 6) >= 4
                kernel = isDepthwise ? "f32 depthwise" : winograd ? "f32 winograd-6x6" : pointwise ? "f32 gemm" : "f32 implicit-gemm"
            }
            return result(detail, macs: macs, kernel: kernel)
        case .fullyConnected:
            guard case .fullyConnected(_, let defaultFormat, _) = op.options, let input = tensor(0), let weights = tensor(1),
                  weights.shape.count == 2, weights.shape[1] > 0 else {
                return result(kernel: nil, unsupported: "needs 2-D weights")
            }
            guard defaultFormat else { return result(kernel: nil, unsupported: "shuffled weight format not supported") }
            let rows = input.elementCount / weights.shape[1]
            let macs = rows * weights.shape[0] * weights.shape[1]
            if let why = weightProblem(weights, input: input) { return result(macs: macs, kernel: nil, unsupported: why) }
            return result("\(weights.shape[1])->\(weights.shape[0])\(act)", macs: macs, kernel: "\(family) gemm (fc)")
        case .averagePool2D, .maxPool2D:
            guard case .window(let w) = op.options else { return result(kernel: nil, unsupported: "missing pool options") }
            let global = tensor(0).map { $0.shape.count == 4 && $0.shape[1] == w.filterH && $0.shape[2] == w.filterW && w.padding == .valid } ?? false
            let kind = op.builtin == .maxPool2D ? "max pool" : (global ? "global average pool" : "average pool")
            return result("\(w.filterH)x\(w.filterW)/\(w.strideH) \(w.padding == .same ? "SAME" : "VALID")\(act)", kernel: "\(family) \(kind)")
        case .add:
            return result(act.trimmingPrefixSpace, kernel: "\(family) add")
        case .reshape:
            return result(kernel: "view (no copy)")
        case .mean:
            return result(kernel: "\(family) mean")
        default:
            return result(kernel: "\(family) \(name.lowercased())")
        }
    }

    /// Why weights cannot run on edgetop's kernels, or nil when they can: int8 weights must be
    /// symmetric (zero point 0), float32 weights need float32 activations.
    private func weightProblem(_ weights: Tensor, input: Tensor) -> String? {
        switch weights.type {
        case .int8:
            guard let q = weights.quantization else { return "int8 weights without quantization" }
            guard q.zeroPoints.allSatisfy({ $0 == 0 }) else { return "int8 weights with a non-zero zero point" }
            guard input.type == .int8 || input.type == .uint8 else { return "int8 weights with \(input.type) activations (hybrid) not supported" }
            return nil
        case .float32:
            return input.type == .float32 ? nil : "float32 weights with \(input.type) activations"
        default:
            return "\(weights.type) weights not supported"
        }
    }
}

private extension String {
    /// The string without its leading space.
    var trimmingPrefixSpace: String { hasPrefix(" ") ? String(dropFirst()) : self }
}
