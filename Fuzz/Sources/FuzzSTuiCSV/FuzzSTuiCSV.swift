import EdgeTrace
import FuzzSupport

/// s-tui's CSV log.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzInput.importLog(data, size, name: "stui.csv", format: .stuiCSV)
    return 0
}

/// The entry point SwiftPM links as `main`.
@_cdecl("FuzzSTuiCSV_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.main(argc, argv, fuzz)
}
