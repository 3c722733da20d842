import EdgeInference

extension DeviceWorkload {
    /// The work of one inference of `model` on `backend`, layer by layer. The reference
    /// backend computes the same fp32 arithmetic as the fp32 one, and a profile has no figure
    /// for a naive scalar implementation, so it is costed with the fp32 rates.
    public init(model: Model, backend: Backend) {
        let precision: ComputePrecision = backend == .int8 ? .int8 : .fp32
        let elementBytes = precision == .int8 ? 1.0 : 4.0
        var amounts: [OperatorClass: Double] = [:]
        for layer in model.layers {
            let (kind, amount) = DeviceWorkload.cost(of: layer, elementBytes: elementBytes)
            amounts[kind, default: 0] += amount
        }
        self.init(precision: precision, amounts: amounts)
    }

    /// The work of `spec` on `backend` (the graph comes from the factory's cache).
    public init(spec: ModelSpec, backend: Backend) {
        self.init(model: PlanFactory.model(spec), backend: backend)
    }

    /// A layer's kind and amount: MACs for convolutions and fully connected layers, bytes
    /// read and written for the rest.
    static func cost(of layer: Layer, elementBytes: Double) -> (OperatorClass, Double) {
        switch layer.operation {
        case .convolution(let c):
            let kind: OperatorClass = c.isDepthwise ? .depthwise
                : (c.kernelHeight == 1 && c.kernelWidth == 1 && c.groups == 1 ? .conv1x1 : .conv)
            return (kind, Double(layer.macs))
        case .fullyConnected:
            return (.fullyConnected, Double(layer.macs))
        case .maxPool, .globalAveragePool:
            return (.elementwise, Double(layer.inputShape.count + layer.outputShape.count) * elementBytes)
        case .add:
            return (.elementwise, Double(3 * layer.outputShape.count) * elementBytes)
        }
    }
}
