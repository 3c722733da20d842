import EdgeKernels

/// An output buffer with canary bytes on both sides, to catch writes outside the tensor.
struct CanaryBuffer {
    static let canary: UInt8 = 0xA5
    static let guardBytes = 128
    private(set) var storage: [UInt8]
    let count: Int

    init(count: Int) {
        self.count = count
        storage = [UInt8](repeating: Self.canary, count: count + 2 * Self.guardBytes)
    }

    /// Runs `body` with a pointer to the tensor part (between the guards).
    mutating func withTensor(_ body: (UnsafeMutablePointer<UInt8>) -> Void) {
        storage.withUnsafeMutableBufferPointer { body($0.baseAddress! + Self.guardBytes) }
    }

    /// The tensor part.
    var tensor: [UInt8] { Array(storage[Self.guardBytes..<(Self.guardBytes + count)]) }

    /// True when no guard byte changed.
    var guardsIntact: Bool {
        storage[..<Self.guardBytes].allSatisfy { $0 == Self.canary }
            && storage[(Self.guardBytes + count)...].allSatisfy { $0 == Self.canary }
    }
}

/// Index and values of the first difference between two byte arrays, for failure messages.
func firstMismatch(_ a: [UInt8], _ b: [UInt8]) -> String {
    guard a.count == b.count else { return "sizes \(a.count) vs \(b.count)" }
    let bad = zip(a, b).enumerated().filter { $0.element.0 != $0.element.1 }
    guard let first = bad.first else { return "none" }
    return "\(bad.count) of \(a.count) differ; first at \(first.offset): \(first.element.0) vs \(first.element.1)"
}

extension CPUFeatures {
    /// AVX2 and FMA without AVX-512: forces the AVX2 int8 kernels even on a CPU with VNNI.
    static let avx2Only = CPUFeatures(avx2: true, fma: true, avx512f: false, avx512bw: false,
                                      avx512vl: false, avx512vnni: false)

    /// AVX-VNNI without AVX-512 (an Alder Lake-like CPU): the VEX AVX-VNNI kernels.
    static let avxVNNIOnly = CPUFeatures(avx2: true, fma: true, avx512f: false, avx512bw: false,
                                         avx512vl: false, avx512vnni: false, avxVNNI: true)

    /// The host asking for the AVX-VNNI kernels' EVEX twin (runs where AVX-512 VL + VNNI exist).
    static var avxVNNITwinOnHost: CPUFeatures { var f = host; f.avxVNNITwin = true; return f }

    /// The kernel families every int8 test runs: portable first (the cross-check), the
    /// host's, the AVX-VNNI ones (the VEX kernels where the CPU has AVX-VNNI, their EVEX twin
    /// where it has AVX-512 VNNI) and, last, the AVX2 ones wherever this CPU can execute them.
    static var quantizedTestFamilies: [CPUFeatures] {
        var families: [CPUFeatures] = [.portable, .host]
        if host.hasAVXVNNI && host.hasVNNI512 { families.append(.avxVNNIOnly) }
        if avxVNNITwinOnHost.runsAVXVNNITwin { families.append(avxVNNITwinOnHost) }
        if host.hasAVX2FMA { families.append(.avx2Only) }
        return families
    }
}
