/// Portable Swift SIMD microkernels: the fallback on CPUs without AVX2+FMA, and the path the
/// tests force to check the C kernels against. Swift's default x86-64 target is SSE2 without
/// FMA, so these multiply and add separately (two roundings per step where FMA has one): the
/// results agree with the C kernels within fp32 tolerance, not bit for bit.

@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
    if count >= 8 {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    } else {
        for j in 0..<count { p[j] = v[j] }
    }
}

@inline(__always)
private func clamp8(_ v: SIMD8<Float>, _ lo: SIMD8<Float>, _ hi: SIMD8<Float>) -> SIMD8<Float> {
    clampLanes(v, lo, hi)
}

/// 4x8 GEMM tile over weights packed in 8-column panels (bias, then kc rows); see `f32_kernels.h`.
func f32PortableGemm4x8(_ mr: Int, _ nc: Int, _ kc: Int, _ a: UnsafePointer<Float>, _ aStride: Int,
                        _ w: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ cStride: Int,
                        _ minimum: Float, _ maximum: Float) {
    let a0 = a
    let a1 = mr > 1 ? a0 + aStride : a0
    let a2 = mr > 2 ? a1 + aStride : a1
    let a3 = mr > 3 ? a2 + aStride : a2
    var c0 = c
    var c1 = mr > 1 ? c0 + cStride : c0
    var c2 = mr > 2 ? c1 + cStride : c1
    var c3 = mr > 3 ? c2 + cStride : c2
    let lo = SIMD8<Float>(repeating: minimum), hi = SIMD8<Float>(repeating: maximum)
    var w = w
    var nc = nc
    while nc > 0 {
        var acc0 = load8(w)
        var acc1 = acc0, acc2 = acc0, acc3 = acc0
        w += 8
        for k in 0..<kc {
            let b = load8(w)
            w += 8
            acc0 += SIMD8(repeating: a0[k]) * b
            acc1 += SIMD8(repeating: a1[k]) * b
            acc2 += SIMD8(repeating: a2[k]) * b
            acc3 += SIMD8(repeating: a3[k]) * b
        }
        let n = min(nc, 8)
        // Last row first, so an aliased row rewrites its twin with the same value.
        store8(clamp8(acc3, lo, hi), c3, count: n)
        store8(clamp8(acc2, lo, hi), c2, count: n)
        store8(clamp8(acc1, lo, hi), c1, count: n)
        store8(clamp8(acc0, lo, hi), c0, count: n)
        c0 += 8; c1 += 8; c2 += 8; c3 += 8
        nc -= n
    }
}

/// One-row GEMM (fully connected with batch 1) over the same 8-column packing.
func f32PortableGemm1x8(_ nc: Int, _ kc: Int, _ a: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                        _ c: UnsafeMutablePointer<Float>, _ minimum: Float, _ maximum: Float) {
    let lo = SIMD8<Float>(repeating: minimum), hi = SIMD8<Float>(repeating: maximum)
    var w = w
    var c = c
    var nc = nc
    while nc > 0 {
        var acc = load8(w)
        w += 8
        for k in 0..<kc {
            acc += SIMD8(repeating: a[k]) * load8(w)
            w += 8
        }
        let n = min(nc, 8)
        store8(clamp8(acc, lo, hi), c, count: n)
        c += 8
        nc -= n
    }
}

/// Depthwise convolution over an indirection buffer with 8-channel weight blocks
/// (bias, then `taps` rows of 8); see `f32_kernels.h`.
func f32PortableDepthwise8(_ channels: Int, _ width: Int, _ taps: Int,
                           _ input: UnsafeMutablePointer<UnsafePointer<Float>?>, _ w: UnsafePointer<Float>,
                           _ output: UnsafeMutablePointer<Float>, _ outputStride: Int,
                           _ minimum: Float, _ maximum: Float) {
    let lo = SIMD8<Float>(repeating: minimum), hi = SIMD8<Float>(repeating: maximum)
    var input = input
    var output = output
    let full = channels & ~7
    for _ in 0..<width {
        var wp = w
        var c = 0
        while c < full {
            var acc = load8(wp)
            for t in 0..<taps { acc += load8(input[t]! + c) * load8(wp + 8 + 8 * t) }
            store8(clamp8(acc, lo, hi), output + c, count: 8)
            wp += 8 * (taps + 1)
            c += 8
        }
        // Scalar tail: reading 8 lanes could run past the end of the input buffer.
        if c < channels {
            for j in 0..<(channels - c) {
                var acc = wp[j]
                for t in 0..<taps { acc += input[t]![c + j] * wp[8 + 8 * t + j] }
                output[c + j] = Swift.min(Swift.max(acc, minimum), maximum)
            }
        }
        input += taps
        output += outputStride
    }
}

/// Clamps each lane to [lo, hi]. Written with comparisons and selects because the standard
/// library's `pointwiseMin`/`pointwiseMax` are not inlined into this code and cost a call per vector.
@inline(__always)
private func clampLanes(_ v: SIMD8<Float>, _ lo: SIMD8<Float>, _ hi: SIMD8<Float>) -> SIMD8<Float> {
    let r = v.replacing(with: lo, where: v .< lo)
    return r.replacing(with: hi, where: r .> hi)
}
