import XCTest
@testable import EdgeTrace

/// One import holds one run: logs whose facts or times disagree are refused unless forced.
final class ImportRunTests: XCTestCase {
    private let detail = TestPaths.fixture("loadgen/mlperf_log_detail.txt")
    private let trace = TestPaths.fixture("loadgen/mlperf_log_trace.json.gz")
    private let summary = TestPaths.fixture("loadgen/mlperf_log_summary.txt")

    private func refusal(_ paths: [String]) -> String? {
        do { _ = try Importer.session(paths: paths); return nil } catch let e as TraceError { return e.description } catch { return "\(error)" }
    }

    func testLogsOfOneRunMerge() throws {
        XCTAssertNil(refusal([trace, detail, summary]))
        XCTAssertEqual(Importer.runConflicts(try [trace, detail, summary].map { try Importer.load(path: $0) }).count, 0)
    }

    func testSummaryOfAnotherRunIsRefused() throws {
        let other = TestPaths.fixture("import/other-run_mlperf_log_summary.txt")
        let message = try XCTUnwrap(refusal([detail, other]))
        XCTAssertEqual(message, "\(other): max latency (ns) is \"5210044\" but \"4167080\" in \(detail): these logs come from different runs")
        // The trace's own extremes catch it too, with no detail log in between.
        XCTAssertNotNil(refusal([trace, other]))
    }

    func testDifferentSUTAndScenarioAreRefused() throws {
        let jetson = try TestPaths.realdata(jetsonSummary)
        let message = try XCTUnwrap(refusal([detail, jetson]))
        XCTAssertTrue(message.contains("SUT is \"LWIS_Server\" but \"PySUT\""), message)
    }

    func testTwoLogsOfOneKindAreRefused() throws {
        let message = try XCTUnwrap(refusal([detail, try TestPaths.realdata(jetsonDetail)]))
        XCTAssertTrue(message.hasSuffix("one import holds the logs of one run"), message)
        XCTAssertTrue(message.contains("a second MLPerf LoadGen detail log"), message)
    }

    func testLogsDaysApartAreRefused() throws {
        let power = TestPaths.fixture("import/other-day_spl.txt")
        let message = try XCTUnwrap(refusal([try TestPaths.realdata(jetsonDetail), power]))
        XCTAssertTrue(message.hasPrefix("\(power): its times (2023-03-02"), message)
        XCTAssertTrue(message.hasSuffix("these logs come from different runs"), message)
        // The real power log of that run lines up and merges.
        XCTAssertNil(refusal([try TestPaths.realdata(jetsonDetail), try TestPaths.realdata(jetsonPower)]))
    }

    /// The MobileBERT accuracy run's summary holds no figures: nothing refuses it beside the
    /// phone's MobileNet detail log, so the import says it added nothing.
    func testALogThatStatesNothingIsSaidToAddNothing() throws {
        let empty = try TestPaths.realdata(bertSummary)
        let source = try Importer.session(paths: [try TestPaths.realdata(phoneDetail), empty])
        XCTAssertEqual(source.warnings.filter { $0.hasPrefix("\(empty): holds no events, figures or facts of its run") }.count, 1,
                       "\(source.warnings)")
        // A log that states its run is not warned about.
        let jetson = try Importer.session(paths: [try TestPaths.realdata(jetsonDetail), try TestPaths.realdata(jetsonPower)])
        XCTAssertFalse(jetson.warnings.contains { $0.contains("holds no events") }, "\(jetson.warnings)")
    }

    func testForceMergesAndKeepsEveryConflictAsAWarning() throws {
        let other = TestPaths.fixture("import/other-run_mlperf_log_summary.txt")
        let source = try Importer.session(paths: [trace, other], options: ImportOptions(allowMixedRuns: true))
        XCTAssertEqual(source.warnings.count, 1, "\(source.warnings)")
        XCTAssertTrue(source.warnings[0].hasPrefix("merged despite --force: \(other): max latency (ns)"), source.warnings[0])
        XCTAssertEqual(try readAll(source).count, 3000)
    }
}
