/// A TensorFlow Lite model (schema v3) as read from a `.tflite` file: every index and
/// extent has been checked, so code that runs the model may rely on them.
public struct TFLiteModel: Sendable {
    /// The file the model came from (for error messages).
    public let file: String
    /// Schema version (3).
    public let version: UInt32
    /// The converter's description string (sanitized).
    public let description: String
    /// Operator codes that operators refer to by index.
    public let operatorCodes: [OperatorCode]
    /// Subgraphs; the first is the one a runtime invokes.
    public let subgraphs: [Subgraph]
    /// Buffers; buffer 0 is the conventional empty one.
    public let buffers: [BufferExtent]
    /// Named metadata entries (e.g. "TFLITE_METADATA", "min_runtime_version").
    public let metadata: [(name: String, buffer: Int)]
    /// The whole file.
    public let bytes: [UInt8]
    /// Labels found in a zip archive appended to the flatbuffer, when there is one.
    public let associatedFiles: [ZipEntry]

    /// The main subgraph.
    public var main: Subgraph { subgraphs[0] }

    /// The bytes of a tensor's constant data, or nil when the tensor has none.
    public func data(of tensor: Tensor) -> ArraySlice<UInt8>? {
        guard let r = buffers[tensor.buffer].range, !r.isEmpty else { return nil }
        return bytes[r]
    }
}

/// Where a buffer's bytes lie in the file (already bounds-checked), or nil for none.
public struct BufferExtent: Sendable, Equatable {
    /// Byte range in the model file.
    public let range: Range<Int>?
}

/// One entry of `operator_codes`.
public struct OperatorCode: Sendable, Equatable {
    /// The effective builtin code: the larger of `builtin_code` and `deprecated_builtin_code`,
    /// as TFLite resolves files written before and after codes outgrew a byte.
    public let builtin: BuiltinOperator
    /// The custom operator's name (CUSTOM only, sanitized).
    public let customCode: String?
    /// Operator version.
    public let version: Int32

    /// "CONV_2D" or "CUSTOM(name)".
    public var name: String {
        if builtin == .custom, let c = customCode { return "CUSTOM(\(c))" }
        return builtin.description
    }
}

/// Affine quantization of a tensor: real = scale * (q - zeroPoint), per tensor (one scale)
/// or per channel along `dimension`.
public struct TensorQuantization: Sendable, Equatable {
    /// One scale per tensor, or one per channel.
    public let scales: [Float]
    /// Zero points, as many as the scales.
    public let zeroPoints: [Int64]
    /// The channel dimension of a per-channel quantization.
    public let dimension: Int

    /// Whether there is one scale per channel.
    public var isPerChannel: Bool { scales.count > 1 }
}

/// A tensor of a subgraph.
public struct Tensor: Sendable, Equatable {
    /// Name (sanitized).
    public let name: String
    /// Dimensions (NHWC for images).
    public let shape: [Int]
    /// Element type.
    public let type: TensorType
    /// Index into the model's buffers.
    public let buffer: Int
    /// Quantization, when the tensor has scales.
    public let quantization: TensorQuantization?

    /// Number of elements (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// An operator of a subgraph.
public struct Operator: Sendable, Equatable {
    /// Index into the model's operator codes.
    public let opcodeIndex: Int
    /// The builtin operator (copied from its code for convenience).
    public let builtin: BuiltinOperator
    /// Input tensor indices; -1 marks an optional input that is absent.
    public let inputs: [Int]
    /// Output tensor indices.
    public let outputs: [Int]
    /// Builtin options.
    public let options: OperatorOptions
}

/// A subgraph: tensors, the operators in execution order, and its inputs and outputs.
public struct Subgraph: Sendable, Equatable {
    /// Name (sanitized), often empty.
    public let name: String
    /// All tensors.
    public let tensors: [Tensor]
    /// Tensor indices fed by the caller.
    public let inputs: [Int]
    /// Tensor indices the caller reads.
    public let outputs: [Int]
    /// Operators in execution order.
    public let operators: [Operator]
}
