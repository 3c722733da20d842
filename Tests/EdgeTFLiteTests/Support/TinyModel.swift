/// A hand-made int8 TFLite model: QUANTIZE, then a 3x3/2 SAME CONV_2D with per-channel
/// weights and fused ReLU6, then DEPTHWISE_CONV_2D, FULLY_CONNECTED and SOFTMAX.
/// Fields are given by schema index so each test can break exactly one of them.
struct TinyModel {
    var tensors: [[Int: FBValue]] = [
        tensor("input", [1, 8, 8, 3], type: 3, buffer: 0, scales: [0.5], zeros: [128]),
        tensor("input_q", [1, 8, 8, 3], type: 9, buffer: 0, scales: [0.5], zeros: [0]),
        tensor("conv/w", [4, 3, 3, 3], type: 9, buffer: 1, scales: [0.1, 0.2, 0.3, 0.4], zeros: [0, 0, 0, 0], dimension: 0),
        tensor("conv/b", [4], type: 2, buffer: 2, scales: [0.05, 0.1, 0.15, 0.2], zeros: [0, 0, 0, 0]),
        tensor("conv/out", [1, 4, 4, 4], type: 9, buffer: 0, scales: [0.02], zeros: [-128]),
        tensor("dw/w", [1, 3, 3, 4], type: 9, buffer: 3, scales: [0.1, 0.1, 0.1, 0.1], zeros: [0, 0, 0, 0], dimension: 3),
        tensor("dw/out", [1, 4, 4, 4], type: 9, buffer: 0, scales: [0.02], zeros: [-128]),
        tensor("fc/w", [10, 64], type: 9, buffer: 4, scales: [0.01], zeros: [0]),
        tensor("fc/out", [1, 10], type: 9, buffer: 0, scales: [0.1], zeros: [3]),
        tensor("probs", [1, 10], type: 9, buffer: 0, scales: [1.0 / 256], zeros: [-128]),
    ]
    var buffers: [[Int: FBValue]] = [
        [:],
        [0: .bytes([UInt8](repeating: 1, count: 4 * 27))],
        [0: .bytes([UInt8](repeating: 0, count: 16))],
        [0: .bytes([UInt8](repeating: 2, count: 36))],
        [0: .bytes([UInt8](repeating: 3, count: 640))],
    ]
    /// Codes as old files write them (the deprecated byte alone) and as new ones do (both).
    var codes: [[Int: FBValue]] = [
        [0: .u8(114)],
        [0: .u8(3)],
        [0: .u8(4), 3: .i32(4)],
        [0: .u8(9)],
        [0: .u8(25)],
    ]
    var operators: [[Int: FBValue]] = [
        [0: .u32(0), 1: .int32s([0]), 2: .int32s([1])],
        [0: .u32(1), 1: .int32s([1, 2, 3]), 2: .int32s([4]), 3: .u8(1),
         4: .table([0: .u8(0), 1: .i32(2), 2: .i32(2), 3: .u8(3)])],
        [0: .u32(2), 1: .int32s([4, 5, -1]), 2: .int32s([6]), 3: .u8(2),
         4: .table([0: .u8(0), 1: .i32(1), 2: .i32(1), 3: .i32(1), 4: .u8(1), 5: .i32(2), 6: .i32(2)])],
        [0: .u32(3), 1: .int32s([6, 7, -1]), 2: .int32s([8]), 3: .u8(8), 4: .table([:])],
        [0: .u32(4), 1: .int32s([8]), 2: .int32s([9]), 3: .u8(9), 4: .table([0: .f32(1.0)])],
    ]
    var version: UInt32 = 3

    static func tensor(_ name: String, _ shape: [Int32], type: UInt8, buffer: UInt32,
                       scales: [Float], zeros: [Int64], dimension: Int32 = 0) -> [Int: FBValue] {
        [0: .int32s(shape), 1: .u8(type), 2: .u32(buffer), 3: .string(name),
         4: .table([2: .floats(scales), 3: .int64s(zeros), 6: .i32(dimension)])]
    }

    /// The flatbuffer.
    var bytes: [UInt8] {
        let subgraph: [Int: FBValue] = [0: .tables(tensors), 1: .int32s([0]), 2: .int32s([9]),
                                        3: .tables(operators), 4: .string("main")]
        return FlatBufferWriter.file([0: .u32(version), 1: .tables(codes), 2: .tables([subgraph]),
                                      3: .string("hand-made"), 4: .tables(buffers)])
    }
}
