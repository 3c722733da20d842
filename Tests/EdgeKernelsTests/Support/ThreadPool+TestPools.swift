import EdgeKernels

extension ThreadPool {
    /// Pools of one, two and three threads, made once for all kernel tests: operators split
    /// their tiles by thread count, so every split (three leaves remainders on most shapes)
    /// must give the one-thread result.
    static let testPools = [ThreadPool(threads: 1), ThreadPool(threads: 2), ThreadPool(threads: 3)]
}
