extension Model {
    /// MobileNet v1 (Howard et al. 2017): a 3×3 stride-2 stem, 13 depthwise-separable
    /// blocks, global average pool and a 1000-way classifier; ReLU6 everywhere, SAME padding.
    public static func mobileNetV1(width: Double, resolution: Int, seed: UInt64 = 0x5EED_0001) -> Model {
        let blocks: [(channels: Int, stride: Int)] = [
            (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
            (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
        ]
        func scaled(_ c: Int) -> Int { Int(Double(c) * width) }
        var b = ModelBuilder(input: TensorShape(height: resolution, width: resolution, channels: 3), seed: seed)
        b.convolution("conv0", outputs: scaled(32), kernel: 3, stride: 2, activation: .relu6)
        for (i, block) in blocks.enumerated() {
            b.depthwise("dw\(i + 1)", stride: block.stride, activation: .relu6)
            b.convolution("pw\(i + 1)", outputs: scaled(block.channels), kernel: 1, stride: 1, activation: .relu6)
        }
        b.globalAveragePool("pool")
        b.fullyConnected("fc", outputs: 1000)
        return b.build(name: ModelSpec.mobileNetV1(width: width, resolution: resolution).name)
    }
}
