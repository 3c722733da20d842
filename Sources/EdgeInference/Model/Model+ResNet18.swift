extension Model {
    /// ResNet-18 (He et al. 2016): 7×7 stride-2 stem, 3×3 max pool, four stages of two
    /// basic blocks (two dense 3×3 convolutions and a residual add, a 1×1 stride-2
    /// projection where the shape changes), global average pool and a classifier.
    /// Symmetric padding as in the usual definition; BN folded; ReLU after each add.
    public static func resNet18(resolution: Int = 224, seed: UInt64 = 0x5EED_0018) -> Model {
        var b = ModelBuilder(input: TensorShape(height: resolution, width: resolution, channels: 3), seed: seed)
        b.convolution("conv1", outputs: 64, kernel: 7, stride: 2, pad: 3, activation: .relu)
        b.maxPool("maxpool", kernel: 3, stride: 2, pad: 1)
        for (stage, channels) in [64, 128, 256, 512].enumerated() {
            for block in 0..<2 {
                let name = "layer\(stage + 1).\(block)"
                let input = b.current
                let stride = stage > 0 && block == 0 ? 2 : 1
                b.convolution("\(name).conv1", from: input, outputs: channels, kernel: 3, stride: stride, pad: 1,
                              activation: .relu)
                let branch = b.convolution("\(name).conv2", outputs: channels, kernel: 3, stride: 1, pad: 1,
                                           activation: .none, branchScale: 0.5)
                var shortcut = input
                if stride != 1 || b.shape(input).channels != channels {
                    shortcut = b.convolution("\(name).downsample", from: input, outputs: channels, kernel: 1,
                                             stride: stride, pad: 0, activation: .none)
                }
                b.add("\(name).add", shortcut, branch, activation: .relu)
            }
        }
        b.globalAveragePool("pool")
        b.fullyConnected("fc", outputs: 1000)
        return b.build(name: ModelSpec.resNet18(resolution: resolution).name)
    }
}
