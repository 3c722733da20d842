import XCTest
@testable import EdgeKernels

/// The 1x1 GEMM path on two threads against one: several threads order its work items row
/// chunks first (one thread: column blocks first), so every shape here has several row
/// chunks and several column blocks, and the outputs must have the same bits either way.
final class FConvolutionThreadsTests: XCTestCase {
    func testOneByOneOnTwoThreadsGivesTheBitsOfOneThread() {
        // (h, w, inC, outC, groups): MobileNet v1's 14x14 block with its 7-row tiles (four row
        // chunks, a partial last tile), a K that makes ~96-column blocks and a partial last
        // block, and grouped channels.
        let shapes = [(14, 14, 512, 512, 1), (13, 15, 300, 200, 1), (17, 9, 40, 96, 2), (7, 7, 1024, 128, 1)]
        XCTAssertEqual(FConvolution.columnBlock(k: 300, n: 200, nr: 32), 96)
        for (i, s) in shapes.enumerated() {
            let tester = FConvolutionTester().input(s.0, s.1).channels(s.2, s.3).kernel(1, 1).groups(s.4)
                .clamp(-2, 2).seed(UInt64(700 + i))
            let one = tester.test(expecting: .gemm, threads: 1)
            let two = tester.test(expecting: .gemm, threads: 2)
            XCTAssertEqual(one.count, two.count)
            for (a, b) in zip(one, two) {
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(tester.description): two threads differ")
            }
        }
    }
}
