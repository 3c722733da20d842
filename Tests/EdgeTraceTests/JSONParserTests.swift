import XCTest
@testable import EdgeTrace

final class JSONParserTests: XCTestCase {
    func testValues() throws {
        let v = try JSONParser.parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null], "s": "q\"\\\/\n\u00e9\ud83d\ude00", "big": 12345678901234567890} "#)
        XCTAssertEqual(v["a"], .array([.int(1), .int(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null]))
        XCTAssertEqual(v["s"], .string("q\"\\/\né😀"))
        XCTAssertEqual(v["big"], .double(12345678901234567890))
    }

    func testErrorsSayWhereAndWhat() {
        func message(_ s: String) -> String {
            do { _ = try JSONParser.parse(s); return "no error" } catch let e as JSONParseError {
                return "\(e.column): \(e.message)"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(message(#"{"a":1"#), "7: unexpected end of line inside an object")
        XCTAssertEqual(message(#"{"a":tru}"#), "6: unexpected character 't'")
        XCTAssertEqual(message(#"{"a":1} x"#), "9: unexpected text after the value")
        XCTAssertEqual(message(#"{"a":"\q"}"#), #"7: invalid escape '\q' in a string"#)
        XCTAssertEqual(message(#"{"a":-}"#), "7: expected digits in a number")
        XCTAssertEqual(message(#"{a:1}"#), "2: expected a member name in quotes")
    }

    func testLoadGenDoubledQuotesOnlyInLenientMode() throws {
        let line = #"{"name":"LogDetail","args":{"key":""loadgen_version"","empty":"","msg":""  Min duration satisfied : ""}}"#
        XCTAssertThrowsError(try JSONParser.parse(line))
        let v = try JSONParser.parse(line, lenient: true)
        XCTAssertEqual(v["args"]?["key"], .string("loadgen_version"))
        XCTAssertEqual(v["args"]?["empty"], .string(""))
        XCTAssertEqual(v["args"]?["msg"], .string("  Min duration satisfied : "))
    }
}
