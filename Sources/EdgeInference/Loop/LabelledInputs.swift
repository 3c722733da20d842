import EdgeImages

/// Labelled inputs the loop feeds in turn instead of the seeded input, so that its quality
/// figure becomes accuracy on real data rather than agreement on noise.
public struct LabelledInputs: Sendable {
    /// The true class of each input, in feeding order.
    public let labels: [Int]
    /// The inputs made for a model (fp32 NHWC, as `InferencePlan.setInput` takes them), one
    /// per label; called on the loop's thread whenever a plan is built, since another model
    /// may want another resolution.
    public let inputs: @Sendable (Model) -> [[Float]]

    /// Inputs and their labels; `inputs` must return `labels.count` tensors.
    public init(labels: [Int], inputs: @escaping @Sendable (Model) -> [[Float]]) {
        self.labels = labels; self.inputs = inputs
    }
}

/// What the loop does with labelled inputs for one plan: feeds them round and round, and
/// scores each one once (a second pass on the same plan gives the same outputs).
struct LabelledFeed {
    let inputs: [[Float]]
    let labels: [Int]
    private(set) var next = 0
    private(set) var accuracy = ImageAccuracy()
    /// The top class of each input scored so far, in feeding order.
    private(set) var topClasses: [Int] = []

    init?(_ source: LabelledInputs?, model: Model) {
        guard let source, !source.labels.isEmpty else { return nil }
        let made = source.inputs(model)
        precondition(made.count == source.labels.count, "LabelledInputs: \(made.count) inputs for \(source.labels.count) labels")
        inputs = made; labels = source.labels
    }

    /// Whether the latest run still needs scoring.
    var scoring: Bool { accuracy.count < labels.count }

    /// Loads the next input into `plan`.
    func load(into plan: InferencePlan) { plan.setInput(inputs[next]) }

    /// Scores the run just made on the loaded input (while a first pass lasts) and moves on.
    mutating func finish(_ plan: InferencePlan) {
        if scoring {
            let scores = plan.logits()
            accuracy.add(scores: scores, label: labels[next])
            topClasses.append(Quality.argmax(scores))
        }
        next = (next + 1) % inputs.count
    }
}
