import EdgeTrace

/// A model file that cannot be used: `FILE: where: problem`, where names the tensor or
/// operator (index and sanitized name) when the problem is inside one.
public struct TFLiteError: Error, Equatable, CustomStringConvertible {
    /// The model file's path as given.
    public let file: String
    /// What was being read ("tensor 12 (conv1/weights)", "operator 3 (CONV_2D)"), or "".
    public let context: String
    /// What is wrong.
    public let problem: String

    /// Creates an error; `context` and `problem` are sanitized here so callers need not.
    public init(file: String, context: String = "", _ problem: String) {
        self.file = file
        self.context = sanitize(context)
        self.problem = sanitize(problem)
    }

    /// One line: "FILE: context: problem".
    public var description: String {
        context.isEmpty ? "\(sanitize(file)): \(problem)" : "\(sanitize(file)): \(context): \(problem)"
    }
}
