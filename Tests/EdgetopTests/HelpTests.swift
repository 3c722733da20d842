import XCTest

final class HelpTests: XCTestCase {
    func testHelpListsTheSubcommands() throws {
        let r = try runEdgetop(["--help"])
        XCTAssertEqual(r.status, 0)
        for sub in ["record", "stats", "bench"] { XCTAssertTrue(r.stdout.contains(sub), sub) }
    }
}
