import XCTest
@testable import EdgeDashboard

final class LayoutTests: XCTestCase {
    func testSizesWhenEverythingFits() {
        XCTAssertEqual(Layout.sizes([.length(1), .min(0), .length(1)], total: 24), [1, 22, 1])
        XCTAssertEqual(Layout.sizes([.percentage(50), .min(0)], total: 81), [40, 41])
        XCTAssertEqual(Layout.sizes([.percentage(40), .min(8)], total: 22), [8, 14])
        // Spare space without a min segment goes to the last one.
        XCTAssertEqual(Layout.sizes([.length(3), .percentage(10)], total: 20), [3, 17])
        // Spare space is shared by min segments, odd cells to the first.
        XCTAssertEqual(Layout.sizes([.min(2), .length(4), .min(2)], total: 13), [5, 4, 4])
    }

    func testWeakerConstraintsGiveWayFirst() {
        // Percentage yields before length, length before min.
        XCTAssertEqual(Layout.sizes([.percentage(50), .length(6), .min(4)], total: 12), [2, 6, 4])
        XCTAssertEqual(Layout.sizes([.length(6), .min(4)], total: 7), [3, 4])
        XCTAssertEqual(Layout.sizes([.min(5), .min(5)], total: 7), [5, 2])
        XCTAssertEqual(Layout.sizes([.length(3)], total: 0), [0])
    }

    func testSplitCoversAreaExactly() {
        let area = Rect(x: 2, y: 3, width: 50, height: 10)
        let cols = Layout.split(area, .horizontal, [.length(10), .percentage(30), .min(5)])
        XCTAssertEqual(cols.map(\.x), [2, 12, 27])
        XCTAssertEqual(cols.map(\.width), [10, 15, 25])
        XCTAssertTrue(cols.allSatisfy { $0.y == 3 && $0.height == 10 })
        let rows = Layout.split(area, .vertical, [.length(1), .min(0)])
        XCTAssertEqual(rows[1], Rect(x: 2, y: 4, width: 50, height: 9))
    }

    func testRectIntersectionAndInset() {
        let a = Rect(x: 0, y: 0, width: 10, height: 5)
        XCTAssertEqual(a.intersection(Rect(x: 8, y: 3, width: 10, height: 10)), Rect(x: 8, y: 3, width: 2, height: 2))
        XCTAssertTrue(a.intersection(Rect(x: 20, y: 0, width: 1, height: 1)).isEmpty)
        XCTAssertEqual(a.inset(1), Rect(x: 1, y: 1, width: 8, height: 3))
        XCTAssertTrue(Rect(x: 0, y: 0, width: 1, height: 1).inset(1).isEmpty)
    }
}
