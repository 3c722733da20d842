import XCTest
@testable import EdgeKernels

final class CPUFeaturesTests: XCTestCase {
    func testHostFeaturesAreConsistent() {
        let f = CPUFeatures.host
        // VNNI implies the AVX-512 foundation; FMA kernels need AVX2 on every CPU that has both.
        if f.avx512vnni { XCTAssertTrue(f.avx512f) }
        XCTAssertFalse(CPUFeatures.portable.hasVNNI512)
        XCTAssertFalse(CPUFeatures.portable.hasAVX2FMA)
        if f.avxVNNI { XCTAssertTrue(f.avx2) }
        XCTAssertFalse(f.avxVNNITwin, "detection never asks for the EVEX test twin")
    }

    /// cpuid/xgetbv detection agrees with the flags the Linux kernel reports for the same CPU
    /// (`avx_vnni` is leaf 7.1 EAX bit 4, `avx512_vnni` leaf 7.0 ECX bit 11).
    func testVNNIDetectionAgreesWithProcCpuinfo() throws {
        #if arch(x86_64)
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            throw XCTSkip("/proc/cpuinfo has no flags line here")
        }
        let flags = Set(line.split(separator: ":").last!.split(separator: " ").map(String.init))
        XCTAssertEqual(CPUFeatures.host.avxVNNI, flags.contains("avx_vnni"), "AVX-VNNI")
        XCTAssertEqual(CPUFeatures.host.avx512vnni, flags.contains("avx512_vnni"), "AVX-512 VNNI")
        XCTAssertEqual(CPUFeatures.host.avx2, flags.contains("avx2"), "AVX2")
        #else
        throw XCTSkip("cpuid detection exists on x86-64 only")
        #endif
    }
}
