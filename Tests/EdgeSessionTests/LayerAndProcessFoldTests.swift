import EdgeTrace
import XCTest
@testable import EdgeSession

/// The statistics fold keeps a recent median per layer and the newest process sample, and
/// a reset clears the layer medians.
final class LayerAndProcessFoldTests: XCTestCase {
    private func profile(_ t: Double, _ ns: UInt64, backend: String = "int8") -> Event {
        .layers(LayerProfile(t: t, backend: backend, model: "m", layers: [
            LayerSample(name: "a", kind: "conv1x1s1", shape: "1x1x1", macs: 1000, kernel: "k", ns: ns)]))
    }

    func testLayerMediansCoverTheNewestWindowOnly() {
        var s = SessionStats()
        for i in 0..<SessionStats.layerWindow { s.apply(profile(Double(i), 1000)) }
        for i in 0..<(SessionStats.layerWindow / 2 + 1) { s.apply(profile(Double(100 + i), 5000)) }
        let table = s.layerTables.table(model: "m", backend: "int8")
        XCTAssertEqual(table?.sampleCount, SessionStats.layerWindow)
        XCTAssertEqual(table?.rows.first?.medianNs, 5000, "most of the window is the newer, slower profiles")
        s.apply(profile(200, 7, backend: "fp32"))
        XCTAssertEqual(s.layerTables.tables.count, 2)
        s.reset()
        XCTAssertTrue(s.layerTables.tables.isEmpty)
    }

    func testNewestProcessSampleIsKept() {
        var s = SessionStats()
        XCTAssertNil(s.processes)
        s.apply(.processes(ProcessSample(t: 1, interval: 2, processes: [ProcessEntry(pid: 1, name: "a", cpu: 0.5, rssBytes: 1)])))
        s.apply(.processes(ProcessSample(t: 3, interval: 2, processes: [ProcessEntry(pid: 2, name: "b", cpu: 1.5, rssBytes: 1)])))
        XCTAssertEqual(s.processes?.processes.map(\.pid), [2])
        XCTAssertEqual(s.now, 3)
    }
}
