import XCTest
import EdgeTrace
@testable import EdgeDashboard

final class PreviewTests: XCTestCase {
    func testPreview() throws {
        guard ProcessInfo.processInfo.environment["EDGETOP_PREVIEW"] != nil else { throw XCTSkip("preview only") }
        let state = Fixture.state(mode: .replay(position: 42, length: 120, speed: 1, paused: false))
        for (w, h) in [(80, 24), (120, 40)] {
            print(DashboardScreen.render(state, width: w, height: h).lines().joined(separator: "\n"))
        }
    }
}
