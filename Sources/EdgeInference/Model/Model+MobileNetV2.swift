extension Model {
    /// MobileNet v2 (Sandler et al. 2018) at width 1.0: inverted residual blocks
    /// (1×1 expand, 3×3 depthwise, linear 1×1 project) with a residual add wherever the
    /// block keeps its shape; ReLU6, SAME padding, a 1280-channel head and a classifier.
    public static func mobileNetV2(resolution: Int, seed: UInt64 = 0x5EED_0002) -> Model {
        let blocks: [(expansion: Int, channels: Int, repeats: Int, stride: Int)] = [
            (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
            (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
        ]
        var b = ModelBuilder(input: TensorShape(height: resolution, width: resolution, channels: 3), seed: seed)
        b.convolution("conv0", outputs: 32, kernel: 3, stride: 2, activation: .relu6)
        var index = 0
        for block in blocks {
            for r in 0..<block.repeats {
                index += 1
                let input = b.current
                let inChannels = b.shape(input).channels
                let stride = r == 0 ? block.stride : 1
                if block.expansion != 1 {
                    b.convolution("expand\(index)", outputs: inChannels * block.expansion, kernel: 1, stride: 1,
                                  activation: .relu6)
                }
                b.depthwise("dw\(index)", stride: stride, activation: .relu6)
                let residual = stride == 1 && inChannels == block.channels
                b.convolution("project\(index)", outputs: block.channels, kernel: 1, stride: 1, activation: .none,
                              branchScale: residual ? 0.5 : 1)
                if residual { b.add("add\(index)", input, b.current) }
            }
        }
        b.convolution("conv_last", outputs: 1280, kernel: 1, stride: 1, activation: .relu6)
        b.globalAveragePool("pool")
        b.fullyConnected("fc", outputs: 1000)
        return b.build(name: ModelSpec.mobileNetV2(resolution: resolution).name)
    }
}
