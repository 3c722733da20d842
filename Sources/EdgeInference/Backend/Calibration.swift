/// Observed fp32 range of every tensor of a model, from reference runs on seeded inputs:
/// what int8 quantization parameters are derived from.
public struct Calibration: Sendable {
    /// `ranges[t]` is the (min, max) seen in tensor t (0 the input) over all calibration inputs.
    public let ranges: [(min: Float, max: Float)]

    /// Runs the reference on each seeded input and records each tensor's min and max.
    public init(model: Model, seeds: [UInt64]) {
        var ranges = [(min: Float, max: Float)](repeating: (.infinity, -.infinity), count: model.tensorCount)
        let plan = ReferencePlan(model: model)
        for seed in seeds {
            plan.setInput(SeededInput.input(for: model, seed: seed))
            plan.run()
            for t in 0..<model.tensorCount {
                for v in plan.tensors[t] {
                    if v < ranges[t].min { ranges[t].min = v }
                    if v > ranges[t].max { ranges[t].max = v }
                }
            }
        }
        self.ranges = ranges
    }

    /// Ranges given directly (tests).
    public init(ranges: [(min: Float, max: Float)]) { self.ranges = ranges }
}
