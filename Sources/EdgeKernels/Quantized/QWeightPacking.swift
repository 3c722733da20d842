/// Weight packing for the quantized microkernels: the layouts each kernel family reads, with
/// the input zero point folded into the bias so kernels multiply raw uint8 activations.
///
/// With symmetric weights, Σ (a - a_zp)·w + b = Σ a·w + (b - a_zp·Σ w); the second term is
/// per output channel and constant, so it is computed here once. Padding reads a buffer
/// filled with a_zp, which the fold cancels exactly.
enum QWeightPacking {
    /// Bytes of one packed GEMM block: bias[nr] Int32, weights[ks][ceil(kc/kr)][nr][kr] (Int8, or
    /// Int32 when `weightBytes` is 4; AVX2 reorders each group as [2][nr][2]), scales[nr] Float.
    static func gemmBlockBytes(config: QGemmConfig, kc: Int, ks: Int) -> Int {
        let kGroups = (kc + config.kr - 1) / config.kr
        return config.nr * 4 + ks * kGroups * config.nr * config.kr * config.weightBytes + config.nr * 4
    }

    /// Where the 4x64 VNNI tile keeps column `column` of a block: its saturating packs interleave
    /// the four 16-column vectors per 128-bit lane, so storing column 16a+4b+e in slot 16b+4a+e
    /// makes the packed bytes come out in column order without a cross-lane permute.
    static func vnni4x64Slot(_ column: Int) -> Int {
        (column & ~63) | (column & 12) << 2 | (column & 48) >> 2 | column & 3
    }

    /// Packs OHWI weights (`[outC][ks][kc]` per group) into `groups * ceil(groupOutC/nr)` GEMM blocks.
    static func packGemm(config: QGemmConfig, groups: Int, groupOutC: Int, kc: Int, ks: Int,
                         weights: [Int8], bias: [Int32], multipliers: [Float], inputZeroPoint: UInt8) -> QAlignedBuffer {
        let nr = config.nr, kr = config.kr
        let kGroups = (kc + kr - 1) / kr
        let nBlocks = (groupOutC + nr - 1) / nr
        let blockBytes = gemmBlockBytes(config: config, kc: kc, ks: ks)
        let buffer = QAlignedBuffer(byteCount: groups * nBlocks * blockBytes)
        let zp = Int32(inputZeroPoint)
        weights.withUnsafeBufferPointer { w in
            for g in 0..<groups {
                for nb in 0..<nBlocks {
                    let block = buffer.raw + (g * nBlocks + nb) * blockBytes
                    let biasOut = block.assumingMemoryBound(to: Int32.self)
                    let weightOut = (block + nr * 4).assumingMemoryBound(to: Int8.self)
                    let wideOut = (block + nr * 4).assumingMemoryBound(to: Int32.self)
                    let scaleOut = (block + blockBytes - nr * 4).assumingMemoryBound(to: Float.self)
                    for column in 0..<min(nr, groupOutC - nb * nr) {
                        let oc = g * groupOutC + nb * nr + column
                        let j = config.kernel == .vnni4x64 ? vnni4x64Slot(column) : column
                        let base = oc * ks * kc
                        var sum: Int32 = 0
                        for p in 0..<ks {
                            for k in 0..<kc {
                                let v = w[base + p * kc + k]
                                sum &+= Int32(v)
                                var index = ((p * kGroups + k / kr) * nr + j) * kr + k % kr
                                if config.isa == .avx2 {
                                    // AVX2: per 4 K values, every column's pair (k0, k2), then
                                    // every column's (k1, k3): the pairs the kernel splits a
                                    // broadcast activation dword into.
                                    let q = k % 4
                                    index = (((p * kGroups + k / 4) * 2 + q % 2) * nr + j) * 2 + q / 2
                                }
                                if config.weightBytes == 4 { wideOut[index] = Int32(v) } else { weightOut[index] = v }
                            }
                        }
                        // `sdot` multiplies signed bytes: the kernel reads a - 128, so 128·Σw returns.
                        let flip: Int32 = config.isa == .neondot ? 128 : 0
                        biasOut[j] = bias[oc] &- zp &* sum &+ flip &* sum
                        scaleOut[j] = multipliers[oc]
                    }
                }
            }
        }
        return buffer
    }

