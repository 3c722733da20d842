import XCTest
@testable import EdgeKernels

final class CPUFeaturesTests: XCTestCase {
    func testHostFeaturesAreConsistent() {
        let f = CPUFeatures.host
        // VNNI implies the AVX-512 foundation; FMA kernels need AVX2 on every CPU that has both.
        if f.avx512vnni { XCTAssertTrue(f.avx512f) }
        XCTAssertFalse(CPUFeatures.portable.hasVNNI512)
        XCTAssertFalse(CPUFeatures.portable.hasAVX2FMA)
    }
}
