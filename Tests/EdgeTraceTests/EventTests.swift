import XCTest
@testable import EdgeTrace

final class EventTests: XCTestCase {
    func testEventTimeAndBusyShare() {
        let e = Event.inference(InferenceEvent(t: 1.5, backend: "int8", model: "m", latencyNs: 10))
        XCTAssertEqual(e.t, 1.5)
        let load = CoreLoad(user: 0.25, system: 0.25, iowait: 0.5)
        XCTAssertEqual(load.busy, 0.5, accuracy: 1e-12)
    }
}
