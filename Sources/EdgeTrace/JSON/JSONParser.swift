/// Why a line is not JSON, with the 1-based column where parsing stopped.
public struct JSONParseError: Error, Sendable, Equatable {
    public var column: Int
    public var message: String
}

/// A small recursive-descent JSON parser over UTF-8 bytes. It exists because traces are
/// millions of short lines and Foundation's parser costs an NSDictionary per line.
///
/// `lenient` accepts MLPerf LoadGen's doubled-quote quirk (`"key":""value""`), which
/// LoadGen writes into `mlperf_log_trace.json` for string arguments.
public struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0
    private let lenient: Bool
    private var depth = 0
    private static let maxDepth = 64

    /// Parses exactly one JSON value from `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, lenient: Bool = false) throws -> JSONValue {
        var p = JSONParser(bytes: bytes, lenient: lenient)
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        if p.pos < bytes.count { throw p.fail("unexpected text after the value") }
        return v
    }

    /// Parses a Swift string (convenience for tests and small inputs).
    public static func parse(_ text: String, lenient: Bool = false) throws -> JSONValue {
        var s = text
        return try s.withUTF8 { try parse($0, lenient: lenient) }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, lenient: Bool) {
        self.bytes = bytes; self.lenient = lenient
    }

    private func fail(_ message: String) -> JSONParseError {
        JSONParseError(column: pos + 1, message: message)
    }

    private var atEnd: Bool { pos >= bytes.count }
    private var peek: UInt8 { bytes[pos] }

    private mutating func skipSpace() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { pos += 1 } else { break }
        }
    }

    private mutating func value() throws -> JSONValue {
        guard !atEnd else { throw fail("unexpected end of line") }
        switch peek {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""):
            if lenient, let s = try doubledQuoteString() { return .string(s) }
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character '\(printable(peek))'")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw fail("unexpected end of line") }
        for i in 0..<n where bytes[pos + i] != word.utf8Start[i] {
            throw fail("unexpected character '\(printable(bytes[pos]))'")
        }
        pos += n
    }

    private mutating func enter() throws {
        depth += 1
        if depth > JSONParser.maxDepth { throw fail("nested deeper than \(JSONParser.maxDepth) levels") }
    }

    private mutating func object() throws -> JSONValue {
        try enter(); defer { depth -= 1 }
        pos += 1
        var members = JSONObject()
        skipSpace()
        if !atEnd && peek == UInt8(ascii: "}") { pos += 1; return .object(members) }
        while true {
            skipSpace()
            guard !atEnd else { throw fail("unexpected end of line inside an object") }
            guard peek == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
            let key = try string()
            skipSpace()
            guard !atEnd, peek == UInt8(ascii: ":") else { throw fail("expected ':' after a member name") }
            pos += 1
            skipSpace()
            members.members.append(JSONObject.Member(key: key, value: try value()))
            skipSpace()
            guard !atEnd else { throw fail("unexpected end of line inside an object") }
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            if peek == UInt8(ascii: "}") { pos += 1; return .object(members) }
            throw fail("expected ',' or '}' in an object")
        }
    }

    private mutating func array() throws -> JSONValue {
        try enter(); defer { depth -= 1 }
        pos += 1
        var items: [JSONValue] = []
        skipSpace()
        if !atEnd && peek == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard !atEnd else { throw fail("unexpected end of line inside an array") }
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            if peek == UInt8(ascii: "]") { pos += 1; return .array(items) }
            throw fail("expected ',' or ']' in an array")
        }
    }

    /// LoadGen's `""value""`: two quotes whose next non-space byte cannot end a value. The
    /// value ends at the first `""` followed (after spaces) by `,`, `}`, `]` or the line end.
    /// Returns nil (position unchanged) when this is an ordinary empty string.
    private mutating func doubledQuoteString() throws -> String? {
        guard pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "\"") else { return nil }
        if endsValue(from: pos + 2) { return nil }
        let start = pos + 2
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == UInt8(ascii: "\"") && bytes[i + 1] == UInt8(ascii: "\"") && endsValue(from: i + 2) {
                pos = i + 2
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            }
            i += 1
        }
        return nil
    }

    /// Whether only spaces and then `,` `}` `]` `:` or the end follow `index`.
    private func endsValue(from index: Int) -> Bool {
        var i = index
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
        guard i < bytes.count else { return true }
        let c = bytes[i]
        return c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == UInt8(ascii: ":")
    }

    private mutating func string() throws -> String {
        pos += 1
        let start = pos
        // Fast path: no escapes.
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            pos += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c != UInt8(ascii: "\\") { out.append(c); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar), pos + 1 < bytes.count,
                   bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                    pos += 2
                    let low = try hex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                pos -= 2
                throw fail("invalid escape '\\\(printable(e))' in a string")
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    private mutating func number() throws -> JSONValue {
        let start = pos
        var isInteger = true
        if peek == UInt8(ascii: "-") { pos += 1 }
        let digitsStart = pos
        while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
        guard pos > digitsStart else { throw fail("expected digits in a number") }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            let f = pos
            while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
            guard pos > f else { throw fail("expected digits after '.' in a number") }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            let e = pos
            while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
            guard pos > e else { throw fail("expected digits in an exponent") }
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<pos])
        if isInteger, text.count <= 19 {
            var v: Int64 = 0
            var neg = false
            for c in text {
                if c == UInt8(ascii: "-") { neg = true; continue }
                v = v &* 10 &+ Int64(c - UInt8(ascii: "0"))
            }
            if v >= 0 { return .int(neg ? -v : v) }
        }
        guard let d = Double(String(decoding: text, as: UTF8.self)) else { throw fail("invalid number") }
        return .double(d)
    }
}

/// A byte as it may be quoted in an error message: printable ASCII as is, anything else as hex.
private func printable(_ c: UInt8) -> String {
    (0x21...0x7E).contains(c) ? String(UnicodeScalar(c)) : "0x" + String(c, radix: 16)
}
