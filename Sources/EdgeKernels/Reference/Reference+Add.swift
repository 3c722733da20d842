extension Reference {
    /// Elementwise sum of two same-shaped tensors, then the clamp (residual connections).
    public static func add(_ a: [Float], _ b: [Float],
                           outputMin: Float = -.infinity, outputMax: Float = .infinity) -> [Float] {
        precondition(a.count == b.count, "operands differ in size")
        var output = [Float](repeating: 0, count: a.count)
        for i in 0..<a.count { output[i] = clamp(a[i] + b[i], outputMin, outputMax) }
        return output
    }
}
