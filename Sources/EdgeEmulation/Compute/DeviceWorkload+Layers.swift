import EdgeInference

extension DeviceWorkload {
    /// The work of each layer of `spec` on `backend` apart, in graph order, for the emulated
    /// device's per-layer times (the layer table under `--emulate`).
    public static func layers(spec: ModelSpec, backend: Backend) -> [DeviceWorkload] {
        let precision: ComputePrecision = backend == .int8 ? .int8 : .fp32
        let elementBytes = precision == .int8 ? 1.0 : 4.0
        return PlanFactory.model(spec).layers.map { layer in
            let (kind, amount) = cost(of: layer, elementBytes: elementBytes)
            return DeviceWorkload(precision: precision, amounts: [kind: amount])
        }
    }
}

extension DeviceEmulator {
    /// The device's time for each of `layers` on `threads` threads at the clock cap now in
    /// force, ns: its compute model, layer by layer.
    public func layerLatenciesNs(_ layers: [DeviceWorkload], threads: Int) -> [UInt64] {
        layers.map { deviceLatencyNs($0, threads: threads) }
    }
}
