extension Reference {
    /// Fully connected layer: `output[o] = clamp(bias[o] + sum_i input[i] * weights[o][i])`.
    public static func fullyConnected(input: [Float], inputChannels: Int, outputChannels: Int,
                                      weights: [Float], bias: [Float],
                                      outputMin: Float = -.infinity, outputMax: Float = .infinity) -> [Float] {
        precondition(input.count == inputChannels, "input size")
        precondition(weights.count == outputChannels * inputChannels, "weights size")
        precondition(bias.count == outputChannels, "bias size")
        var output = [Float](repeating: 0, count: outputChannels)
        for o in 0..<outputChannels {
            var sum = Double(bias[o])
            for i in 0..<inputChannels {
                sum += Double(input[i]) * Double(weights[o * inputChannels + i])
            }
            output[o] = clamp(Float(sum), outputMin, outputMax)
        }
        return output
    }
}
