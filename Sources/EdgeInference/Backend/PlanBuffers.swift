/// One activation buffer per tensor of a model, allocated once with the plan, so an
/// inference allocates nothing. Layers read and write them through raw pointers.
final class PlanBuffers<Element> {
    let pointers: [UnsafeMutablePointer<Element>]
    let counts: [Int]

    init(model: Model, fill: Element) {
        counts = (0..<model.tensorCount).map { model.tensorShape($0).count }
        pointers = counts.map { count in
            let p = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
            p.initialize(repeating: fill, count: max(count, 1))
            return p
        }
    }

    deinit {
        for (p, count) in zip(pointers, counts) {
            p.deinitialize(count: max(count, 1))
            p.deallocate()
        }
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
