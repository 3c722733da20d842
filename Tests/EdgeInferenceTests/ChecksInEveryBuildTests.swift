import EdgeInference
import EdgeKernels
import Foundation
import XCTest

/// The operators' and plans' shape checks hold in every build: the kernel targets are
/// compiled `-O`, not `-Ounchecked`, which would drop every `precondition` silently.
///
/// A failed precondition ends the process, so each case runs in a child: this same test
/// binary, asked to run only `testTrapCase` with the case named in the environment. An `-O`
/// build drops precondition messages, so the child's backtrace names the check's function.
final class ChecksInEveryBuildTests: XCTestCase {
    private static let caseVariable = "EDGETOP_TRAP_CASE"

    /// The misuse each case commits; each must stop the process in the named function.
    private static let cases: [String: () -> Void] = [
        "plan-input": {
            let plan = PlanFactory.plan(for: ModelSpec.mobileNetV1(width: 0.25, resolution: 128), backend: .int8, threads: 1)
            plan.setInput([0, 0, 0])
            plan.run()
        },
        "qconv-weights": {
            let q = QuantizationParams(scale: 0.1, zeroPoint: 128)
            _ = QConvolution(inputChannels: 8, outputChannels: 8, kernelHeight: 3, kernelWidth: 3, strideHeight: 1,
                             strideWidth: 1, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1,
                             weights: [Int8](repeating: 1, count: 8 * 9 * 8 - 1), weightScales: [0.01],
                             bias: [Int32](repeating: 0, count: 8), input: q, output: q)
        },
        "fconv-bias": {
            _ = FConvolution(inputChannels: 4, outputChannels: 4, kernelHeight: 1, kernelWidth: 1, strideHeight: 1,
                             strideWidth: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0,
                             weights: [Float](repeating: 0, count: 16), bias: [Float](repeating: 0, count: 3))
        },
    ]

    /// Runs in the child only; in the parent's own run there is nothing to do.
    func testTrapCase() throws {
        guard let name = ProcessInfo.processInfo.environment[Self.caseVariable] else {
            throw XCTSkip("runs only as the child of testShapeMismatchesStopTheProcess")
        }
        let misuse = try XCTUnwrap(Self.cases[name], "unknown case \(name)")
        misuse()
        print("EDGETOP_TRAP_CASE \(name) returned")
    }

    func testShapeMismatchesStopTheProcess() throws {
        let expected = ["plan-input": "Int8Plan.setInput", "qconv-weights": "QConvolution.",
                        "fconv-bias": "FConvolution."]
        XCTAssertEqual(Set(expected.keys), Set(Self.cases.keys))
        for (name, function) in expected.sorted(by: { $0.key < $1.key }) {
            let (reason, output) = try runChild(name)
            XCTAssertFalse(output.contains("EDGETOP_TRAP_CASE \(name) returned"), "\(name): the misuse ran to the end\n\(output)")
            XCTAssertEqual(reason, .uncaughtSignal, name)
            // The crashed thread's first frames (the trap, inlined or not) name the checking
            // function; the optimiser may merge traps, so the message itself is not relied on.
            let lines = output.split(separator: "\n")
            // The thread's header, not the report's "*** Program crashed: Illegal instruction" line.
            let crashed = lines.firstIndex { $0.hasPrefix("Thread") && $0.contains("crashed:") }
            XCTAssertNotNil(crashed, "\(name): no crash report\n\(output)")
            let top = crashed.map { lines[($0 + 1)...].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.prefix(2).joined() } ?? ""
            XCTAssertTrue(top.contains(function), "\(name): stopped outside \(function):\n\(output)")
        }
    }

    private func runChild(_ name: String) throws -> (Process.TerminationReason, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["EdgeInferenceTests.ChecksInEveryBuildTests/testTrapCase"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.caseVariable] = name
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationReason, String(decoding: data, as: UTF8.self))
    }
}
