import Foundation
import XCTest
@testable import EdgeTrace

/// The `layers` and `processes` events on the wire, the layer table fold behind the live
/// table and `stats --layers`, and the layer-by-layer A/B comparison.
final class LayerEventTests: XCTestCase {
    static func profile(t: Double, ns: [UInt64], backend: String = "int8", model: String = "m",
                        emulated: Bool = false, peak: Double? = 200) -> LayerProfile {
        let names = ["conv_0", "dw_1", "pw_1", "fc"]
        let kinds = ["conv3x3s2", "dw3x3s1", "conv1x1s1", "fc"]
        let macs = [1_000_000, 0, 4_000_000, 2_000]
        return LayerProfile(t: t, backend: backend, model: model, emulated: emulated, peakGMACs: peak,
                            layers: ns.indices.map { i in
                                LayerSample(name: names[i], kind: kinds[i], shape: "8x8x\(i + 1)", macs: macs[i],
                                            kernel: "k\(i)", ns: ns[i])
                            })
    }

    static let events: [Event] = [
        .layers(profile(t: 1.5, ns: [1000, 2000, 40_000, 1])),
        .layers(profile(t: 2, ns: [3, 0, 7, 9], backend: "fp32", model: "weird \"name\"", emulated: true, peak: nil)),
        .processes(ProcessSample(t: 2.5, interval: 2, processes: [
            ProcessEntry(pid: 4242, name: "cc1plus", cpu: 1.97, rssBytes: 512 << 20),
            ProcessEntry(pid: 17, name: "edgetop-infer", cpu: 0.02, rssBytes: 80 << 20, kind: .ownThread),
            ProcessEntry(pid: 2, name: "kworker/0:1", cpu: 0.001, rssBytes: 0, kind: .kernelThread),
        ])),
        .processes(ProcessSample(t: 3, interval: 0.5, processes: [])),
    ]

