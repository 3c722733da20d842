import Foundation
import XCTest

final class BenchTests: XCTestCase {
    private let small = ["bench", "--model", "mobilenet-v1", "--width", "0.25", "--resolution", "128"]

    private func profilesFolder(file: StaticString = #filePath) -> String {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("../../profiles").standardized.path
    }

    private func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(object as? [String: Any], "not a JSON object: \(text)")
    }

    func testJSONHasEveryKeyWithConsistentValues() throws {
        let r = try runEdgetop(small + ["--backend", "int8", "--threads", "2", "--warmup", "2", "--runs", "100", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try json(r.stdout)
        for key in ["model", "backend", "threads", "macs", "runs", "mean_ms", "min_ms", "p50_ms", "p90_ms", "p99_ms",
                    "max_ms", "gmacs", "quality", "kernels", "first_ms", "std_ms", "calibration_ms", "init_ms"] {
            XCTAssertNotNil(o[key], "missing \(key)")
        }
        XCTAssertEqual(o["model"] as? String, "mobilenet-v1-0.25-128")
        XCTAssertEqual(o["backend"] as? String, "int8")
        XCTAssertEqual(o["threads"] as? Int, 2)
        XCTAssertEqual(o["runs"] as? Int, 100)
        XCTAssertNil(o["p99_min_count"], "100 runs support p99")
        XCTAssertEqual(o["macs"] as? Int, 13_570_048)
        let mn = try XCTUnwrap(o["min_ms"] as? Double), p50 = try XCTUnwrap(o["p50_ms"] as? Double)
        let p90 = try XCTUnwrap(o["p90_ms"] as? Double), p99 = try XCTUnwrap(o["p99_ms"] as? Double)
        let mx = try XCTUnwrap(o["max_ms"] as? Double), mean = try XCTUnwrap(o["mean_ms"] as? Double)
        XCTAssertGreaterThan(mn, 0)
        XCTAssertTrue(mn <= p50 && p50 <= p90 && p90 <= p99 && p99 <= mx, "\(mn) \(p50) \(p90) \(p99) \(mx)")
        XCTAssertTrue(mn <= mean && mean <= mx)
        let gmacs = try XCTUnwrap(o["gmacs"] as? Double)
        XCTAssertEqual(gmacs, 13_570_048 / (mean * 1e6), accuracy: gmacs * 1e-6)
        let quality = try XCTUnwrap(o["quality"] as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(quality["cosine"] as? Double), 0.99)
        XCTAssertEqual(quality["top1_agree"] as? Bool, true)
        let kernels = try XCTUnwrap(o["kernels"] as? [String])
        XCTAssertFalse(kernels.isEmpty)
        XCTAssertEqual(Set(kernels).count, kernels.count, "kernels are deduplicated")
    }

    func testPercentilesTheRunsCannotSupportAreNotFigures() throws {
        let r = try runEdgetop(small + ["--backend", "int8", "--warmup", "0", "--runs", "7", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try json(r.stdout)
        XCTAssertEqual(o["runs"] as? Int, 7)
        XCTAssertNotNil(o["p50_ms"] as? Double, "7 runs support p50")
        XCTAssertNil(o["p50_min_count"])
        for (key, needs) in [("p90", 10), ("p99", 100)] {
            XCTAssertTrue(o[key + "_ms"] is NSNull, "\(key) of 7 runs must be null, got \(String(describing: o[key + "_ms"]))")
            XCTAssertEqual(o[key + "_min_count"] as? Int, needs)
        }
        let text = try runEdgetop(small + ["--backend", "int8", "--warmup", "0", "--runs", "3"])
        XCTAssertEqual(text.status, 0, text.stderr)
        let timing = try XCTUnwrap(text.stdout.split(separator: "\n").first { $0.hasPrefix("Timing:") }, text.stdout)
        XCTAssertTrue(timing.contains(" p90=– (n<10) p99=– (n<100) "), String(timing))
        XCTAssertTrue(text.stdout.contains("too few timed runs for that percentile"), text.stdout)
    }

    func testTextSummaryReadsLikeABenchmarkTool() throws {
        let r = try runEdgetop(small + ["--backend", "fp32", "--warmup", "3", "--runs", "5"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in ["Model: mobilenet-v1-0.25-128  backend: fp32  threads: 1", "MACs: 13.6 M", "Microkernels: ",
                     "Warm-up: count=3 first=", "Timing: count=5 mean=", " p50=", " p90=", " p99=", "GMAC/s",
                     "Quality vs ref: cosine="] {
            XCTAssertTrue(r.stdout.contains(line), "missing '\(line)' in:\n\(r.stdout)")
        }
    }

    func testProfilePrintsEveryLayer() throws {
        let r = try runEdgetop(small + ["--backend", "int8", "--warmup", "1", "--runs", "3", "--profile", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let layers = try XCTUnwrap(try json(r.stdout)["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.count, 29)
        XCTAssertEqual(layers.first?["name"] as? String, "conv0")
        XCTAssertEqual(layers.compactMap { $0["macs"] as? Int }.reduce(0, +), 13_570_048)
        let text = try runEdgetop(small + ["--backend", "ref", "--warmup", "0", "--runs", "1", "--profile"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("pw13"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Per kind:"), text.stdout)
    }

    func testBadInputIsRefusedWithExitCodeTwoAndAClearMessage() throws {
        let cases: [([String], String)] = [
            (["bench", "--model", "vgg-16"], "unknown model 'vgg-16'"),
            (["bench", "--backend", "int4"], "unknown backend 'int4'"),
            (["bench", "--width", "0.3"], "width 0.3 is not one of 0.25, 0.5, 0.75, 1.0"),
            (["bench", "--resolution", "100"], "resolution 100 is not one of 128, 160, 192, 224"),
            (["bench", "--runs", "0"], "--runs must be at least 1"),
            (["bench", "--threads", "0"], "--threads must be at least 1"),
            (["bench", "--warmup", "-1"], "--warmup must be 0 or more (got -1)"),
            (["bench", "--threads", "1000"], "--threads must be at least 1 and at most 256 (got 1000)"),
            (["bench", "--model", "mobilenet-v2", "--width", "0.5"], "mobilenet-v2 is only built at width 1.0"),
            (["bench", "--runs", "many"], "--runs must be a whole number (got 'many')"),
            (["bench", "--width", "wide"], "--width must be a number (got 'wide')"),
            // An option the model cannot honour is refused, not ignored.
            (["bench", "--model", "resnet-18", "--resolution", "128"], "resnet-18 is only built at resolution 224 (got 128)"),
            (["bench", "--model", "resnet-18", "--width", "0.5"], "resnet-18 is only built at width 1.0"),
            (["bench", "--model", "mobilenet-v1-0.25-128", "--resolution", "224"],
             "mobilenet-v1-0.25-128 is built at resolution 128; --resolution 224 cannot be honoured"),
            (["bench", "--model", "mobilenet-v2-1.0-160", "--width", "0.5"],
             "mobilenet-v2-1.0-160 is built at width 1.0; --width 0.5 cannot be honoured"),
        ]
        for (args, message) in cases {
            let r = try runEdgetop(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): expected '\(message)' in \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
    }

    func testEmulatedBenchRunsAtThePhonesSpeed() throws {
        // MobileNet v1 0.25@128 on one A53: the profile's rates put it at several milliseconds,
        // far above this machine's time, and every timed run lasts the device's time.
        let r = try runEdgetop(small + ["--backend", "int8", "--warmup", "1", "--runs", "5", "--json",
                                        "--emulate", "a53-phone-2013"],
                               environment: ["EDGETOP_PROFILES": profilesFolder()], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try json(r.stdout)
        let emulation = try XCTUnwrap(o["emulation"] as? [String: Any], r.stdout)
        XCTAssertEqual(emulation["latencies_emulated"] as? Bool, true)
        let device = try XCTUnwrap(emulation["device_ms_at_max"] as? Double)
        let host = try XCTUnwrap(emulation["host_p50_ms"] as? Double)
        XCTAssertGreaterThan(device, 2 * host, "the phone should be far slower than this machine")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(o["min_ms"] as? Double), device * (1 - 1e-6))
        if emulation["host_bound_runs"] as? Int == 0 {
            XCTAssertEqual(try XCTUnwrap(o["p50_ms"] as? Double), device, accuracy: device * 1e-6)
        }
    }

    func testEmulatedDeviceThrottlesAndSlowsTheBenchmark() throws {
        // A device that heats within a fraction of a second: its clock cap must drop, and the
        // latencies (at the emulated clock) must rise above the unthrottled ones.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let profile = try writeHotProfile(named: "hot bench device", in: dir)
        let args = small + ["--backend", "int8", "--warmup", "5", "--runs", "2000", "--json"]
        let plain = try json(try runEdgetop(args).stdout)
        let r = try runEdgetop(args + ["--emulate", profile.path], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try json(r.stdout)
        let emulation = try XCTUnwrap(o["emulation"] as? [String: Any], r.stdout)
        XCTAssertEqual(emulation["profile"] as? String, "hot bench device")
        XCTAssertEqual(emulation["emulated"] as? Bool, true)
        XCTAssertLessThan(try XCTUnwrap(emulation["lowest_cap_mhz"] as? Double), 1000, "the cap never dropped")
        XCTAssertGreaterThan(try XCTUnwrap(emulation["most_throttle_steps"] as? Int), 0)
        XCTAssertGreaterThan(try XCTUnwrap(emulation["peak_temperature_c"] as? Double), 40, "never reached the trip")
        XCTAssertGreaterThan(try XCTUnwrap(o["max_ms"] as? Double), 1.5 * (try XCTUnwrap(plain["p50_ms"] as? Double)))
        let text = try runEdgetop(small + ["--warmup", "1", "--runs", "3", "--emulate", profile.path])
        XCTAssertTrue(text.stdout.contains("Emulated device: hot bench device (emulated"), text.stdout)
        // Every line of latencies or rates says that its figures are the emulated device's.
        for prefix in ["Warm-up:", "Timing:", "Rate:"] {
            let line = text.stdout.split(separator: "\n").first { $0.hasPrefix(prefix) } ?? ""
            XCTAssertTrue(line.contains("emulated"), "'\(prefix)' line without 'emulated':\n\(text.stdout)")
        }
        XCTAssertTrue(text.stdout.contains("This machine: p50="), text.stdout)
        let bad = try runEdgetop(small + ["--emulate", dir.appendingPathComponent("missing.profile").path])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("missing.profile"), bad.stderr)
    }

    /// EDGETOP_BENCH_ISA forces the int8 kernel family (its names appear in the output); an
    /// unknown name or a family this CPU cannot execute is a usage error, not a fault.
    func testBenchISAEnvironmentForcesTheInt8Kernels() throws {
        let run = small + ["--backend", "int8", "--warmup", "0", "--runs", "2", "--json"]
        let avx2 = try runEdgetop(run, environment: ["EDGETOP_BENCH_ISA": "avx2"], timeout: 120)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if cpuinfo.contains(" avx2") && cpuinfo.contains(" fma") {
            XCTAssertEqual(avx2.status, 0, avx2.stderr)
            let kernels = try XCTUnwrap(try json(avx2.stdout)["kernels"] as? [String])
            XCTAssertTrue(kernels.contains { $0.hasPrefix("qu8_qs8w_gemm_minmax_fp32_ukernel_") && $0.contains("__avx2") },
                          "\(kernels)")
            XCTAssertFalse(kernels.contains { $0.contains("avx512") }, "\(kernels)")
        } else {
            XCTAssertEqual(avx2.status, 2, avx2.stderr)
        }
        let portable = try runEdgetop(run, environment: ["EDGETOP_BENCH_ISA": "portable"], timeout: 120)
        XCTAssertEqual(portable.status, 0, portable.stderr)
        let kernels = try XCTUnwrap(try json(portable.stdout)["kernels"] as? [String])
        XCTAssertTrue(kernels.contains("qu8_qs8w_gemm_minmax_fp32_ukernel_4x16__swift_simd"), "\(kernels)")
        let bad = try runEdgetop(run, environment: ["EDGETOP_BENCH_ISA": "sse9\u{1B}[2J"], timeout: 60)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("EDGETOP_BENCH_ISA=sse9"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("avxvnni-evex"), "names the accepted values: \(bad.stderr)")
        XCTAssertFalse(bad.stderr.contains("\u{1B}"), "no raw escape reaches the terminal")
        if !cpuinfo.contains(" avx_vnni") {
            let missing = try runEdgetop(run, environment: ["EDGETOP_BENCH_ISA": "avxvnni"], timeout: 60)
            XCTAssertEqual(missing.status, 2)
            XCTAssertTrue(missing.stderr.contains("no AVX-VNNI"), missing.stderr)
        }
    }
    /// EDGETOP_BENCH_ISA=avx2 also gives fp32 the kernels an AVX2-only CPU runs (no AVX-512F
    /// names), and `portable` the Swift SIMD ones, so an AVX-512 host can time a Zen 3's fp32 path.
    func testBenchISAEnvironmentForcesTheFP32Kernels() throws {
        let run = small + ["--backend", "fp32", "--warmup", "0", "--runs", "2", "--json"]
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard cpuinfo.contains(" avx2") && cpuinfo.contains(" fma") else {
            throw XCTSkip("this CPU has no AVX2+FMA")
        }
        let avx2 = try runEdgetop(run, environment: ["EDGETOP_BENCH_ISA": "avx2"], timeout: 120)
        XCTAssertEqual(avx2.status, 0, avx2.stderr)
        let kernels = try XCTUnwrap(try json(avx2.stdout)["kernels"] as? [String])
        XCTAssertTrue(kernels.contains { $0.hasPrefix("f32_gemm_minmax_ukernel_") && $0.hasSuffix("__avx2_fma") }, "\(kernels)")
        XCTAssertFalse(kernels.contains { $0.contains("avx512") }, "\(kernels)")
        let portable = try runEdgetop(run, environment: ["EDGETOP_BENCH_ISA": "portable"], timeout: 120)
        XCTAssertEqual(portable.status, 0, portable.stderr)
        let simd = try XCTUnwrap(try json(portable.stdout)["kernels"] as? [String])
        XCTAssertTrue(simd.contains { $0.hasPrefix("f32_gemm_minmax_ukernel_") && $0.hasSuffix("__swift_simd") }, "\(simd)")
        XCTAssertFalse(simd.contains { $0.contains("avx") }, "\(simd)")
    }
}
