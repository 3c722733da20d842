// swift-tools-version: 6.0
import PackageDescription

/// Kernels and the model code are compiled optimised even in debug builds: the end-to-end
/// tests run whole MobileNets, and an -Onone int8 GEMM is two orders of magnitude slower.
/// `-O`, not `-Ounchecked`: the operators' and plans' preconditions must hold in every
/// build; only the microkernels' inner loops go unchecked, by unsafe-pointer code.
let fastSwift: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "edgetop",
    products: [
        .executable(name: "edgetop", targets: ["edgetop"]),
        // The parsers of outside data, for the fuzz targets in Fuzz/ (a package of their own).
        .library(name: "EdgeParsers", targets: ["EdgeTrace", "EdgeDashboard", "EdgeEmulation", "EdgeTFLite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // C microkernels that Swift cannot express (VNNI vpdpbusd, FMA), chosen at run time.
        .target(
            name: "CEdgeKernels",
            cSettings: [.unsafeFlags(["-O2", "-fno-strict-aliasing"])]
        ),
        // ncursesw through a system-library module and a shim of static inline wrappers.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw"),
        // zlib, for reading .jsonl.gz traces.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib"),

        // The one seeded generator and the one monotonic clock, under every other library.
        // ThreadSanitizer's view of the Synchronization module's Mutex (see Locked.swift).
        .target(name: "CEdgeSync"),
        .target(name: "EdgeCore", dependencies: ["CEdgeSync"]),
        .target(name: "EdgeKernels", dependencies: ["CEdgeKernels", "EdgeCore"], swiftSettings: fastSwift),
        .target(name: "EdgeInference", dependencies: ["EdgeKernels", "EdgeTFLite", "EdgeImages", "EdgeCore"], swiftSettings: fastSwift),
        .target(name: "EdgeTrace", dependencies: ["CZlib", "EdgeCore"]),
        // TensorFlow Lite model files: a bounds-checked flatbuffer reader and the appended zip.
        .target(name: "EdgeTFLite", dependencies: ["EdgeTrace", "CZlib"], swiftSettings: fastSwift),
        // PNG and JPEG decoding through the system's libpng and libjpeg-turbo.
        .systemLibrary(name: "CImageCodecs"),
        .target(name: "EdgeImages", dependencies: ["CImageCodecs", "EdgeTrace"]),
        .target(name: "EdgeTelemetry", dependencies: ["EdgeTrace"]),
        .target(name: "EdgeEmulation", dependencies: ["EdgeTrace", "EdgeInference"]),
        .target(
            name: "EdgeSession",
            dependencies: [
                "EdgeTrace",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(name: "EdgeDashboard", dependencies: ["EdgeSession", "EdgeTrace"]),
        .target(name: "EdgeTerminal", dependencies: ["CNcurses", "EdgeDashboard"]),
        // The live source: inference loop and samplers merged into one event stream.
        .target(
            name: "EdgeLive",
            dependencies: ["EdgeInference", "EdgeTelemetry", "EdgeEmulation", "EdgeTrace", "EdgeDashboard"]
        ),
        // Prometheus exposition of the event stream and the small HTTP server that serves it.
        .target(
            name: "EdgeMetrics",
            dependencies: [
                "EdgeTrace",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        .executableTarget(
            name: "edgetop",
            dependencies: [
                "EdgeKernels", "EdgeInference", "EdgeTrace", "EdgeTelemetry", "EdgeEmulation",
                "EdgeSession", "EdgeDashboard", "EdgeTerminal", "EdgeLive", "EdgeMetrics", "EdgeTFLite", "EdgeImages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Event builders and fixture paths shared by the test targets.
        .target(name: "EdgeTestSupport", dependencies: ["EdgeTrace"], path: "Tests/EdgeTestSupport"),
        .testTarget(name: "EdgeCoreTests", dependencies: ["EdgeCore"]),
        .testTarget(name: "EdgeKernelsTests", dependencies: ["EdgeKernels", "EdgeCore"], swiftSettings: fastSwift),
        .testTarget(name: "EdgeInferenceTests", dependencies: ["EdgeInference", "EdgeKernels"]),
        .testTarget(name: "EdgeTraceTests", dependencies: ["EdgeTrace", "EdgeTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EdgeTelemetryTests", dependencies: ["EdgeTelemetry", "EdgeTrace"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EdgeEmulationTests", dependencies: ["EdgeEmulation", "EdgeTrace", "EdgeInference", "EdgeTestSupport"]),
        .testTarget(name: "EdgeSessionTests", dependencies: ["EdgeSession", "EdgeTrace", "EdgeTestSupport"]),
        .testTarget(name: "EdgeDashboardTests", dependencies: ["EdgeDashboard", "EdgeSession", "EdgeTrace", "EdgeTestSupport"],
                    exclude: ["Snapshots", "ThemeFixtures"]),
        .testTarget(name: "EdgeTerminalTests", dependencies: ["EdgeTerminal", "EdgeDashboard", "EdgeTrace", "EdgeTestSupport"]),
        .testTarget(name: "EdgeLiveTests", dependencies: ["EdgeLive", "EdgeInference", "EdgeTelemetry", "EdgeDashboard", "EdgeTrace", "EdgeTestSupport"]),
        .testTarget(name: "EdgeImagesTests", dependencies: ["EdgeImages"], exclude: ["Fixtures"]),
        .testTarget(name: "EdgeTFLiteTests", dependencies: ["EdgeTFLite", "EdgeTrace", "CZlib", "EdgeInference", "EdgeKernels", "EdgeImages"],
                    exclude: ["Regressions"]),
        // End-to-end tests that drive the built `edgetop` binary (CLI, tmux).
        .testTarget(name: "EdgetopTests", dependencies: ["edgetop", "EdgeTestSupport"]),
        .testTarget(name: "EdgeMetricsTests", dependencies: ["EdgeMetrics", "EdgeTrace"]),
    ],
    swiftLanguageModes: [.v5]
)
