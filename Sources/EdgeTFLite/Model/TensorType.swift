/// A TFLite `TensorType` value; unknown values are kept (and named by number) so a model
/// using a newer type is reported, not rejected while reading.
public struct TensorType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The schema's enum value.
    public let rawValue: UInt8
    /// Wraps a schema value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let float32 = TensorType(rawValue: 0)
    public static let float16 = TensorType(rawValue: 1)
    public static let int32 = TensorType(rawValue: 2)
    public static let uint8 = TensorType(rawValue: 3)
    public static let int64 = TensorType(rawValue: 4)
    public static let bool = TensorType(rawValue: 6)
    public static let int16 = TensorType(rawValue: 7)
    public static let int8 = TensorType(rawValue: 9)

    private static let names = ["float32", "float16", "int32", "uint8", "int64", "string", "bool",
                                "int16", "complex64", "int8", "float64", "complex128", "uint64",
                                "resource", "variant", "uint32", "uint16", "int4"]

    /// Lower-case schema name ("int8"), or "type<N>" for a value this reader does not know.
    public var description: String {
        Int(rawValue) < Self.names.count ? Self.names[Int(rawValue)] : "type\(rawValue)"
    }

    /// Bytes per element, or nil for types without a fixed size (string, int4, unknown).
    public var byteSize: Int? {
        switch rawValue {
        case 0, 2, 15: return 4
        case 1, 7, 16: return 2
        case 3, 6, 9: return 1
        case 4, 8, 10, 12: return 8
        case 11: return 16
        default: return nil
        }
    }
}
