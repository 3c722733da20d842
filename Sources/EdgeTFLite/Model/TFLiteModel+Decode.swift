#if canImport(Glibc)
import Glibc
#endif
import EdgeTrace

extension TFLiteModel {
    /// Largest model file read (TFLite flatbuffers are limited to 2 GiB).
    public static let maxFileBytes = 1 << 31
    /// Largest element count of one tensor; larger shapes are hostile or corrupt.
    public static let maxElements = 1 << 31

    /// Reads and checks the model at `path`.
    public static func read(path: String) throws -> TFLiteModel {
        try TFLiteModel(bytes: try readFile(path), file: path)
    }

    /// Decodes and checks a model held in memory; `file` names it in errors.
    public init(bytes: [UInt8], file: String) throws {
        func fail(_ context: String = "", _ problem: String) -> TFLiteError {
            TFLiteError(file: file, context: context, problem)
        }
        /// Runs `body`, turning a flatbuffer bounds error into a located model error.
        func located<T>(_ context: String, _ body: () throws -> T) throws -> T {
            try Self.locate(file, context, body)
        }

        guard bytes.count >= 8 else { throw fail("", "\(bytes.count) bytes is too short for a TFLite model") }
        let fb = FlatBuffer(bytes)
        guard fb.identifier == "TFL3" else {
            throw fail("", "not a TFLite model (no \"TFL3\" file identifier at byte 4)")
        }
        let root = try located("model") { try fb.root() }
        let version = try located("model") { try root.u32(0) }
        guard version == 3 else { throw fail("", "schema version \(version); edgetop reads version 3") }
        let description = try located("model description") { try root.string(3) } ?? ""

        // Buffers first: tensors are checked against their extents.
        let bufferTables = try located("buffers") { try root.tables(4) }
        var buffers: [BufferExtent] = []
        buffers.reserveCapacity(bufferTables.count)
        for (i, t) in bufferTables.enumerated() {
            buffers.append(try located("buffer \(i)") {
                if let r = try t.byteRange(0) { return BufferExtent(range: r) }
                let offset = try t.u64(1), size = try t.u64(2)
                guard offset > 1 else { return BufferExtent(range: nil) }
                guard offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset else {
                    throw FlatBufferError(offset: t.position, "data at byte \(offset), \(size) bytes long, lies outside the \(bytes.count)-byte file")
                }
                return BufferExtent(range: Int(offset)..<Int(offset + size))
            })
        }

        let codeTables = try located("operator codes") { try root.tables(1) }
        var codes: [OperatorCode] = []
        for (i, t) in codeTables.enumerated() {
            codes.append(try located("operator code \(i)") {
                let deprecated = Int32(try t.i8(0))
                let builtin = try t.has(3) ? try t.i32(3) : 0
                return OperatorCode(builtin: BuiltinOperator(rawValue: max(deprecated, builtin)),
                                    customCode: try t.string(1).map(sanitize),
                                    version: try t.i32(2, default: 1))
            })
        }

        let graphTables = try located("subgraphs") { try root.tables(2) }
        guard !graphTables.isEmpty else { throw fail("", "no subgraphs") }
        var subgraphs: [Subgraph] = []
        for (g, t) in graphTables.enumerated() {
            let where_ = graphTables.count == 1 ? "" : "subgraph \(g): "
            subgraphs.append(try Self.decodeSubgraph(t, buffers: buffers, codes: codes, prefix: where_, file: file))
        }

        let metaTables = try located("metadata") { try root.tables(6) }
        var metadata: [(name: String, buffer: Int)] = []
        for (i, t) in metaTables.enumerated() {
            let (name, buffer) = try located("metadata \(i)") { (try t.string(0) ?? "", Int(try t.u32(1))) }
            guard buffer < buffers.count else {
                throw fail("metadata \(i) (\(name))", "buffer \(buffer) does not exist (\(buffers.count) buffers)")
            }
            metadata.append((sanitize(name), buffer))
        }

        let associated: [ZipEntry]
        do {
            associated = try ZipArchive.entries(in: bytes)
        } catch let e as ZipError {
            throw fail("appended zip archive", e.problem)
        }

        self.file = file
        self.version = version
        self.description = sanitize(description)
        self.operatorCodes = codes
        self.subgraphs = subgraphs
        self.buffers = buffers
        self.metadata = metadata
        self.bytes = bytes
        self.associatedFiles = associated
    }

    /// Runs `body`, turning a flatbuffer bounds error into an error naming file and context.
    static func locate<T>(_ file: String, _ context: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as FlatBufferError {
            throw TFLiteError(file: file, context: context, "corrupt flatbuffer: \(e)")
        }
    }

