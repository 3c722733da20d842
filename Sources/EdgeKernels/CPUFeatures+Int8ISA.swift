/// Forcing one int8 kernel family, so that a CPU can time the kernels another CPU would run
/// (AVX2 on an AVX-512 machine, the AVX-VNNI code through its EVEX twin).
extension CPUFeatures {
    /// A named int8 kernel family that this CPU cannot run, or a name that is not one.
    public struct Int8ISAError: Error, CustomStringConvertible {
        /// What is wrong, for the user.
        public let description: String
    }

    /// The names `forcingInt8ISA` accepts.
    public static let int8ISANames = ["host", "portable", "avx2", "avxvnni", "avxvnni-evex", "avx512vnni"]

    /// These features narrowed so that the int8 operators choose the family `name`: `host` (as
    /// detected), `portable` (Swift SIMD), `avx2`, `avxvnni` (the VEX kernels), `avxvnni-evex`
    /// (their EVEX twin, on AVX-512 VL + VNNI) or `avx512vnni`. Throws where this CPU lacks
    /// what the family executes, since running it would fault.
    public func forcingInt8ISA(_ name: String) throws -> CPUFeatures {
        var f = self
        f.avxVNNITwin = false
        func withoutAVX512(_ f: CPUFeatures) -> CPUFeatures {
            var g = f
            g.avx512f = false; g.avx512bw = false; g.avx512vl = false; g.avx512vnni = false
            return g
        }
        switch name {
        case "host":
            return self
        case "portable":
            return .portable
        case "avx2":
            guard hasAVX2FMA else { throw Int8ISAError(description: "avx2: this CPU has no AVX2+FMA") }
            f = withoutAVX512(f)
            f.avxVNNI = false
            return f
        case "avxvnni":
            guard hasAVXVNNI else {
                throw Int8ISAError(description: "avxvnni: this CPU has no AVX-VNNI (try avxvnni-evex on AVX-512 VNNI CPUs)")
            }
            return withoutAVX512(f)
        case "avxvnni-evex":
            f.avxVNNITwin = true
            guard f.runsAVXVNNITwin else {
                throw Int8ISAError(description: "avxvnni-evex: this CPU has no AVX-512 VL + VNNI")
            }
            return f
        case "avx512vnni":
            guard hasVNNI512 else { throw Int8ISAError(description: "avx512vnni: this CPU has no AVX-512 VNNI") }
            return f
        default:
            throw Int8ISAError(description: "'\(name)' is not an int8 kernel family; expected one of "
                               + Self.int8ISANames.joined(separator: ", "))
        }
    }
}
