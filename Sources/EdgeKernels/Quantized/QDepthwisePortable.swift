/// Portable int8 depthwise microkernel (16 channels at a time, Swift SIMD).
///
/// Reads the portable packing of `QWeightPacking.packDepthwise`: per 16-channel block
/// bias[16], weights[taps][16], scales[16].
enum QDepthwisePortable {
    /// Computes one output row of `outputWidth` pixels; tap t of pixel x reads
    /// `table[x * pixelStep + offsets[t]]` (the compact table of `QIndirection.prepareDepthwise`).
    static func dwconv(channels: Int, outputWidth: Int, taps: Int, table: UnsafePointer<UnsafePointer<UInt8>?>,
                       pixelStep: Int, offsets: UnsafePointer<Int>, w: UnsafeRawPointer,
                       output: UnsafeMutablePointer<UInt8>, requantization: QRequantization) {
        let blockBytes = 64 + taps * 16 + 64
        for x in 0..<outputWidth {
            let ptrs = table + x * pixelStep
            var wb = w
            var c0 = 0
            while c0 < channels {
                let n = min(16, channels - c0)
                var acc = wb.loadUnaligned(as: SIMD16<Int32>.self)
                var wp = wb + 64
                for t in 0..<taps {
                    let p = ptrs[offsets[t]].unsafelyUnwrapped + c0
                    let v: SIMD16<Int32>
                    if n == 16 {
                        v = SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self))
                    } else {
                        // Never read past the channel count: the last pixel of a tensor ends there.
                        var partial = SIMD16<Int32>()
                        for j in 0..<n { partial[j] = Int32(p[j]) }
                        v = partial
                    }
                    acc &+= v &* SIMD16<Int32>(truncatingIfNeeded: wp.loadUnaligned(as: SIMD16<Int8>.self))
                    wp += 16
                }
                let out = requantization.requantize(acc, scale: wp.loadUnaligned(as: SIMD16<Float>.self))
                let o = output + x * channels + c0
                if n == 16 {
                    UnsafeMutableRawPointer(o).storeBytes(of: out, as: SIMD16<UInt8>.self)
                } else {
                    for j in 0..<n { o[j] = out[j] }
                }
                wb += blockBytes
                c0 += 16
            }
        }
    }
}
