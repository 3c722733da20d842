import EdgeTrace
import FuzzSupport

/// An edgetop trace file, line decoding included: whatever decodes re-encodes to the same events.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzInput.openSession(data, size, name: "trace.jsonl")
    return 0
}

/// The entry point SwiftPM links as `main`.
@_cdecl("FuzzTraceFile_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.main(argc, argv, fuzz)
}
