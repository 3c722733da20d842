import EdgeCore

/// Test data from the project's seeded generator, so every kernel test sees the same data on every run.
extension SplitMix64 {
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
    mutating func int8s(_ count: Int) -> [Int8] { (0..<count).map { _ in Int8.random(in: -128...127, using: &self) } }
    mutating func int32s(_ count: Int, in range: ClosedRange<Int32>) -> [Int32] {
        (0..<count).map { _ in Int32.random(in: range, using: &self) }
    }
    mutating func floats(_ count: Int, in range: ClosedRange<Float>) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &self) }
    }
    /// `count` values uniform in [-1, 1).
    mutating func floats(_ count: Int) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1..<1, using: &self) }
    }
}