    /// Decodes one subgraph, checking every tensor and operator index it holds.
    private static func decodeSubgraph(
        _ t: FBTable, buffers: [BufferExtent], codes: [OperatorCode], prefix: String, file: String
    ) throws -> Subgraph {
        func fail(_ context: String, _ problem: String) -> TFLiteError {
            TFLiteError(file: file, context: context, problem)
        }
        func at<T>(_ context: String, _ body: () throws -> T) throws -> T {
            try locate(file, prefix + context, body)
        }
        let tensorTables: [FBTable] = try at("tensors") { try t.tables(0) }
        var tensors: [Tensor] = []
        tensors.reserveCapacity(tensorTables.count)
        for (i, tt) in tensorTables.enumerated() {
            let name: String = try at("tensor \(i)") { sanitize(try tt.string(3) ?? "") }
            let context = prefix + "tensor \(i) (\(name))"
            let raw: (shape: [Int32], type: UInt8, buffer: UInt32, q: FBTable?) = try at("tensor \(i) (\(name))") {
                (try tt.int32s(0), try tt.u8(1), try tt.u32(2), try tt.table(4))
            }
            guard raw.shape.count <= 8 else { throw fail(context, "rank \(raw.shape.count); at most 8 is supported") }
            var count = 1
            for d in raw.shape {
                guard d >= 0 else { throw fail(context, "dimension \(d) in shape \(raw.shape)") }
                let (p, o) = count.multipliedReportingOverflow(by: Int(d))
                guard !o, p <= maxElements else { throw fail(context, "shape \(raw.shape) holds more than \(maxElements) elements") }
                count = p
            }
            let type = TensorType(rawValue: raw.type)
            guard Int(raw.buffer) < buffers.count else {
                throw fail(context, "buffer \(raw.buffer) does not exist (\(buffers.count) buffers)")
            }
            if let r = buffers[Int(raw.buffer)].range, !r.isEmpty, let size = type.byteSize, r.count != count * size {
                throw fail(context, "buffer \(raw.buffer) holds \(r.count) bytes; shape \(raw.shape) of \(type) needs \(count * size)")
            }
            var quantization: TensorQuantization? = nil
            if let q = raw.q {
                let (scales, zeros, dim): ([Float], [Int64], Int32) = try at("tensor \(i) (\(name)) quantization") {
                    (try q.floats(2), try q.int64s(3), try q.i32(6))
                }
                if !scales.isEmpty {
                    guard scales.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                        throw fail(context, "quantization scale that is negative or not finite")
                    }
                    guard zeros.isEmpty || zeros.count == scales.count else {
                        throw fail(context, "\(scales.count) quantization scales but \(zeros.count) zero points")
                    }
                    if scales.count > 1 {
                        guard dim >= 0, Int(dim) < raw.shape.count, Int(raw.shape[Int(dim)]) == scales.count else {
                            throw fail(context, "\(scales.count) per-channel scales do not match dimension \(dim) of shape \(raw.shape)")
                        }
                    }
                    quantization = TensorQuantization(scales: scales,
                                                      zeroPoints: zeros.isEmpty ? Array(repeating: 0, count: scales.count) : zeros,
                                                      dimension: Int(dim))
                }
            }
            tensors.append(Tensor(name: name, shape: raw.shape.map(Int.init), type: type,
                                  buffer: Int(raw.buffer), quantization: quantization))
        }

        func checkIndices(_ list: [Int32], _ context: String, _ what: String, optional: Bool) throws -> [Int] {
            try list.map { v in
                if optional && v == -1 { return -1 }
                guard v >= 0, Int(v) < tensors.count else {
                    throw fail(context, "\(what) tensor \(v) does not exist (\(tensors.count) tensors)")
                }
                return Int(v)
            }
        }
        let inputs = try checkIndices(try at("inputs") { try t.int32s(1) }, prefix + "subgraph inputs", "input", optional: false)
        let outputs = try checkIndices(try at("outputs") { try t.int32s(2) }, prefix + "subgraph outputs", "output", optional: false)