    /// Bytes of one packed depthwise block of `tile` channels with `tapsPadded` taps (AVX2's
    /// weights are int16).
    static func depthwiseBlockBytes(config: QDepthwiseConfig, tapsPadded: Int) -> Int {
        let weightBytes = config.isa == .avx2 ? 2 : 1
        return config.channelTile * 4 + tapsPadded * config.channelTile * weightBytes + config.channelTile * 4
    }

    /// Packs depthwise weights `[C][taps]` into `ceil(C/tile)` blocks.
    ///
    /// Portable blocks are plain: bias[16], weights[taps][16], scales[16]. VNNI blocks
    /// (AVX-512 with 64 channels, AVX-VNNI with 32) hold 4 taps of a channel in one dword, in the
    /// lane order the kernel's in-lane unpacks produce: vector r (of tile/4 dwords), lane L,
    /// dword d is channel 16L + 4r + d. AVX2 blocks (32 channels) use the same slot order with
    /// int16 weights, two taps per dword (the pair `vpmaddwd` sums); `tapsPadded` is even.
    /// With `columnMajor3x3` (the AVX-512 VNNI 3x3 kernel, which walks input columns) group kx
    /// holds taps (0, kx), (1, kx), (2, kx) and a zero byte per dword instead of taps 4g..4g+3.
    static func packDepthwise(config: QDepthwiseConfig, channels: Int, taps: Int, tapsPadded: Int,
                              weights: [Int8], bias: [Int32], multipliers: [Float], inputZeroPoint: UInt8,
                              columnMajor3x3: Bool = false) -> QAlignedBuffer {
        let tile = config.channelTile
        let blocks = (channels + tile - 1) / tile
        let blockBytes = depthwiseBlockBytes(config: config, tapsPadded: tapsPadded)
        let buffer = QAlignedBuffer(byteCount: blocks * blockBytes)
        let zp = Int32(inputZeroPoint)
        for b in 0..<blocks {
            let block = buffer.raw + b * blockBytes
            let biasOut = block.assumingMemoryBound(to: Int32.self)
            let weightOut = (block + tile * 4).assumingMemoryBound(to: Int8.self)
            let scaleOut = (block + blockBytes - tile * 4).assumingMemoryBound(to: Float.self)
            for cc in 0..<min(tile, channels - b * tile) {
                let c = b * tile + cc
                var sum: Int32 = 0
                for t in 0..<taps { sum &+= Int32(weights[c * taps + t]) }
                let slot: Int
                switch config.isa {
                case .portable, .neon, .neondot:
                    slot = cc
                    for t in 0..<taps { weightOut[t * tile + cc] = weights[c * taps + t] }
                case .avx512vnni, .avxvnni:
                    let lane = cc / 16, r = (cc % 16) / 4, d = cc % 4
                    slot = r * (tile / 4) + lane * 4 + d
                    for t in 0..<taps {
                        let index = columnMajor3x3 ? (t % 3) * tile * 4 + slot * 4 + t / 3
                            : (t / 4) * tile * 4 + slot * 4 + t % 4
                        weightOut[index] = weights[c * taps + t]
                    }
                case .avx2:
                    let lane = cc / 16, r = (cc % 16) / 4, d = cc % 4
                    slot = r * (tile / 4) + lane * 4 + d
                    let pairs = (block + tile * 4).assumingMemoryBound(to: Int16.self)
                    for t in 0..<taps {
                        pairs[(t / 2) * tile * 2 + slot * 2 + t % 2] = Int16(weights[c * taps + t])
                    }
                }
                biasOut[slot] = bias[c] &- zp &* sum
                scaleOut[slot] = multipliers[c]
            }
        }
        return buffer
    }
}
