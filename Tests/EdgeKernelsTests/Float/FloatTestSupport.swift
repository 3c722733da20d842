import XCTest
@testable import EdgeKernels

/// The kernel sets this CPU can run, each under the features that select it, so every
/// operator test runs the C kernels and the portable Swift ones.
let floatTestFeatureSets: [(name: String, features: CPUFeatures)] = {
    var sets: [(String, CPUFeatures)] = [("swift_simd", .portable)]
    let host = CPUFeatures.host
    if host.hasAVX2FMA {
        var avx2 = host
        avx2.avx512f = false
        sets.append(("avx2_fma", avx2))
    }
    if host.avx512f { sets.append(("avx512f", host)) }
    return sets
}()

/// A canary bit pattern (a NaN no kernel produces) written around and into output buffers,
/// so a missed or stray store shows.
let floatCanary = Float(bitPattern: 0x7FC0_DEAD)

/// Runs `body` on an output buffer of `count` floats followed by 64 guard floats, all canary
/// filled; fails if any output stays canary or any guard float changes. Returns the output.
func withCanaryOutput(count: Int, file: StaticString = #filePath, line: UInt = #line,
                      _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    let guardCount = 64
    var buffer = [Float](repeating: floatCanary, count: count + guardCount)
    buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    let unwritten = buffer[0..<count].filter { $0.bitPattern == floatCanary.bitPattern }.count
    XCTAssertEqual(unwritten, 0, "\(unwritten) outputs were never written", file: file, line: line)
    let smashed = buffer[count...].filter { $0.bitPattern != floatCanary.bitPattern }.count
    XCTAssertEqual(smashed, 0, "\(smashed) floats written past the end of the output", file: file, line: line)
    return Array(buffer[0..<count])
}

/// Largest error of `actual` against `expected`, as a fraction of the largest magnitude in
/// `expected` (at least 1e-3, so an all-but-zero output is not judged on noise).
///
/// Why not per element: the fast kernels sum in a different order (and with FMA) from the
/// Double-accumulating reference, so an element that cancels to near zero carries an
/// absolute error of the size of its addends, which is large relative to itself.
func relativeToMaxError(_ actual: [Float], _ expected: [Float]) -> Float {
    precondition(actual.count == expected.count)
    let scale = max(expected.map { abs($0) }.max() ?? 0, 1e-3)
    var worst: Float = 0
    for i in 0..<actual.count {
        let e = abs(actual[i] - expected[i])
        if !(e <= worst) { worst = e.isNaN ? .infinity : e }
    }
    return worst / scale
}