        let opTables: [FBTable] = try at("operators") { try t.tables(3) }
        var operators: [Operator] = []
        operators.reserveCapacity(opTables.count)
        for (i, ot) in opTables.enumerated() {
            let index = Int(try at("operator \(i)") { try ot.u32(0) })
            guard index < codes.count else {
                throw fail(prefix + "operator \(i)", "operator code \(index) does not exist (\(codes.count) codes)")
            }
            let code = codes[index]
            let context = prefix + "operator \(i) (\(code.name))"
            let (ins, outs): ([Int32], [Int32]) = try at("operator \(i) (\(code.name))") { (try ot.int32s(1), try ot.int32s(2)) }
            let options: OperatorOptions = try at("operator \(i) (\(code.name)) options") {
                try decodeOptions(ot, builtin: code.builtin)
            }
            operators.append(Operator(opcodeIndex: index, builtin: code.builtin,
                                      inputs: try checkIndices(ins, context, "input", optional: true),
                                      outputs: try checkIndices(outs, context, "output", optional: false),
                                      options: options))
        }
        let name: String = try at("subgraph name") { try t.string(4) ?? "" }
        return Subgraph(name: sanitize(name), tensors: tensors, inputs: inputs, outputs: outputs, operators: operators)
    }

    /// Decodes the builtin options of the operators edgetop runs; the union type must be the
    /// one the operator takes, and numeric fields must be in range.
    static func decodeOptions(_ op: FBTable, builtin: BuiltinOperator) throws -> OperatorOptions {
        let unionType = try op.u8(3)
        let table = try op.table(4)
        /// The options table when its union type is `expected`; an absent table reads as defaults.
        func options(_ expected: UInt8) throws -> FBTable? {
            guard let table else { return nil }
            guard unionType == expected else {
                throw FlatBufferError(offset: op.position, "builtin options of union type \(unionType); \(builtin) takes type \(expected)")
            }
            return table
        }
        func activation(_ t: FBTable?, _ field: Int) throws -> FusedActivation {
            let raw = try t?.u8(field) ?? 0
            guard let a = FusedActivation(rawValue: raw) else {
                throw FlatBufferError(offset: t?.position ?? 0, "fused activation \(raw) is not one TFLite defines")
            }
            return a
        }
        func positive(_ t: FBTable?, _ field: Int, _ what: String, default d: Int32) throws -> Int {
            let v = try t?.i32(field, default: d) ?? d
            guard (1...(1 << 16)).contains(v) else {
                throw FlatBufferError(offset: t?.position ?? 0, "\(what) \(v) is out of range")
            }
            return Int(v)
        }
        func padding(_ t: FBTable?) throws -> Padding {
            let raw = try t?.u8(0) ?? 0
            guard let p = Padding(rawValue: raw) else {
                throw FlatBufferError(offset: t?.position ?? 0, "padding \(raw) is neither SAME nor VALID")
            }
            return p
        }
        switch builtin {
        case .conv2D:
            let t = try options(1)
            return .window(WindowOptions(padding: try padding(t),
                                         strideH: try positive(t, 2, "stride_h", default: 0), strideW: try positive(t, 1, "stride_w", default: 0),
                                         dilationH: try positive(t, 5, "dilation_h", default: 1), dilationW: try positive(t, 4, "dilation_w", default: 1),
                                         filterH: 0, filterW: 0, depthMultiplier: 1, activation: try activation(t, 3)))
        case .depthwiseConv2D:
            let t = try options(2)
            return .window(WindowOptions(padding: try padding(t),
                                         strideH: try positive(t, 2, "stride_h", default: 0), strideW: try positive(t, 1, "stride_w", default: 0),
                                         dilationH: try positive(t, 6, "dilation_h", default: 1), dilationW: try positive(t, 5, "dilation_w", default: 1),
                                         filterH: 0, filterW: 0, depthMultiplier: try positive(t, 3, "depth_multiplier", default: 1),
                                         activation: try activation(t, 4)))
        case .averagePool2D, .maxPool2D:
            let t = try options(5)
            return .window(WindowOptions(padding: try padding(t),
                                         strideH: try positive(t, 2, "stride_h", default: 0), strideW: try positive(t, 1, "stride_w", default: 0),
                                         dilationH: 1, dilationW: 1,
                                         filterH: try positive(t, 4, "filter_height", default: 0), filterW: try positive(t, 3, "filter_width", default: 0),
                                         depthMultiplier: 1, activation: try activation(t, 5)))
        case .fullyConnected:
            let t = try options(8)
            return .fullyConnected(activation: try activation(t, 0), defaultWeightsFormat: try (t?.u8(1) ?? 0) == 0,
                                   keepNumDims: try t?.bool(2) ?? false)
        case .softmax:
            let t = try options(9)
            let beta = try t?.f32(0) ?? 0
            guard beta.isFinite else { throw FlatBufferError(offset: op.position, "softmax beta \(beta)") }
            return .softmax(beta: beta)
        case .concatenation:
            let t = try options(10)
            return .concatenation(axis: Int(try t?.i32(0) ?? 0), activation: try activation(t, 1))
        case .add:
            return .add(activation: try activation(try options(11), 0))
        case .resizeBilinear:
            let t = try options(15)
            return .resizeBilinear(alignCorners: try t?.bool(2) ?? false, halfPixelCenters: try t?.bool(3) ?? false)
        case .reshape:
            let t = try options(17)
            return .reshape(newShape: try t?.int32s(0).map(Int.init) ?? [])
        case .mean:
            return .reducer(keepDims: try options(27)?.bool(0) ?? false)
        default:
            return table == nil ? .none : .other(unionType: unionType)
        }
    }

    /// The whole file, or an error naming it and the system's reason.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TFLiteError(file: path, String(cString: strerror(errno))) }
        defer { Glibc.close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw TFLiteError(file: path, String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw TFLiteError(file: path, "not a regular file") }
        let size = Int(st.st_size)
        guard size <= maxFileBytes else { throw TFLiteError(file: path, "\(size) bytes is larger than a TFLite model can be") }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, size - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw TFLiteError(file: path, n == 0 ? "file shrank while being read" : String(cString: strerror(errno))) }
            done += n
        }
        return bytes
    }
}
