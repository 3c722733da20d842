/// Why a flatbuffer could not be read: the byte offset and what was wrong there. The model
/// decoder wraps it with the file name and the tensor or operator being read.
public struct FlatBufferError: Error, Equatable, CustomStringConvertible {
    /// Byte offset in the buffer where the problem was found.
    public let offset: Int
    /// What was wrong, in words.
    public let problem: String

    /// Creates an error at `offset`.
    public init(offset: Int, _ problem: String) {
        self.offset = offset
        self.problem = problem
    }

    /// "problem at byte N".
    public var description: String { "\(problem) at byte \(offset)" }
}
