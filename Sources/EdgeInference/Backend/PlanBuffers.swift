/// One activation buffer per tensor of a model, allocated once with the plan, so an
/// inference allocates nothing. Layers read and write them through raw pointers.
///
/// Tensors whose lifetimes do not overlap share storage: MobileNet v1's 28 tensors fit in
/// a few slots, so a layer mostly writes over lines the previous layers left in cache
/// instead of streaming through megabytes of fresh memory (one buffer per tensor made every
/// layer's output miss to L3). The input (set once, read on every run) and the output
/// (read after the run) keep slots of their own.
final class PlanBuffers<Element> {
    let pointers: [UnsafeMutablePointer<Element>]
    let counts: [Int]
    private let slots: [(pointer: UnsafeMutablePointer<Element>, count: Int)]

    init(model: Model, fill: Element) {
        counts = (0..<model.tensorCount).map { model.tensorShape($0).count }
        let slotOf = Self.assignSlots(counts: counts, layerInputs: model.layers.map(\.inputs))
        var sizes = [Int](repeating: 1, count: (slotOf.max() ?? 0) + 1)
        for (t, s) in slotOf.enumerated() { sizes[s] = max(sizes[s], counts[t]) }
        let storage = sizes.map { count in
            let p = UnsafeMutablePointer<Element>.allocate(capacity: count)
            p.initialize(repeating: fill, count: count)
            return (pointer: p, count: count)
        }
        slots = storage
        pointers = slotOf.map { storage[$0].pointer }
    }

    deinit {
        for slot in slots {
            slot.pointer.deinitialize(count: slot.count)
            slot.pointer.deallocate()
        }
    }

    /// The storage slot of every tensor, where tensor `i + 1` is the output of layer `i` and
    /// `layerInputs[i]` the tensors it reads. A layer's output never shares a slot with a tensor
    /// still to be read (its own inputs included); tensor 0 and the last one are never shared.
    /// Best fit among the free slots, else the largest free one grows, else a new slot.
    static func assignSlots(counts: [Int], layerInputs: [[Int]]) -> [Int] {
        let n = counts.count
        guard n > 0 else { return [] }
        // The last layer that reads each tensor (its producer when nothing reads it).
        var lastUse = (0..<n).map { $0 - 1 }
        for (i, inputs) in layerInputs.enumerated() {
            for t in inputs where t >= 0 && t < n { lastUse[t] = max(lastUse[t], i) }
        }
        lastUse[0] = Int.max
        lastUse[n - 1] = Int.max
        var slotOf = [Int](repeating: 0, count: n)
        var busyUntil: [Int] = [Int.max], size: [Int] = [counts[0]]
        for t in 1..<n {
            let layer = t - 1
            let free = busyUntil.indices.filter { busyUntil[$0] < layer }
            let fitting = free.filter { size[$0] >= counts[t] }
            let slot: Int
            if t != n - 1, let best = fitting.min(by: { size[$0] < size[$1] }) {
                slot = best
            } else if t != n - 1, let largest = free.max(by: { size[$0] < size[$1] }) {
                slot = largest
            } else {
                slot = busyUntil.count
                busyUntil.append(0)
                size.append(0)
            }
            size[slot] = max(size[slot], counts[t])
            busyUntil[slot] = lastUse[t]
            slotOf[t] = slot
        }
        return slotOf
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
