/// Appends JSON text to a byte buffer: the hand-written counterpart of `JSONParser`, used
/// by the trace writer so that writing an event costs no intermediate objects.
public struct JSONWriter {
    /// The bytes written so far.
    public var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    /// An empty writer.
    public init() { bytes.reserveCapacity(256) }

    /// Starts an object (as a value, or as the member `key` of the enclosing object).
    public mutating func beginObject(_ key: String? = nil) {
        prefix(key); bytes.append(UInt8(ascii: "{")); needsComma.append(false)
    }

    /// Ends the current object.
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma.removeLast() }

    /// Starts an array (as a value, or as the member `key`).
    public mutating func beginArray(_ key: String? = nil) {
        prefix(key); bytes.append(UInt8(ascii: "[")); needsComma.append(false)
    }

    /// Ends the current array.
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma.removeLast() }

    /// Writes a string member or element.
    public mutating func string(_ key: String?, _ value: String) { prefix(key); appendQuoted(value) }

    /// Writes an integer member or element.
    public mutating func int(_ key: String?, _ value: Int64) { prefix(key); bytes.append(contentsOf: String(value).utf8) }

    /// Writes an unsigned integer member or element.
    public mutating func uint(_ key: String?, _ value: UInt64) { prefix(key); bytes.append(contentsOf: String(value).utf8) }

    /// Writes a number in its shortest form that parses back to the same Double (Swift's
    /// `description` is shortest-round-trip), so times are exact and stable across runs.
    /// JSON has no infinity or NaN: those are written as null.
    public mutating func double(_ key: String?, _ value: Double) {
        prefix(key)
        guard value.isFinite else { bytes.append(contentsOf: "null".utf8); return }
        if value == value.rounded(), abs(value) < 1e15 {
            // Whole numbers without the ".0" Swift would add: shorter, and still exact.
            bytes.append(contentsOf: String(Int64(value)).utf8)
            return
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Writes a boolean member or element.
    public mutating func bool(_ key: String?, _ value: Bool) {
        prefix(key); bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes `null`.
    public mutating func null(_ key: String?) { prefix(key); bytes.append(contentsOf: "null".utf8) }

    private mutating func prefix(_ key: String?) {
        if let last = needsComma.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            needsComma[needsComma.count - 1] = true
        }
        if let key { appendQuoted(key); bytes.append(UInt8(ascii: ":")) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): bytes.append(0x5C); bytes.append(c)
            case UInt8(ascii: "\\"): bytes.append(0x5C); bytes.append(c)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0x00..<0x20, 0x7F:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(JSONWriter.hex[Int(c >> 4)]); bytes.append(JSONWriter.hex[Int(c & 15)])
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
