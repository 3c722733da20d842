import EdgeTrace
import FuzzSupport

/// MLPerf LoadGen's mlperf_log_summary.txt.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzInput.importLog(data, size, name: "mlperf_log_summary.txt", format: .loadgenSummary)
    return 0
}

/// The entry point SwiftPM links as `main`.
@_cdecl("FuzzLoadGenSummary_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.main(argc, argv, fuzz)
}
