import CEdgeKernels

/// Instruction-set features of this CPU, read once; kernels are chosen from these at start-up.
public struct CPUFeatures: Sendable, Equatable {
    public var avx2: Bool
    public var fma: Bool
    public var avx512f: Bool
    public var avx512bw: Bool
    public var avx512vl: Bool
    public var avx512vnni: Bool
    /// AVX-VNNI: the 256-bit VEX `vpdpbusd` of CPUs with VNNI but without AVX-512 (cpuid leaf 7.1 EAX bit 4).
    public var avxVNNI: Bool
    /// Asks for the AVX-VNNI int8 kernels' EVEX twin (the same source with the AVX-512 VL
    /// encoding of `vpdpbusd`, the same bits) where AVX-512 VL + VNNI exist: never set by
    /// detection; tests and `EDGETOP_BENCH_ISA=avxvnni-evex` run the AVX-VNNI code with it on
    /// CPUs that have AVX-512 VNNI but not AVX-VNNI.
    public var avxVNNITwin: Bool
    /// 64-bit ARM Advanced SIMD with fp32 FMA (every ARMv8-A core).
    public var neon: Bool
    /// 64-bit ARM dot-product instructions (ARMv8.2 `sdot`/`udot`).
    public var neonDot: Bool

    /// The features of the running CPU.
    public static let host: CPUFeatures = {
        let f = edge_cpu_detect()
        return CPUFeatures(avx2: f.avx2, fma: f.fma, avx512f: f.avx512f, avx512bw: f.avx512bw,
                           avx512vl: f.avx512vl, avx512vnni: f.avx512vnni, neon: f.neon, neonDot: f.neondot,
                           avxVNNI: f.avxvnni)
    }()

    /// No vector extension beyond the baseline: selects the portable Swift kernels.
    public static let portable = CPUFeatures(avx2: false, fma: false, avx512f: false, avx512bw: false,
                                             avx512vl: false, avx512vnni: false)

    /// A feature set; the ARM features default to absent so x86 descriptions read as before.
    public init(avx2: Bool, fma: Bool, avx512f: Bool, avx512bw: Bool, avx512vl: Bool, avx512vnni: Bool,
                neon: Bool = false, neonDot: Bool = false, avxVNNI: Bool = false, avxVNNITwin: Bool = false) {
        self.avx2 = avx2; self.fma = fma; self.avx512f = avx512f; self.avx512bw = avx512bw
        self.avx512vl = avx512vl; self.avx512vnni = avx512vnni; self.neon = neon; self.neonDot = neonDot
        self.avxVNNI = avxVNNI; self.avxVNNITwin = avxVNNITwin
    }

    /// True when the AVX-512 VNNI int8 kernels can run (vpdpbusd with 512-bit and VL forms).
    public var hasVNNI512: Bool { avx512f && avx512bw && avx512vl && avx512vnni }
    /// True when the AVX2+FMA kernels can run.
    public var hasAVX2FMA: Bool { avx2 && fma }
    /// True when the AVX-VNNI int8 kernels can run in their VEX form.
    public var hasAVXVNNI: Bool { avxVNNI && avx2 && fma }
    /// True when the AVX-VNNI kernels' EVEX twin is asked for and can run.
    public var runsAVXVNNITwin: Bool { avxVNNITwin && avx2 && fma && avx512vl && avx512vnni }
}
