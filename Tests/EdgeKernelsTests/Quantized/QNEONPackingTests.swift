import XCTest
import EdgeCore
@testable import EdgeKernels

/// The 64-bit ARM kernels run only under qemu (scripts/test-aarch64.sh), but the weights they
/// read are packed by Swift on every architecture: these tests read the packed blocks the way
/// the NEON kernels do (q8kernels.h) and check that the sums come out as the reference's.
final class QNEONPackingTests: XCTestCase {
    /// Packs one block of `n` columns and returns, for random activations, what the kernel's
    /// accumulators hold and what the reference's exact sums are.
    private func accumulators(config: QGemmConfig, n: Int, kc: Int, ks: Int, zeroPoint: UInt8,
                              rng: inout SplitMix64) -> (kernel: [Int32], reference: [Int32]) {
        let weights = rng.int8s(n * ks * kc)
        let bias = rng.int32s(n, in: -5000...5000)
        let packed = QWeightPacking.packGemm(config: config, groups: 1, groupOutC: n, kc: kc, ks: ks,
                                             weights: weights, bias: bias,
                                             multipliers: [Float](repeating: 0.01, count: n),
                                             inputZeroPoint: zeroPoint)
        let activations = rng.bytes(ks * kc)
        let nr = config.nr, kr = config.kr, kGroups = (kc + kr - 1) / kr
        let block = packed.raw
        var kernel: [Int32] = [], reference: [Int32] = []
        for j in 0..<n {
            var acc = block.load(fromByteOffset: 4 * j, as: Int32.self)
            var exact = bias[j]
            for p in 0..<ks {
                for k in 0..<kc {
                    let offset = nr * 4 + ((p * kGroups + k / kr) * nr + j) * kr + k % kr
                    let w = Int32(block.load(fromByteOffset: offset, as: Int8.self))
                    let a = Int32(activations[p * kc + k])
                    // The dot-product kernel reads a - 128 (an XOR of the sign bit).
                    acc &+= (config.isa == .neondot ? a - 128 : a) &* w
                    exact &+= (a - Int32(zeroPoint)) &* Int32(weights[(j * ks + p) * kc + k])
                }
            }
            kernel.append(acc)
            reference.append(exact)
        }
        return (kernel, reference)
    }

    func testARMv8GemmPackingFoldsTheZeroPoint() {
        var rng = SplitMix64(seed: 8_808)
        for kc in [1, 7, 8, 9, 33] {
            for zp: UInt8 in [0, 128, 255] {
                let r = accumulators(config: QKernelTable.neonGemm, n: 5, kc: kc, ks: 3, zeroPoint: zp, rng: &rng)
                XCTAssertEqual(r.kernel, r.reference, "kc \(kc) zero point \(zp)")
            }
        }
    }

    func testDotProductPackingAddsBackTheSignFlip() {
        var rng = SplitMix64(seed: 8_809)
        for kc in [1, 3, 4, 5, 16, 17] {
            for zp: UInt8 in [0, 128, 255] {
                let r = accumulators(config: QKernelTable.neonDotGemm, n: 16, kc: kc, ks: 2, zeroPoint: zp, rng: &rng)
                XCTAssertEqual(r.kernel, r.reference, "kc \(kc) zero point \(zp)")
            }
        }
    }

    /// Weights past kc in the last group of four must be zero: the kernel reads whole groups.
    func testDotProductPackingPadsTheLastGroupWithZeros() {
        var rng = SplitMix64(seed: 8_810)
        let config = QKernelTable.neonDotGemm, kc = 6
        let packed = QWeightPacking.packGemm(config: config, groups: 1, groupOutC: 16, kc: kc, ks: 1,
                                             weights: rng.int8s(16 * kc), bias: [Int32](repeating: 0, count: 16),
                                             multipliers: [Float](repeating: 1, count: 16), inputZeroPoint: 0)
        for j in 0..<16 {
            for k in kc..<8 {
                let offset = 16 * 4 + ((k / 4) * 16 + j) * 4 + k % 4
                XCTAssertEqual(packed.raw.load(fromByteOffset: offset, as: Int8.self), 0, "column \(j) k \(k)")
            }
        }
    }

    /// An x86 build never picks a kernel that is compiled only for ARM, whatever the features say.
    func testARMFeaturesNeverSelectUnbuiltKernels() {
        let arm = CPUFeatures(avx2: false, fma: false, avx512f: false, avx512bw: false, avx512vl: false,
                              avx512vnni: false, neon: true, neonDot: true)
        #if arch(arm64)
        XCTAssertEqual(QKernelTable.gemm(for: arm, outputChannels: 64).kernel, .neondot4x16)
        XCTAssertEqual(QKernelTable.depthwise(for: arm).isa, .neon)
        #else
        XCTAssertEqual(QKernelTable.gemm(for: arm, outputChannels: 64).kernel, .portable4x16)
        XCTAssertEqual(QKernelTable.depthwise(for: arm).isa, .portable)
        #endif
    }
}
