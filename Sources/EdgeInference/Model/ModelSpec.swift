/// Names a model of the catalog; parses and prints the names used on the command line
/// and in traces (`mobilenet-v1-0.25-128`, `mobilenet-v2-1.0-224`, `resnet-18`).
public enum ModelSpec: Sendable, Hashable, CustomStringConvertible {
    case mobileNetV1(width: Double, resolution: Int)
    case mobileNetV2(resolution: Int)
    case resNet18(resolution: Int)
    /// A TensorFlow Lite file (see `ModelSpec.file(path:)`), with the kernel backend its
    /// precision runs on (`int8` or `fp32`; `ref` for a model that mixes them).
    case file(path: String, native: Backend)

    /// Width multipliers MobileNet v1 is defined for.
    public static let widths: [Double] = [0.25, 0.5, 0.75, 1.0]
    /// Input resolutions the catalog offers.
    public static let resolutions: [Int] = [128, 160, 192, 224]
    /// The family names accepted by `family(_:width:resolution:)`.
    public static let families = ["mobilenet-v1", "mobilenet-v2", "resnet-18"]

    /// Every model of the catalog.
    public static var all: [ModelSpec] {
        var specs: [ModelSpec] = []
        for w in widths { for r in resolutions { specs.append(.mobileNetV1(width: w, resolution: r)) } }
        for r in resolutions { specs.append(.mobileNetV2(resolution: r)) }
        specs.append(.resNet18(resolution: 224))
        return specs
    }

    /// The catalog name.
    public var name: String {
        switch self {
        case .mobileNetV1(let w, let r): return "mobilenet-v1-\(Self.format(width: w))-\(r)"
        case .mobileNetV2(let r): return "mobilenet-v2-1.0-\(r)"
        case .resNet18(let r): return r == 224 ? "resnet-18" : "resnet-18-\(r)"
        case .file(let path, _): return Self.fileName(path)
        }
    }

    public var description: String { name }

    /// "0.25", "0.5", "0.75", "1.0" (Swift prints a whole Double with one decimal).
    static func format(width: Double) -> String { "\(width)" }

    /// Parses a catalog name; nil when it names no model of the catalog.
    public init?(name: String) {
        guard let spec = Self.all.first(where: { $0.name == name }) else { return nil }
        self = spec
    }

    /// Builds a spec from a family name and its parameters, or explains what is wrong.
    public static func family(_ family: String, width: Double, resolution: Int) -> Result<ModelSpec, ModelSpecError> {
        guard resolutions.contains(resolution) else {
            return .failure(.init("resolution \(resolution) is not one of \(resolutions.map(String.init).joined(separator: ", "))"))
        }
        switch family {
        case "mobilenet-v1":
            guard widths.contains(width) else {
                return .failure(.init("width \(width) is not one of \(widths.map { format(width: $0) }.joined(separator: ", "))"))
            }
            return .success(.mobileNetV1(width: width, resolution: resolution))
        case "mobilenet-v2":
            guard width == 1.0 else { return .failure(.init("mobilenet-v2 is only built at width 1.0")) }
            return .success(.mobileNetV2(resolution: resolution))
        case "resnet-18":
            guard width == 1.0 else { return .failure(.init("resnet-18 is only built at width 1.0")) }
            guard resolution == 224 else {
                return .failure(.init("resnet-18 is only built at resolution 224 (got \(resolution))"))
            }
            return .success(.resNet18(resolution: resolution))
        default:
            if let spec = ModelSpec(name: family) { return .success(spec) }
            return .failure(.init("unknown model '\(family)' (known: \(families.joined(separator: ", ")))"))
        }
    }

    /// The model that `--model`, `--width` and `--resolution` name, the last two nil where not
    /// given. A full catalog name fixes both, so a width or resolution that differs from the
    /// name's is refused rather than silently ignored.
    public static func resolve(model: String, width: Double?, resolution: Int?) -> Result<ModelSpec, ModelSpecError> {
        if !families.contains(model), let exact = ModelSpec(name: model) {
            if let width, width != exact.width {
                return .failure(.init("\(model) is built at width \(format(width: exact.width)); --width \(format(width: width)) cannot be honoured"))
            }
            if let resolution, resolution != exact.resolution {
                return .failure(.init("\(model) is built at resolution \(exact.resolution); --resolution \(resolution) cannot be honoured"))
            }
            return .success(exact)
        }
        return family(model, width: width ?? 1.0, resolution: resolution ?? 224)
    }

    /// The width multiplier (1.0 for the models built at one width only).
    public var width: Double {
        if case .mobileNetV1(let w, _) = self { return w }
        return 1.0
    }

    /// The input resolution, in pixels per side.
    public var resolution: Int {
        switch self {
        case .mobileNetV1(_, let r), .mobileNetV2(let r), .resNet18(let r): return r
        case .file: return PlanFactory.model(self).inputShape.height
        }
    }

    /// Builds the graph with its seeded weights.
    public func build() -> Model {
        switch self {
        case .mobileNetV1(let w, let r): return .mobileNetV1(width: w, resolution: r)
        case .mobileNetV2(let r): return .mobileNetV2(resolution: r)
        case .resNet18(let r): return .resNet18(resolution: r)
        case .file: return TFLiteFiles.graph(of: self)
        }
    }
}

/// Why a model name or parameter was refused, in words for the user.
public struct ModelSpecError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ message: String) { description = message }
}
