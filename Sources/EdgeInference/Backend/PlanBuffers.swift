/// One activation buffer per tensor of a model, allocated once with the plan, so an
/// inference allocates nothing. Layers read and write them through raw pointers.
final class PlanBuffers<Element> {
    let pointers: [UnsafeMutablePointer<Element>]
    let counts: [Int]
    /// The allocations behind `pointers` (fewer than the tensors when they share).
    private let allocations: [(pointer: UnsafeMutablePointer<Element>, count: Int)]
    /// The raw blocks behind staggered allocations (freed in place of the element pointers).
    private var rawBlocks: [UnsafeMutableRawPointer] = []

    /// Bytes between the 4 KiB offsets of consecutive staggered buffers: a multiple of the
    /// 64-byte line that is neither a power of two nor near 0 or 4096 modulo 2048.
    static var staggerStep: Int { 1088 }

    /// `sharing`: tensors whose lives do not overlap share memory, the way XNNPACK plans its
    /// workspace, so an inference cycles through a few buffers that stay in cache instead of
    /// writing each layer's output to memory untouched since the last inference. The input
    /// and the last tensor keep their own (set once, read after the run). Only for plans that
    /// read nothing but the input and the last tensor from outside.
    /// `liveThrough[t] = i` keeps tensor t's memory until layer i has run (a fused step
    /// reads it later than its own layer).
    /// `staggered`: every buffer starts on a 64-byte line (no vector load splits two lines)
    /// at its own offset within a 4 KiB page. From malloc they all start 16 bytes into a page,
    /// so a layer's input and output pixel at the same place shared their low 12 address bits
    /// and every load after a store to the aliased pixel waited on it (4K aliasing); with
    /// power-of-two pixels (2 or 4 KiB at 512 or 1024 channels) that is every other pixel.
    init(model: Model, fill: Element, sharing: Bool = false, liveThrough: [Int: Int] = [:],
         staggered: Bool = false) {
        let counts = (0..<model.tensorCount).map { model.tensorShape($0).count }
        self.counts = counts
        let sizes = counts.map { max($0, 1) }
        var allocations: [(pointer: UnsafeMutablePointer<Element>, count: Int)] = []
        var rawBlocks: [UnsafeMutableRawPointer] = []
        func allocate(_ count: Int) -> Int {
            let p: UnsafeMutablePointer<Element>
            if staggered {
                let offset = allocations.count * PlanBuffers.staggerStep % 4096
                let raw = UnsafeMutableRawPointer.allocate(byteCount: offset + count * MemoryLayout<Element>.stride,
                                                           alignment: 4096)
                rawBlocks.append(raw)
                p = (raw + offset).bindMemory(to: Element.self, capacity: count)
            } else {
                p = UnsafeMutablePointer<Element>.allocate(capacity: count)
            }
            p.initialize(repeating: fill, count: count)
            allocations.append((p, count))
            return allocations.count - 1
        }
        guard sharing else {
            pointers = sizes.map { allocations[allocate($0)].pointer }
            self.allocations = allocations
            self.rawBlocks = rawBlocks
            return
        }
        // Layer i writes tensor i + 1; a tensor is free once its last reader has run.
        let last = model.tensorCount - 1
        var lastUse = (0..<model.tensorCount).map { $0 - 1 }
        for (i, layer) in model.layers.enumerated() {
            for t in layer.inputs { lastUse[t] = max(lastUse[t], i) }
        }
        for (t, i) in liveThrough { lastUse[t] = max(lastUse[t], i) }
        // Plan slot sizes first: a tensor takes the smallest free slot that holds it, else the
        // largest free slot grown to fit (fewer, reused buffers), else a new slot.
        var slot = [Int](repeating: -1, count: model.tensorCount)
        var slotSize: [Int] = [sizes[0]]
        slot[0] = 0
        var free: [Int] = []
        for i in 0..<model.layers.count {
            let t = i + 1
            if t == last {
                slotSize.append(sizes[t]); slot[t] = slotSize.count - 1
            } else if let best = free.filter({ slotSize[$0] >= sizes[t] }).min(by: { slotSize[$0] < slotSize[$1] }) {
                slot[t] = best
                free.removeAll { $0 == best }
            } else if let largest = free.max(by: { slotSize[$0] < slotSize[$1] }) {
                slotSize[largest] = sizes[t]
                slot[t] = largest
                free.removeAll { $0 == largest }
            } else {
                slotSize.append(sizes[t]); slot[t] = slotSize.count - 1
            }
            // Freed only after the output is placed: a layer never writes over its own inputs.
            for u in 1..<last where lastUse[u] == i && u != last { free.append(slot[u]) }
        }
        let slots = slotSize.map { allocations[allocate($0)].pointer }
        pointers = slot.map { slots[$0] }
        self.allocations = allocations
        self.rawBlocks = rawBlocks
    }

    deinit {
        for (p, count) in allocations {
            p.deinitialize(count: count)
            if rawBlocks.isEmpty { p.deallocate() }
        }
        for raw in rawBlocks { raw.deallocate() }
    }

    subscript(_ tensor: Int) -> UnsafeMutablePointer<Element> { pointers[tensor] }

    /// A copy of tensor `index`.
    func array(_ index: Int) -> [Element] { Array(UnsafeBufferPointer(start: pointers[index], count: counts[index])) }
}

/// One compiled layer: what to call and the name of the kernel it calls.
struct PlanStep {
    let kernel: String
    let run: () -> Void
}

extension Array where Element == PlanStep {
    /// Runs every step, timing each.
    func runProfiled() -> [UInt64] {
        map { step in
            let start = MonotonicClock.now()
            step.run()
            return MonotonicClock.now() - start
        }
    }
}
