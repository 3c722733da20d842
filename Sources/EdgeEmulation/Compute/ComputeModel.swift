/// The operator kinds a profile gives separate rates for: their cost per multiply-accumulate
/// differs by several times on a phone's CPU, so one rate for a whole model would misplace
/// models whose mix of layers differs (MobileNet's 1×1 layers against ResNet's 3×3 ones).
public enum OperatorClass: String, Sendable, CaseIterable, Hashable {
    /// 1×1 convolutions: one GEMM over the pixels.
    case conv1x1
    /// Depthwise convolutions: few MACs per byte loaded, far below the GEMM rate.
    case depthwise
    /// Every other dense convolution (3×3, 7×7, strided, the 3-channel stem).
    case conv
    /// Fully connected layers at batch 1: a matrix-vector product, bound by the weights' bandwidth.
    case fullyConnected
    /// Pools and elementwise sums, costed by the bytes they read and write.
    case elementwise
}

/// The numeric format the kernels compute in, which sets the rates used.
public enum ComputePrecision: String, Sendable, CaseIterable {
    /// Quantized 8-bit kernels (the int8 backend).
    case int8
    /// Single-precision float kernels (the fp32 and reference backends).
    case fp32
}

/// Sustained rates of one core at the profile's maximum clock for one precision: GMAC/s
/// (10⁹ multiply-accumulates per second) for the MAC-counted kinds, GB/s for elementwise.
public struct ComputeRates: Sendable, Equatable {
    /// 1×1 convolutions, GMAC/s.
    public var conv1x1GMACs: Double
    /// Depthwise convolutions, GMAC/s.
    public var depthwiseGMACs: Double
    /// Other dense convolutions, GMAC/s.
    public var convGMACs: Double
    /// Fully connected layers at batch 1, GMAC/s.
    public var fullyConnectedGMACs: Double
    /// Pools and elementwise sums, GB/s read and written.
    public var elementwiseGBps: Double

    /// Rates of one core at the maximum clock.
    public init(conv1x1GMACs: Double, depthwiseGMACs: Double, convGMACs: Double, fullyConnectedGMACs: Double,
                elementwiseGBps: Double) {
        self.conv1x1GMACs = conv1x1GMACs; self.depthwiseGMACs = depthwiseGMACs; self.convGMACs = convGMACs
        self.fullyConnectedGMACs = fullyConnectedGMACs; self.elementwiseGBps = elementwiseGBps
    }

    /// Units of work per second of `kind` (MACs, or bytes for elementwise) on one core.
    public func perSecond(_ kind: OperatorClass) -> Double {
        switch kind {
        case .conv1x1: return conv1x1GMACs * 1e9
        case .depthwise: return depthwiseGMACs * 1e9
        case .conv: return convGMACs * 1e9
        case .fullyConnected: return fullyConnectedGMACs * 1e9
        case .elementwise: return elementwiseGBps * 1e9
        }
    }
}

/// How fast the emulated device computes: per-core rates for each precision at the maximum
/// clock, and how well extra cores add to one (a shared L2 and one memory bus make the
/// second to fourth core worth less than the first).
public struct ComputeModel: Sendable, Equatable {
    /// Rates of the int8 kernels.
    public var int8: ComputeRates
    /// Rates of the fp32 kernels.
    public var fp32: ComputeRates
    /// Each core beyond the first adds this share of one core's rate (0…1).
    public var parallelEfficiency: Double

    /// A compute model from its rates.
    public init(int8: ComputeRates, fp32: ComputeRates, parallelEfficiency: Double) {
        self.int8 = int8; self.fp32 = fp32; self.parallelEfficiency = parallelEfficiency
    }

    /// The rates used for `precision`.
    public func rates(_ precision: ComputePrecision) -> ComputeRates {
        precision == .int8 ? int8 : fp32
    }

    /// How many cores' worth of work `cores` cores do together: 1 + (cores − 1) × efficiency.
    public func speedup(cores: Int) -> Double {
        1 + Double(max(1, cores) - 1) * parallelEfficiency
    }
}

/// One inference's work as the compute model sees it: MACs per operator kind (bytes for
/// elementwise) and the precision they are computed in.
public struct DeviceWorkload: Sendable, Equatable {
    /// Which of the profile's rates apply.
    public var precision: ComputePrecision
    /// MACs per kind; for `.elementwise`, bytes read and written.
    public var amounts: [OperatorClass: Double]

    /// A workload from its amounts.
    public init(precision: ComputePrecision, amounts: [OperatorClass: Double]) {
        self.precision = precision; self.amounts = amounts
    }

    /// Seconds this work takes on `cores` cores of `model` at the maximum clock.
    public func seconds(on model: ComputeModel, cores: Int) -> Double {
        let rates = model.rates(precision)
        var oneCore = 0.0
        for kind in OperatorClass.allCases {
            guard let amount = amounts[kind], amount > 0 else { continue }
            oneCore += amount / rates.perSecond(kind)
        }
        return oneCore / model.speedup(cores: cores)
    }
}