    func testLayerAndProcessEventsRoundTripExactly() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/layers.jsonl.gz"
        let w = try TraceWriter(path: path, header: testHeader())
        for e in Self.events { try w.write(e) }
        try w.close()
        XCTAssertEqual(try readAll(try TraceReader(path: path)), Self.events)
    }

    func testWireFormat() {
        let line = TraceFormat.encodeLine(.layers(LayerProfile(t: 1, backend: "int8", model: "m", peakGMACs: 150,
            layers: [LayerSample(name: "c", kind: "conv1x1s1", shape: "7x7x1024", macs: 50, kernel: "q8gemm", ns: 1200)])))
        XCTAssertEqual(line, #"{"type":"layers","t":1,"backend":"int8","model":"m","peak_gmacs":150,"layers":[{"name":"c","kind":"conv1x1s1","shape":"7x7x1024","macs":50,"kernel":"q8gemm","ns":1200}]}"#)
        let p = TraceFormat.encodeLine(.processes(ProcessSample(t: 2, interval: 1, processes: [
            ProcessEntry(pid: 9, name: "x", cpu: 0.5, rssBytes: 4096, kind: .ownThread)])))
        XCTAssertEqual(p, #"{"type":"processes","t":2,"interval":1,"processes":[{"pid":9,"name":"x","cpu":0.5,"rss":4096,"kind":"own"}]}"#)
    }

    private func problem(_ eventLine: String) throws -> String? {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/bad.jsonl"
        let header = String(decoding: TraceFormat.encode(testHeader()), as: UTF8.self)
        try (header + "\n" + eventLine + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return readError(path).map { String($0.dropFirst(path.count)) }
    }

    func testBadLayerAndProcessFieldsNameLineAndProblem() throws {
        XCTAssertEqual(try problem(#"{"type":"layers","t":1,"backend":"a","model":"m","layers":[{"name":"c","kind":"k","shape":"s","macs":-1,"kernel":"q","ns":1}]}"#),
                       #":2: field "layers[0].macs" should not be negative, found -1"#)
        XCTAssertEqual(try problem(#"{"type":"layers","t":1,"backend":"a","model":"m","layers":[{"name":"c","kind":"k","shape":"s","macs":1,"kernel":"q"}]}"#),
                       #":2: missing field "layers[0].ns""#)
        XCTAssertEqual(try problem(#"{"type":"layers","t":1,"backend":"a","model":"m","peak_gmacs":0,"layers":[]}"#),
                       #":2: field "peak_gmacs" should be a positive number, found 0.0"#)
        XCTAssertEqual(try problem(#"{"type":"processes","t":1,"interval":1,"processes":[{"pid":1,"name":"x","cpu":0.1,"rss":1,"kind":"zombie"}]}"#),
                       #":2: field "processes[0].kind" should be one of process, kernel, own; found "zombie""#)
        XCTAssertEqual(try problem(#"{"type":"processes","t":1,"interval":0,"processes":[]}"#),
                       #":2: field "interval" should be a positive number of seconds, found 0.0"#)
    }

    func testProcessNamesFromAFileAreSanitised() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let path = dir + "/names.jsonl"
        let header = String(decoding: TraceFormat.encode(testHeader()), as: UTF8.self)
        let line = #"{"type":"processes","t":1,"interval":1,"processes":[{"pid":1,"name":"evil\u001b[2Jname","cpu":0.1,"rss":1}]}"#
        try (header + "\n" + line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard case .processes(let p) = try readAll(try TraceReader(path: path)).first else { return XCTFail("no event") }
        XCTAssertFalse(p.processes[0].name.unicodeScalars.contains { $0.value < 0x20 }, p.processes[0].name)
    }

    func testLayerTableTakesTheMedianOfItsWindow() throws {
        var table = LayerTable(Self.profile(t: 1, ns: [100, 10, 1000, 5]), window: 3)
        table.add(Self.profile(t: 2, ns: [300, 10, 3000, 5]))
        table.add(Self.profile(t: 3, ns: [200, 10, 2000, 5]))
        XCTAssertEqual(table.rows.map(\.medianNs), [200, 10, 2000, 5])
        // A fourth profile replaces the oldest: the window is now 300, 200, 900.
        table.add(Self.profile(t: 4, ns: [900, 10, 500, 5]))
        let rows = table.rows
        XCTAssertEqual(rows.map(\.medianNs), [300, 10, 2000, 5])
        XCTAssertEqual(table.sampleCount, 3)
        XCTAssertEqual(table.profileCount, 4)
        XCTAssertEqual(rows[2].share, 2000.0 / 2315, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(rows[2].gmacs), 4_000_000.0 / 2000, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(rows[2].peakShare), 2000.0 / 200, accuracy: 1e-9)
        XCTAssertNil(rows[1].gmacs, "a layer without MACs has no rate")
        XCTAssertEqual(LayerTable.median([4, 1, 3, 2]), 2.5)
    }

    func testAChangedLayerListStartsTheTableAfresh() {
        var table = LayerTable(Self.profile(t: 1, ns: [100, 10, 1000, 5]))
        table.add(Self.profile(t: 2, ns: [7, 8, 9]))
        XCTAssertEqual(table.rows.map(\.medianNs), [7, 8, 9])
        XCTAssertEqual(table.profileCount, 1)
    }

    func testTablesAreKeptPerModelBackendAndOrigin() {
        var tables = LayerTables(window: 4)
        tables.add(Self.profile(t: 1, ns: [1, 1, 1, 1]))
        tables.add(Self.profile(t: 2, ns: [2, 2, 2, 2], backend: "fp32"))
        tables.add(Self.profile(t: 3, ns: [3, 3, 3, 3], emulated: true))
        XCTAssertEqual(tables.tables.count, 3)
        XCTAssertEqual(tables.table(model: "m", backend: "int8")?.key.emulated, true, "under emulation the emulated times are shown")
        XCTAssertEqual(tables.table(model: "m", backend: "fp32")?.rows.first?.medianNs, 2)
        XCTAssertNil(tables.table(model: "other", backend: "int8"))
        XCTAssertEqual(tables.newest?.key.emulated, true)
        for i in 0..<20 { tables.add(Self.profile(t: 4, ns: [1], model: "model-\(i)")) }
        XCTAssertEqual(tables.tables.count, LayerTables.maxTables)
        XCTAssertEqual(tables.dropped, 20 - (LayerTables.maxTables - 3))
    }

    func testComparisonPairsLayersByNameAndNamesTheSlowerOnes() {
        var a = LayerTable(Self.profile(t: 1, ns: [1000, 100, 10_000, 50]))
        a.add(Self.profile(t: 2, ns: [1000, 100, 10_000, 50]))
        let b = LayerTable(Self.profile(t: 1, ns: [1050, 300, 5_000, 50], backend: "fp32"))
        let c = LayerComparison(a: a, b: b)
        XCTAssertEqual(c.pairs.count, 4)
        let text = c.text(labelA: "a.jsonl", labelB: "b.jsonl")
        XCTAssertTrue(text.contains("slower by more than 10%: dw_1 x3.00"), text)
        XCTAssertTrue(text.contains("faster by more than 10%: pw_1 x0.50"), text)
        XCTAssertTrue(text.contains("A a.jsonl: m on int8, 2 profiles"), text)
        XCTAssertTrue(text.contains("total 0.011 -> 0.006 ms (B/A 0.57)"), text)
        XCTAssertFalse(text.contains("conv_0") && text.split(separator: "\n").first { $0.contains("conv_0") }!.contains("slower"),
                       "5% is within the threshold")
    }

    func testStatsLayersTextLabelsTheOriginAndSampleSize() {
        let t = LayerTable(Self.profile(t: 1, ns: [2_000_000, 100_000, 10_000_000, 50], emulated: true))
        let text = t.text()
        XCTAssertTrue(text.hasPrefix("layers: m on int8, emulated (the device profile's compute model), median of 1 profiled inference\n"), text)
        let pw = text.split(separator: "\n").first { $0.contains("pw_1") }.map(String.init) ?? ""
        XCTAssertEqual(pw, "     2  pw_1            conv1x1s1  8x8x3             4.00   10.000  82.6%     0.4   0.2%  k2")
    }
}
