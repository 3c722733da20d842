import EdgeTFLite
import FuzzSupport

/// A .tflite model file: the flatbuffer reader, the appended labels archive, the
/// interpreter's checks, and one inference when the checks pass and the input is small.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let model = try? TFLiteModel(bytes: bytes, file: "fuzz.tflite") else { return 0 }
    _ = model.labels
    guard let interpreter = try? ReferenceInterpreter(model: model) else { return 0 }
    let input = interpreter.inputTensor
    // A valid model may ask for any size of input; one inference is run on the small ones.
    guard input.elementCount <= 1 << 16 else { return 0 }
    let count = input.elementCount * (input.type.byteSize ?? 1)
    _ = try? interpreter.run(input: [UInt8](repeating: 1, count: count))
    return 0
}

/// The entry point SwiftPM links as `main`.
@_cdecl("FuzzTFLite_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.main(argc, argv, fuzz)
}
