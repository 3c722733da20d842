import XCTest
@testable import EdgeDashboard

final class BufferTests: XCTestCase {
    func testChangesListOnlyDifferingCells() {
        var a = Buffer(width: 3, height: 2)
        XCTAssertEqual(a.changes(from: nil).count, 6)
        let before = a
        a[1, 1] = Cell("x")
        a[9, 9] = Cell("y") // outside: dropped
        let diff = a.changes(from: before)
        XCTAssertEqual(diff.count, 1)
        XCTAssertEqual(diff.first?.x, 1); XCTAssertEqual(diff.first?.y, 1)
        XCTAssertEqual(a.lines(), ["   ", " x "])
    }
}
