/// A 64-byte aligned Float buffer owned by an operator (packed weights), freed with it.
final class F32Buffer: @unchecked Sendable {
    /// Start of the buffer.
    let pointer: UnsafeMutablePointer<Float>
    /// Number of floats.
    let count: Int

    /// A zero-filled buffer of `count` floats (at least one, so the pointer is always valid).
    init(count: Int) {
        self.count = max(count, 1)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: self.count * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: self.count)
        pointer.initialize(repeating: 0, count: self.count)
    }

    deinit { pointer.deallocate() }
}
