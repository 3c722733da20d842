import Foundation
import XCTest
@testable import EdgeTrace
import EdgeTestSupport

/// Paths the EdgeTrace tests read and write.
enum TestPaths {
    /// Tests/EdgeTraceTests/Fixtures in the checkout.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// A fixture file's path.
    static func fixture(_ name: String) -> String { fixtures + "/" + name }

    /// The shared real MLPerf logs (`../shared/realdata` beside the checkout on CI, further up
    /// in a worktree), else the committed copy, so the tests always run.
    static func realdata(_ relative: String, requireShared: Bool = false) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        for candidate in [root.appendingPathComponent("../shared/realdata"), root.appendingPathComponent("../../shared/realdata")] {
            let p = candidate.standardized.path + "/" + relative
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        if requireShared { throw XCTSkip("shared/realdata is not beside this checkout") }
        return fixture("realdata/" + relative)
    }

    /// A fresh temporary directory, removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase) throws -> String {
        try TestFiles.temporaryDirectory(test, prefix: "edgetrace")
    }
}

let phoneDetail = "mlperf_mobile_v2.1_asus-rog6_sd8plusgen1_mobilenetedgetpu_singlestream/mlperf_log_detail.txt"
let phoneSummary = "mlperf_mobile_v2.1_asus-rog6_sd8plusgen1_mobilenetedgetpu_singlestream/mlperf_log_summary.txt"
let phoneSystem = "mlperf_mobile_v2.1_asus-rog6_sd8plusgen1_mobilenetedgetpu_singlestream/system_SD8PG1_Asus_ROG6.json"
let bertTrace = "mlperf_mobile_v2.1_asus-rog6_sd8plusgen1_mobilebert_singlestream_accuracy_trace/mlperf_log_trace.json"
let bertSummary = "mlperf_mobile_v2.1_asus-rog6_sd8plusgen1_mobilebert_singlestream_accuracy_trace/mlperf_log_summary.txt"
let jetsonDetail = "mlperf_v3.0_jetson-agx-orin-maxq_resnet50_singlestream/mlperf_log_detail.txt"
let jetsonSummary = "mlperf_v3.0_jetson-agx-orin-maxq_resnet50_singlestream/mlperf_log_summary.txt"
let jetsonPower = "mlperf_v3.0_jetson-agx-orin-maxq_resnet50_singlestream/spl.txt"
let jetsonSystem = "mlperf_v3.0_jetson-agx-orin-maxq_resnet50_singlestream/system_Orin_TRT_MaxQ.json"

/// Every event of `source`, in order.
func readAll(_ source: EventSource) throws -> [Event] {
    var out: [Event] = []
    while let e = try source.next() { out.append(e) }
    return out
}

/// The TraceError message that opening and reading `path` to the end produces (nil if none).
func readError(_ path: String) -> String? {
    do {
        let r = try TraceReader(path: path)
        _ = try readAll(r)
        return nil
    } catch let e as TraceError {
        return e.description
    } catch {
        return "unexpected error \(error)"
    }
}

/// A header for tests.
func testHeader(source: TraceSource = .recorded) -> TraceHeader {
    TraceHeader(device: DeviceInfo(cpuModel: "Test CPU", cores: 4, os: "Linux", kernel: "6.8.0", hasThermalSensors: false),
                source: source, model: "mobilenet-v1-1.0-224", startTime: "2026-11-26T04:00:00Z")
}
