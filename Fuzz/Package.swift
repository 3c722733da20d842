// swift-tools-version: 6.0
import PackageDescription

/// libFuzzer targets for every parser of outside data. Built by `scripts/fuzz.sh` with
/// `-sanitize=fuzzer,address -parse-as-library`: each target's `<Target>_main` (the entry
/// point SwiftPM links as `main`) hands its `LLVMFuzzerTestOneInput` to libFuzzer's driver. Not part of the main package, whose `swift build`
/// must not need the fuzzer runtime.
let targets = [
    "FuzzTraceFile", "FuzzGzip", "FuzzLoadGenTrace", "FuzzLoadGenDetail", "FuzzLoadGenSummary",
    "FuzzSTuiCSV", "FuzzPowerLog", "FuzzSystemJSON", "FuzzTheme", "FuzzProfile", "FuzzTFLite", "FuzzDashboard",
]

let package = Package(
    name: "edgetop-fuzz",
    dependencies: [.package(name: "edgetop", path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", .product(name: "EdgeParsers", package: "edgetop")]),
    ] + targets.map {
        .executableTarget(name: $0, dependencies: ["FuzzSupport", .product(name: "EdgeParsers", package: "edgetop")])
    },
    swiftLanguageModes: [.v5]
)
