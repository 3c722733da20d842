/// Per-layer times of one model on one backend, folded from `LayerProfile` events: each
/// layer's median over the profiles kept (the newest `window` of them, or all), with the
/// share of the whole, the rate and the share of the CPU's measured peak.
///
/// The dashboard keeps a short window (a recent median), `stats --layers` keeps every profile.
public struct LayerTable: Sendable, Equatable {
    /// Identifies a table: a model on a backend, measured or emulated.
    public struct Key: Hashable, Sendable {
        public var model: String
        public var backend: String
        public var emulated: Bool

        /// The key of `profile`'s table.
        public init(_ profile: LayerProfile) {
            model = profile.model; backend = profile.backend; emulated = profile.emulated
        }

        /// A key by its parts.
        public init(model: String, backend: String, emulated: Bool = false) {
            self.model = model; self.backend = backend; self.emulated = emulated
        }
    }

    public let key: Key
    /// Profiles kept per layer at most; nil keeps them all.
    public let window: Int?
    /// The operators as the newest profile described them.
    public private(set) var layers: [LayerSample]
    /// Newest measured peak for the data type, GMAC/s.
    public private(set) var peakGMACs: Double?
    /// Profiles folded since the table was made (or its layer list last changed).
    public private(set) var profileCount = 0
    /// Session time of the newest profile.
    public private(set) var lastT: Double
    private var samples: [[UInt64]]
    private var next = 0

    /// A table started by `profile`, keeping `window` profiles (nil: all).
    public init(_ profile: LayerProfile, window: Int? = nil) {
        key = Key(profile)
        self.window = window.map { max(1, $0) }
        layers = profile.layers
        samples = Array(repeating: [], count: profile.layers.count)
        lastT = profile.t
        add(profile)
    }

    /// Folds one profile of the same key. A profile whose layer list differs (a user model
    /// reloaded under the same name) starts the table afresh rather than mixing layers.
    public mutating func add(_ profile: LayerProfile) {
        let same = profile.layers.count == layers.count
            && zip(profile.layers, layers).allSatisfy { $0.name == $1.name && $0.kind == $1.kind }
        if !same {
            samples = Array(repeating: [], count: profile.layers.count)
            profileCount = 0; next = 0
        }
        layers = profile.layers
        if let p = profile.peakGMACs { peakGMACs = p }
        lastT = max(lastT, profile.t)
        for (i, l) in profile.layers.enumerated() {
            if let w = window, samples[i].count >= w {
                samples[i][next % w] = l.ns
            } else {
                samples[i].append(l.ns)
            }
        }
        next += 1
        profileCount += 1
    }

    /// Profiles each median is taken over now.
    public var sampleCount: Int { samples.first?.count ?? 0 }

    /// The table's rows in graph order.
    public var rows: [LayerRow] {
        let medians = samples.map { LayerTable.median($0) }
        let total = medians.reduce(0, +)
        return layers.enumerated().map { i, l in
            let ns = medians[i]
            let gmacs: Double? = l.macs > 0 && ns > 0 ? Double(l.macs) / ns : nil
            return LayerRow(index: i, name: l.name, kind: l.kind, shape: l.shape, macs: l.macs, kernel: l.kernel,
                            medianNs: ns, share: total > 0 ? ns / total : 0, gmacs: gmacs,
                            peakShare: gmacs.flatMap { g in peakGMACs.map { g / $0 } })
        }
    }

    /// Sum of the layers' medians, ns: the time of an inference as the table explains it.
    public var totalMedianNs: Double { samples.reduce(0) { $0 + LayerTable.median($1) } }

    /// Median of `values` (the mean of the middle two for an even count); 0 when empty.
    public static func median(_ values: [UInt64]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? Double(s[m]) : (Double(s[m - 1]) + Double(s[m])) / 2
    }
}

/// One operator of a `LayerTable`, with its derived figures.
public struct LayerRow: Sendable, Equatable {
    /// Position in the graph, 0-based.
    public var index: Int
    public var name: String
    public var kind: String
    public var shape: String
    public var macs: Int
    public var kernel: String
    /// Median time per inference, ns.
    public var medianNs: Double
    /// Share of the sum of all the layers' medians, 0...1.
    public var share: Double
    /// Multiply-accumulates per second in units of 10⁹; nil for layers without MACs.
    public var gmacs: Double?
    /// Rate as a share of the CPU's measured peak for the data type, when a peak is known.
    public var peakShare: Double?
}

/// Every layer table of a session, in order of first appearance, at most `maxTables`.
public struct LayerTables: Sendable, Equatable {
    /// Tables kept at most; profiles of further models or backends are counted in `dropped`.
    public static let maxTables = 16
    /// Profiles kept per layer in each table (nil: all).
    public let window: Int?
    /// The tables, oldest first.
    public private(set) var tables: [LayerTable] = []
    /// Profiles not kept because `maxTables` was reached.
    public private(set) var dropped = 0

    /// No tables yet; each will keep `window` profiles (nil: all).
    public init(window: Int? = nil) { self.window = window }

    /// Folds one profile into its table.
    public mutating func add(_ profile: LayerProfile) {
        let key = LayerTable.Key(profile)
        if let i = tables.firstIndex(where: { $0.key == key }) {
            tables[i].add(profile)
        } else if tables.count < Self.maxTables {
            tables.append(LayerTable(profile, window: window))
        } else {
            dropped += 1
        }
    }

    /// The table of `model` on `backend`, the emulated one first when both exist (under
    /// emulation the emulated times are the ones to show); nil when never profiled.
    public func table(model: String?, backend: String?) -> LayerTable? {
        let matching = tables.filter { (model == nil || $0.key.model == model) && (backend == nil || $0.key.backend == backend) }
        return matching.first { $0.key.emulated } ?? matching.first
    }

    /// The table profiled most recently.
    public var newest: LayerTable? { tables.max { $0.lastT < $1.lastT } }
}
