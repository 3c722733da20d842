extension TFLiteModel {
    /// The text `edgetop inspect` prints: inputs and outputs, every operator with its output
    /// tensor, quantization, MACs and kernel, the total, and what cannot run.
    /// `tensors` adds a table of every tensor.
    public func report(tensors showTensors: Bool = false) -> String {
        var out = ""
        let g = main
        out += "\(sanitizedFile)  schema v\(version), \(bytes.count) bytes, \(subgraphs.count) subgraph\(subgraphs.count == 1 ? "" : "s"), "
        out += "\(g.operators.count) operators, \(g.tensors.count) tensors, precision \(precision.rawValue)\n"
        if !description.isEmpty { out += "description: \(description)\n" }
        for i in g.inputs { out += "input   \(describe(tensor: i))\n" }
        for o in g.outputs { out += "output  \(describe(tensor: o))\n" }
        if let labels {
            out += "labels  \(labels.count) from the appended archive (\(labels.prefix(3).joined(separator: ", "))\(labels.count > 3 ? ", ..." : ""))\n"
        } else {
            out += "labels  none\n"
        }
        out += "\n"
        out += pad("#", 4, right: true) + "  " + pad("operator", 18) + pad("geometry", 34) + pad("output", 20) + pad("type", 7)
            + pad("quantization", 22) + pad("MACs", 12, right: true) + "  kernel\n"
        let plans = plan()
        for (p, op) in zip(plans, g.operators) {
            let output = op.outputs.first.map { g.tensors[$0] }
            out += pad("\(p.index)", 4, right: true) + "  " + pad(p.name, 18) + pad(p.detail, 34)
            out += pad(output.map { shape($0.shape) } ?? "-", 20) + pad(output.map { $0.type.description } ?? "-", 7)
            out += pad(output.map { quantization($0) } ?? "-", 22) + pad(p.macs > 0 ? "\(p.macs)" : "-", 12, right: true)
            out += "  " + (p.kernel ?? "UNSUPPORTED: \(p.unsupported ?? "")") + "\n"
            if [.conv2D, .depthwiseConv2D, .fullyConnected].contains(op.builtin), op.inputs.count > 1, op.inputs[1] >= 0 {
                let w = g.tensors[op.inputs[1]]
                out += "      weights \(shape(w.shape)) \(w.type) \(quantization(w))\n"
            }
        }
        let total = plans.reduce(0) { $0.addingReportingOverflow($1.macs).overflow ? Int.max : $0 + $1.macs }
        out += "\ntotal   \(total) MACs (\(formatMillions(total)) M) in conv, depthwise and fully connected layers\n"
        let bad = unsupportedOperators()
        out += bad.isEmpty ? "all \(g.operators.count) operators are supported\n" : "unsupported: \(bad.count)\n" + bad.map { "  \($0)\n" }.joined()
        if bad.isEmpty {
            do {
                _ = try ReferenceInterpreter(model: self)
                out += "every operator's tensors fit together: the model can run\n"
            } catch let e as TFLiteError {
                out += "cannot run: \(e.context.isEmpty ? "" : e.context + ": ")\(e.problem)\n"
            } catch {
                out += "cannot run: \(error)\n"
            }
        }
        if showTensors {
            out += "\n" + pad("#", 4, right: true) + "  " + pad("name", 48) + pad("shape", 20) + pad("type", 8) + pad("data", 10, right: true) + "  quantization\n"
            for (i, t) in g.tensors.enumerated() {
                let bytes = buffers[t.buffer].range?.count ?? 0
                let name = t.name.count > 47 ? String(t.name.prefix(44)) + "..." : t.name
                out += pad("\(i)", 4, right: true) + "  " + pad(name, 48) + pad(shape(t.shape), 20) + pad(t.type.description, 8)
                    + pad(bytes > 0 ? "\(bytes)" : "-", 10, right: true) + "  " + quantization(t) + "\n"
            }
        }
        return out
    }

    private var sanitizedFile: String { TFLiteError(file: file, "").description.dropLastColon }

    private func describe(tensor i: Int) -> String {
        let t = main.tensors[i]
        return "\(i) \(t.name.isEmpty ? "(unnamed)" : t.name) \(shape(t.shape)) \(t.type) \(quantization(t))"
    }

    private func shape(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ",") + "]" }

    /// "s=0.0235 z=-128", "per-channel(32) axis 0", or "-" when not quantized.
    private func quantization(_ t: Tensor) -> String {
        guard let q = t.quantization else { return "-" }
        if q.isPerChannel { return "per-channel(\(q.scales.count)) axis \(q.dimension)" }
        return "s=\(shortFloat(q.scales[0])) z=\(q.zeroPoints[0])"
    }

    private func shortFloat(_ v: Float) -> String {
        if v == 0 { return "0" }
        var s = "\(v)"
        if s.count > 9, !s.contains("e") { s = String(s.prefix(9)) }
        return s
    }

    private func formatMillions(_ macs: Int) -> String {
        let tenths = macs / 100_000 + (macs % 100_000 >= 50_000 ? 1 : 0)
        return "\(tenths / 10).\(tenths % 10)"
    }

    private func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let n = s.count
        if n >= width { return right ? s : s + " " }
        let space = String(repeating: " ", count: width - n)
        return right ? space + s : s + space
    }
}

private extension String {
    /// "file: " → "file" (the model error's description with an empty problem).
    var dropLastColon: String { hasSuffix(": ") ? String(dropLast(2)) : self }
}
