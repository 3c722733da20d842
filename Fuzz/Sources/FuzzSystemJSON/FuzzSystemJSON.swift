import EdgeTrace
import FuzzSupport

/// An MLPerf system description JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzInput.importLog(data, size, name: "system.json", format: .systemDescription)
    return 0
}

/// The entry point SwiftPM links as `main`.
@_cdecl("FuzzSystemJSON_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.main(argc, argv, fuzz)
}
