/// The seeded generator and the monotonic clock are part of this module's vocabulary
/// (seeded model weights, record timestamps), so its users get them without a second import.
@_exported import EdgeCore
