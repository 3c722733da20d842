import EdgeCore
import EdgeKernels
import Synchronization

/// Builds plans and keeps what is costly to redo and the same every time: model graphs,
/// the reference logits of each model's quality input, and int8 calibration ranges.
public enum PlanFactory {
    private static let models = Locked<[ModelSpec: Model]>([:])
    private static let referenceLogits = Locked<[String: [Float]]>([:])
    private static let calibrations = Locked<[String: Calibration]>([:])

    /// The model graph of `spec`, built once per process.
    public static func model(_ spec: ModelSpec) -> Model {
        if let m = models.withLock({ $0[spec] }) { return m }
        let m = spec.build()
        models.withLock { $0[spec] = m }
        return m
    }

    /// A plan for `spec` on `backend` with `threads` threads, loaded with the seeded quality input.
    public static func plan(for spec: ModelSpec, backend: Backend, threads: Int) -> InferencePlan {
        if spec.isFile { return TFLitePlan(spec: spec, backend: backend, threads: threads) }
        return plan(for: model(spec), backend: backend, threads: threads)
    }

    /// A plan for `model` on `backend` with `threads` threads, loaded with the seeded quality input;
    /// `features` picks the kernels: the int8 family, and AVX-512F or AVX2+FMA for fp32.
    public static func plan(for model: Model, backend: Backend, threads: Int,
                            features: CPUFeatures = .host) -> InferencePlan {
        switch backend {
        case .ref: return ReferencePlan(model: model, threads: threads)
        case .fp32: return FP32Plan(model: model, threads: threads, features: features)
        case .int8: return Int8Plan(model: model, calibration: calibration(for: model), threads: threads,
                                    features: features)
        }
    }

    /// The reference logits of `model` on the seeded quality input (computed once).
    public static func referenceOutput(for model: Model) -> [Float] {
        if let logits = referenceLogits.withLock({ $0[model.name] }) { return logits }
        let plan = ReferencePlan(model: model)
        plan.run()
        let logits = plan.logits()
        referenceLogits.withLock { $0[model.name] = logits }
        return logits
    }

    /// int8 calibration of `model` from reference runs on the calibration inputs (computed once).
    public static func calibration(for model: Model) -> Calibration {
        if let c = calibrations.withLock({ $0[model.name] }) { return c }
        let c = Calibration(model: model, seeds: SeededInput.calibrationSeeds)
        calibrations.withLock { $0[model.name] = c }
        return c
    }

    /// Runs `plan` on the seeded quality input and compares its logits with the reference's.
    /// The reference backend agrees with itself by definition.
    public static func quality(of plan: InferencePlan) -> Quality {
        if let file = plan as? TFLitePlan { return file.quality() }
        if plan.backend == .ref { return Quality(cosine: 1, top1Agree: true) }
        let reference = referenceOutput(for: plan.model)
        plan.setInput(SeededInput.input(for: plan.model))
        plan.run()
        return Quality(logits: plan.logits(), reference: reference)
    }
}
