import Foundation
import XCTest
import EdgeTestSupport

/// `edgetop record` end to end: the built binary runs the real loop and samplers, and the
/// trace it writes is read back line by line.
final class RecordTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("edgetop-record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    /// The trace's lines as JSON objects; fails on a line that is not one, or a missing final newline.
    private func readTrace(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> (header: [String: Any], events: [[String: Any]]) {
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"), "the last line is cut off", file: file, line: line)
        let objects = try text.split(separator: "\n").enumerated().map { i, l -> [String: Any] in
            guard let o = try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any] else {
                throw NSError(domain: "trace", code: 1, userInfo: [NSLocalizedDescriptionKey: "line \(i + 1) is not an object"])
            }
            return o
        }
        let header = try XCTUnwrap(objects.first, "empty trace", file: file, line: line)
        var lastT = 0.0
        for (i, e) in objects.dropFirst().enumerated() {
            let t = try XCTUnwrap(e["t"] as? Double, "line \(i + 2) has no t", file: file, line: line)
            XCTAssertGreaterThanOrEqual(t, lastT, "time goes backwards on line \(i + 2)", file: file, line: line)
            lastT = t
        }
        return (header, Array(objects.dropFirst()))
    }

    func testRecordsAShortSessionOfASmallModel() throws {
        let out = scratch.appendingPathComponent("short.jsonl")
        let r = try runEdgetop(["record", "-o", out.path, "--duration", "3", "--model", "mobilenet-v1-0.25-128",
                                "--threads", "1", "--sample-interval", "0.25"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("wrote \(out.path)"), r.stderr)
        let (header, events) = try readTrace(out)
        XCTAssertEqual(header["format"] as? String, "edgetop-trace")
        XCTAssertEqual(header["source"] as? String, "recorded")
        XCTAssertEqual(header["model"] as? String, "mobilenet-v1-0.25-128")
        let device = try XCTUnwrap(header["device"] as? [String: Any])
        XCTAssertEqual(device["cores"] as? Int, ProcessInfo.processInfo.activeProcessorCount)

        let inferences = events.filter { $0["type"] as? String == "inference" }
        let samples = events.filter { $0["type"] as? String == "system" }
        XCTAssertGreaterThan(inferences.count, 5)
        for e in inferences {
            XCTAssertEqual(e["backend"] as? String, "int8")
            XCTAssertEqual(e["model"] as? String, "mobilenet-v1-0.25-128")
            XCTAssertEqual(e["threads"] as? Int, 1)
            XCTAssertGreaterThan(e["latency_ns"] as? Int ?? 0, 0)
        }
        // A sample every 0.25 s over about 3 s (the first ones while the plan is built).
        XCTAssertGreaterThanOrEqual(samples.count, 8)
        XCTAssertLessThanOrEqual(samples.count, 14)
        let load = try XCTUnwrap(samples.last?["load"] as? [[String: Any]])
        XCTAssertEqual(load.count, ProcessInfo.processInfo.activeProcessorCount)
        // This machine has no sensors: no temperature is made up.
        if !FileManager.default.fileExists(atPath: "/sys/class/thermal/thermal_zone0"),
           !FileManager.default.fileExists(atPath: "/sys/class/hwmon/hwmon0") {
            XCTAssertEqual(device["thermal_sensors"] as? Bool, false)
            XCTAssertTrue(samples.allSatisfy { $0["temperatures"] == nil })
        }
        XCTAssertEqual(events.first?["type"] as? String, "config")
        XCTAssertEqual(events.first?["backend"] as? String, "int8")
        XCTAssertTrue(events.contains { $0["type"] as? String == "quality" && $0["backend"] as? String == "int8" })
        XCTAssertLessThan(events.last.flatMap { $0["t"] as? Double } ?? 99, 4)
    }

    /// A .tflite model with --images: the trace holds the file's inferences under its file
    /// name and a quality event each time more images have been scored.
    func testRecordsATFLiteModelOnLabelledImages() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
        let model = repo + "/.models/efficientnet_lite0.tflite", images = repo + "/.models/images"
        guard FileManager.default.fileExists(atPath: model), FileManager.default.fileExists(atPath: images + "/labels.csv") else {
            throw XCTSkip("the model or the photographs are not in .models/; run scripts/fetch-models.sh (CI does)")
        }
        let out = scratch.appendingPathComponent("tflite.jsonl")
        let r = try runEdgetop(["record", "-o", out.path, "--duration", "8", "--model", model, "--images", images,
                                "--threads", "1"], timeout: 180)
        XCTAssertEqual(r.status, 0, r.stderr)
        let (header, events) = try readTrace(out)
        XCTAssertEqual(header["model"] as? String, "efficientnet_lite0.tflite")
        let inferences = events.filter { $0["type"] as? String == "inference" }
        XCTAssertGreaterThanOrEqual(inferences.count, 4)
        for e in inferences {
            XCTAssertEqual(e["model"] as? String, "efficientnet_lite0.tflite")
            XCTAssertEqual(e["backend"] as? String, "int8", "an int8 file runs on the int8 kernels by default")
        }
        let tallies = events.filter { $0["type"] as? String == "quality" && $0["images"] != nil }
        // One event each time the session finds the tally grown (several images may be
        // scored between two looks): strictly growing, ending at all four.
        let counts = tallies.compactMap { $0["images"] as? Int }
        XCTAssertEqual(counts, Array(Set(counts)).sorted(), "\(counts)")
        XCTAssertEqual(counts.last, 4)
        // The four photographs are labelled with LiteRT's classes: all four in the top 5.
        XCTAssertEqual(tallies.last?["top5_correct"] as? Int, 4)
        XCTAssertGreaterThanOrEqual(tallies.last?["top1_correct"] as? Int ?? 0, 3)
    }

    func testTFLiteOptionsThatCannotApplyAreUsageErrors() throws {
        let out = scratch.appendingPathComponent("x.jsonl").path
        var r = try runEdgetop(["record", "-o", out, "--duration", "1", "--images", "/tmp"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--images needs .tflite models"), r.stderr)
        r = try runEdgetop(["record", "-o", out, "--duration", "1", "--model", scratch.path + "/missing.tflite"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("missing.tflite: No such file or directory"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing is recorded")
    }

    func testInterruptedRecordingIsCompleteUpToTheInterruption() throws {
        try interruptRecording(signal: "SIGINT") { $0.interrupt() }
    }

    func testTerminatedRecordingIsCompleteUpToTheSignal() throws {
        try interruptRecording(signal: "SIGTERM") { $0.terminate() }
    }

    func testQuitRecordingEndsLikeSIGTERM() throws {
        // Left to Swift's crash reporter, SIGQUIT would print a backtrace and lose the buffer.
        try interruptRecording(signal: "SIGQUIT") { _ = kill($0.processIdentifier, SIGQUIT) }
    }

    /// Starts a recording with no end, sends it a signal once inferences are on disk, and
    /// checks the file is whole and holds at least what was on disk before the signal.
    private func interruptRecording(signal: String, send: (Process) -> Void) throws {
        let out = scratch.appendingPathComponent("interrupted-\(signal).jsonl")
        let p = Process()
        p.executableURL = try edgetopBinary()
        p.arguments = ["record", "-o", out.path, "--model", "mobilenet-v1-0.25-128", "--threads", "1"]
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        // Wait until flushed inferences show up on disk: the recording is under way.
        let deadline = Date().addingTimeInterval(90)
        var seenOnDisk = 0
        while Date() < deadline {
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            seenOnDisk = text.components(separatedBy: "\"type\":\"inference\"").count - 1
            if seenOnDisk >= 5 { break }
            usleep(100_000)
        }
        XCTAssertGreaterThanOrEqual(seenOnDisk, 5, "no inference reached the file within 90 s")
        let interruptedAt = Date()
        send(p)
        while p.isRunning && Date().timeIntervalSince(interruptedAt) < 20 { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL); XCTFail("record did not end within 20 s of \(signal)") }
        p.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationReason, .exit, stderr)
        XCTAssertEqual(p.terminationStatus, 0, stderr)
        XCTAssertTrue(stderr.contains("\(signal) received"), stderr)

        let (_, events) = try readTrace(out)
        let inferences = events.filter { $0["type"] as? String == "inference" }
        // Everything that was on disk before the signal is still there, and more: the events
        // between the last flush and the signal were written on the way out.
        XCTAssertGreaterThanOrEqual(inferences.count, seenOnDisk)
        XCTAssertTrue(stderr.contains("wrote \(out.path): \(inferences.count) inferences"), stderr)
    }

    func testExistingOutputIsKeptWithoutForce() throws {
        let out = scratch.appendingPathComponent("kept.jsonl")
        try "precious\n".write(to: out, atomically: true, encoding: .utf8)
        let r = try runEdgetop(["record", "-o", out.path, "--duration", "1", "--model", "mobilenet-v1-0.25-128"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "edgetop: \(out.path): already exists; pass --force to replace it\n")
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "precious\n")
        let forced = try runEdgetop(["record", "-o", out.path, "--force", "--duration", "1", "--model", "mobilenet-v1-0.25-128",
                                     "--threads", "1"], timeout: 120)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).hasPrefix("{\"format\":\"edgetop-trace\""))
    }

    func testSIGKILLedRecordingReadsBackLosingAtMostItsLastHalfSecond() throws {
        for name in ["killed.jsonl", "killed.jsonl.gz"] {
            let out = scratch.appendingPathComponent(name)
            let p = Process()
            p.executableURL = try edgetopBinary()
            p.arguments = ["record", "-o", out.path, "--model", "mobilenet-v1-0.25-128", "--threads", "1", "--sample-interval", "0.1"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Wait for the first inference on disk, then let the session run a while.
            let deadline = Date().addingTimeInterval(90)
            while Date() < deadline, (try? runEdgetop(["stats", "--json", out.path]))?.stdout.contains("\"inference_count\":0") != false {
                usleep(200_000)
            }
            usleep(1_500_000)
            // How much a kill can lose is bounded by the writer's flush interval (checked
            // exactly in WriterFailureTests); here the file must read back.
            XCTAssertEqual(kill(p.processIdentifier, SIGKILL), 0)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal)
            let s = try runEdgetop(["stats", "--json", out.path])
            XCTAssertEqual(s.status, 0, "\(name): \(s.stderr)")
            // A plain trace is written whole lines at a time; a gzip one may end mid-stream,
            // and then only that cut is reported.
            let warnings = s.stderr.split(separator: "\n")
            XCTAssertLessThanOrEqual(warnings.count, 1, "\(name): \(s.stderr)")
            for w in warnings { XCTAssertTrue(w.contains("cut off"), "\(name): \(w)") }
            if !name.hasSuffix(".gz") { XCTAssertTrue(warnings.isEmpty, s.stderr) }
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as? [String: Any])
            XCTAssertGreaterThan(o["inference_count"] as? Int ?? 0, 0, "\(name): \(s.stdout)")
        }
    }

    func testUnwritableOutputFailsBeforeRecording() throws {
        let out = scratch.appendingPathComponent("no/such/dir/x.jsonl")
        let r = try runEdgetop(["record", "-o", out.path, "--duration", "1", "--model", "mobilenet-v1-0.25-128"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("edgetop: error: \(out.path)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("No such file or directory"), r.stderr)
    }

    func testBadProfileNamesFileAndLineAndRecordsNothing() throws {
        let profile = scratch.appendingPathComponent("broken.profile")
        let text = try String(contentsOfFile: profilesFolder() + "/a53-phone-2013.profile", encoding: .utf8)
            .replacingOccurrences(of: "cores = 4", with: "cores = four")
        try text.write(to: profile, atomically: true, encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("cores =") }! + 1
        let out = scratch.appendingPathComponent("never.jsonl")
        let r = try runEdgetop(["record", "-o", out.path, "--duration", "1", "--emulate", profile.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "edgetop: error: \(profile.path):\(line): 'cores' must be a number, got \"four\"\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testAnOptionTheModelCannotHonourIsAUsageError() throws {
        // record and the dashboard share the options; neither may ignore one.
        for command in [["record", "-o", scratch.appendingPathComponent("x.jsonl").path], []] {
            let r = try runEdgetop(command + ["--model", "resnet-18", "--resolution", "128"])
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("resnet-18 is only built at resolution 224 (got 128)"), r.stderr)
            let named = try runEdgetop(command + ["--model", "mobilenet-v1-0.25-128", "--width", "0.5"])
            XCTAssertEqual(named.status, 2, named.stderr)
            XCTAssertTrue(named.stderr.contains("--width 0.5 cannot be honoured"), named.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("x.jsonl").path))
    }

    func testBadScheduleIsAUsageError() throws {
        let r = try runEdgetop(["record", "-o", scratch.appendingPathComponent("x.jsonl").path, "--schedule", "int8:10,fp64:5"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("--schedule: unknown backend 'fp64'"), r.stderr)
    }

    func testEmulatedRecordingIsLabelledEmulated() throws {
        let out = scratch.appendingPathComponent("emulated.jsonl")
        let r = try runEdgetop(["record", "-o", out.path, "--duration", "2", "--model", "mobilenet-v1-0.25-128",
                                "--threads", "1", "--emulate", "a53-phone-2013", "--sample-interval", "0.25"],
                               environment: ["EDGETOP_PROFILES": profilesFolder()], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let (header, events) = try readTrace(out)
        XCTAssertEqual(header["source"] as? String, "emulated")
        XCTAssertEqual(header["emulation_profile"] as? String, "MSM8916-class phone (4x Cortex-A53 @ 1.2 GHz)")
        let device = try XCTUnwrap(header["device"] as? [String: Any])
        XCTAssertEqual(device["cores"] as? Int, 4)
        XCTAssertEqual(device["thermal_sensors"] as? Bool, false)
        XCTAssertTrue((device["cpu_model"] as? String ?? "").contains("(emulated on "))
        let samples = events.filter { $0["type"] as? String == "system" }
        XCTAssertGreaterThan(samples.count, 3)
        for s in samples {
            let temps = try XCTUnwrap(s["temperatures"] as? [[String: Any]])
            XCTAssertEqual(temps.count, 1)
            XCTAssertEqual(temps[0]["sensor"] as? String, "soc (emulated)")
            XCTAssertEqual(temps[0]["emulated"] as? Bool, true)
            let freq = try XCTUnwrap(s["frequency"] as? [[String: Any]])
            XCTAssertEqual(freq.count, 4)
            XCTAssertTrue(freq.allSatisfy { $0["emulated"] as? Bool == true })
        }
        // One busy thread of four for two seconds warms the die above ambient, not past the trip.
        let last = try XCTUnwrap((samples.last?["temperatures"] as? [[String: Any]])?.first?["celsius"] as? Double)
        XCTAssertGreaterThan(last, 25)
        XCTAssertLessThan(last, 75)
    }

    func testHotProfileThrottlesTheRealLoop() throws {
        // A device that heats in a fraction of a second: the live loop must show the cap
        // dropping and the emulated throttling lines within a short recording.
        let profile = try writeHotProfile(named: "hot test device", in: scratch)
        let out = scratch.appendingPathComponent("hot.jsonl")
        let r = try runEdgetop(["record", "-o", out.path, "--duration", "3", "--model", "mobilenet-v1-0.25-128",
                                "--emulate", profile.path, "--sample-interval", "0.1"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let (header, events) = try readTrace(out)
        XCTAssertEqual(header["emulation_profile"] as? String, "hot test device")
        let samples = events.filter { $0["type"] as? String == "system" }
        let caps = samples.compactMap { ($0["frequency"] as? [[String: Any]])?.first?["cur_mhz"] as? Double }
        XCTAssertEqual(caps.count, samples.count)
        XCTAssertTrue(caps.contains { $0 < 1000 }, "the cap never dropped: \(caps)")
        let temps = samples.compactMap { ($0["temperatures"] as? [[String: Any]])?.first?["celsius"] as? Double }
        XCTAssertGreaterThan(temps.max() ?? 0, 40)
        XCTAssertTrue(samples.contains { ($0["throttling"] as? [String])?.contains { $0.hasSuffix("(emulated)") } == true })
    }

    func testSysrootReadsAnotherMachinesTree() throws {
        let tree = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
            .appendingPathComponent("../EdgeTelemetryTests/Fixtures/android-sm8350").standardized.path
        let out = scratch.appendingPathComponent("sysroot.jsonl")
        let r = try runEdgetop(["record", "-o", out.path, "--duration", "1.5", "--model", "mobilenet-v1-0.25-128",
                                "--threads", "1", "--sysroot", tree, "--sample-interval", "0.25"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let (header, events) = try readTrace(out)
        let device = try XCTUnwrap(header["device"] as? [String: Any])
        XCTAssertEqual(device["cpu_model"] as? String, "Qualcomm Technologies, Inc SM8350 (4× Cortex-A55 + 3× Cortex-A78 + 1× Cortex-X1)")
        XCTAssertEqual(device["os"] as? String, "Android 13")
        XCTAssertEqual(device["thermal_sensors"] as? Bool, true)
        let sample = try XCTUnwrap(events.last { $0["type"] as? String == "system" })
        let temps = try XCTUnwrap(sample["temperatures"] as? [[String: Any]])
        XCTAssertEqual(temps.count, 13)
        XCTAssertEqual(temps.first { $0["sensor"] as? String == "cpu-1-6-usr" }?["celsius"] as? Double, 91.4)
        XCTAssertEqual(sample["throttling"] as? [String], ["cpu-1-6-usr 91.4 °C above passive trip 90 °C",
                                                           "cpu7 capped at 2035.2 MHz of 2995.2 MHz",
                                                           "cooling device cpu-cluster2-0 at state 4 of 17"])
        XCTAssertEqual((sample["frequency"] as? [[String: Any]])?.count, 8)
    }

    func testMissingSysrootIsAUsageError() throws {
        let r = try runEdgetop(["record", "-o", scratch.appendingPathComponent("x.jsonl").path, "--sysroot", "/no/such/dir"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("--sysroot /no/such/dir: no such directory"), r.stderr)
    }

    func testRecordedSampleTracesOpenWithoutWarnings() throws {
        let folder = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
            .appendingPathComponent("../../sample-traces").standardized
        let expected = [("recorded-int8-fp32-int8.jsonl", "recorded"), ("emulated-a53-throttling.jsonl.gz", "emulated"),
                        ("short.jsonl", "recorded")]
        for (name, source) in expected {
            let r = try runEdgetop(["stats", "--json", folder.appendingPathComponent(name).path])
            XCTAssertEqual(r.status, 0, name)
            XCTAssertEqual(r.stderr, "", name)
            let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], name)
            XCTAssertEqual(summary["source"] as? String, source, name)
            XCTAssertGreaterThan(summary["inference_count"] as? Int ?? 0, 50, name)
        }
    }

    private func profilesFolder() -> String { TestFiles.path("profiles") }
}
