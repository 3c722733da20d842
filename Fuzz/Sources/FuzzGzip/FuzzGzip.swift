import EdgeTrace
import FuzzSupport

/// Gzip-compressed input (the seeds are .gz files): the reader inflates in bounded memory and reports corrupt or cut streams.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzInput.openSession(data, size, name: "trace.jsonl.gz")
    return 0
}

/// The entry point SwiftPM links as `main`.
@_cdecl("FuzzGzip_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.main(argc, argv, fuzz)
}
