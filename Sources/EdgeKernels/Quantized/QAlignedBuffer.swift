/// Zero-filled, 64-byte aligned storage owned by an operator (packed weights, zero buffers,
/// indirection tables); the alignment keeps 512-bit weight loads within one cache line.
final class QAlignedBuffer: @unchecked Sendable {
    /// Start of the storage.
    let raw: UnsafeMutableRawPointer
    /// Size in bytes.
    let byteCount: Int

    /// Allocates `byteCount` zero bytes.
    init(byteCount: Int) {
        self.byteCount = max(byteCount, 1)
        raw = UnsafeMutableRawPointer.allocate(byteCount: self.byteCount, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: self.byteCount)
    }

    deinit { raw.deallocate() }
}
