/// A problem with a trace or log file, phrased for the person who has to fix it:
/// `file:line: problem` (line omitted when the problem is the file as a whole).
public struct TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line number, nil when the problem is not on one line.
    public var line: Int?
    public var problem: String

    /// An error; `problem` is sanitised because it may quote the file's content.
    public init(file: String, line: Int? = nil, problem: String) {
        self.file = file; self.line = line; self.problem = sanitize(problem)
    }

    public var description: String {
        if let line { return "\(sanitize(file)):\(line): \(problem)" }
        return "\(sanitize(file)): \(problem)"
    }
}

/// A problem inside one JSON record, before the reader adds the file and line.
struct FieldProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Typed access to the members of one decoded JSON object, with errors that name the
/// member ("missing field \"t\"", "field \"latency_ns\" should be an integer, found a string").
struct FieldReader {
    let members: JSONObject
    /// Path prefix for nested objects, e.g. "temperatures[1].".
    let path: String

    init(_ value: JSONValue, path: String = "") throws {
        guard case .object(let o) = value else {
            throw FieldProblem(path.isEmpty ? "expected a JSON object, found \(value.typeDescription)"
                                            : "field \"\(path.dropLast())\" should be an object, found \(value.typeDescription)")
        }
        members = o; self.path = path
    }

    private func present(_ key: String) -> JSONValue? {
        guard let v = members[key] else { return nil }
        if case .null = v { return nil }
        return v
    }

    private func mistyped(_ key: String, _ want: String, _ got: JSONValue) -> FieldProblem {
        FieldProblem("field \"\(path)\(key)\" should be \(want), found \(got.typeDescription)")
    }

    func double(_ key: String) throws -> Double {
        guard let v = present(key) else { throw FieldProblem("missing field \"\(path)\(key)\"") }
        return try doubleValue(key, v)
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let v = present(key) else { return nil }
        return try doubleValue(key, v)
    }

    private func doubleValue(_ key: String, _ v: JSONValue) throws -> Double {
        guard let d = v.doubleValue else { throw mistyped(key, "a number", v) }
        guard d.isFinite else { throw FieldProblem("field \"\(path)\(key)\" is not a finite number") }
        return d
    }

    func string(_ key: String) throws -> String {
        guard let v = present(key) else { throw FieldProblem("missing field \"\(path)\(key)\"") }
        guard let s = v.stringValue else { throw mistyped(key, "a string", v) }
        return sanitize(s)
    }

    func optionalString(_ key: String) throws -> String? {
        guard let v = present(key) else { return nil }
        guard let s = v.stringValue else { throw mistyped(key, "a string", v) }
        return sanitize(s)
    }

    func int(_ key: String) throws -> Int {
        guard let v = present(key) else { throw FieldProblem("missing field \"\(path)\(key)\"") }
        return try intValue(key, v)
    }

    func optionalInt(_ key: String) throws -> Int? {
        guard let v = present(key) else { return nil }
        return try intValue(key, v)
    }

    private func intValue(_ key: String, _ v: JSONValue) throws -> Int {
        guard let i = v.int64Value else { throw mistyped(key, "an integer", v) }
        return Int(i)
    }

    func uint64(_ key: String) throws -> UInt64 {
        guard let v = present(key) else { throw FieldProblem("missing field \"\(path)\(key)\"") }
        return try uint64Value(key, v)
    }

    func optionalUInt64(_ key: String) throws -> UInt64? {
        guard let v = present(key) else { return nil }
        return try uint64Value(key, v)
    }

    private func uint64Value(_ key: String, _ v: JSONValue) throws -> UInt64 {
        guard let i = v.int64Value else { throw mistyped(key, "an integer", v) }
        guard i >= 0 else { throw FieldProblem("field \"\(path)\(key)\" should not be negative, found \(i)") }
        return UInt64(i)
    }

    func bool(_ key: String) throws -> Bool {
        guard let v = present(key) else { throw FieldProblem("missing field \"\(path)\(key)\"") }
        guard let b = v.boolValue else { throw mistyped(key, "true or false", v) }
        return b
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let v = present(key) else { return nil }
        guard let b = v.boolValue else { throw mistyped(key, "true or false", v) }
        return b
    }

    /// The array member `key` (empty when absent), each element handed to `body` with its path.
    func array<T>(_ key: String, _ body: (JSONValue, String) throws -> T) throws -> [T] {
        guard let v = present(key) else { return [] }
        guard case .array(let items) = v else { throw mistyped(key, "an array", v) }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { out.append(try body(item, "\(path)\(key)[\(i)]")) }
        return out
    }

    func object(_ key: String) throws -> FieldReader? {
        guard let v = present(key) else { return nil }
        return try FieldReader(v, path: "\(path)\(key).")
    }
}
