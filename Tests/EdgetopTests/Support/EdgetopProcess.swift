import Foundation
import XCTest

/// The `edgetop` binary that `swift test` built beside the test bundle.
func edgetopBinary(file: StaticString = #filePath) throws -> URL {
    // .build/<triple>/debug/edgetopPackageTests.xctest -> .build/<triple>/debug/edgetop
    var dirs = [Bundle(for: EdgetopProcessMarker.self).bundleURL.deletingLastPathComponent(),
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
    // Fall back to the package's own build folder (tests run from the package root).
    dirs.append(URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
        .appendingPathComponent("../../../.build/debug").standardized)
    for dir in dirs {
        let candidate = dir.appendingPathComponent("edgetop")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw XCTSkip("edgetop binary not found beside the tests (looked in \(dirs.map(\.path)))")
}

private final class EdgetopProcessMarker {}

/// What one run of `edgetop` printed and how it exited.
struct EdgetopResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `edgetop args…` to completion (killed after `timeout` seconds) and captures its output.
@discardableResult
func runEdgetop(_ args: [String], stdin: String? = nil, environment: [String: String]? = nil,
                timeout: TimeInterval = 120) throws -> EdgetopResult {
    let p = Process()
    p.executableURL = try edgetopBinary()
    p.arguments = args
    if let environment { p.environment = environment }
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out; p.standardError = err; p.standardInput = inp
    try p.run()
    if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? inp.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child cannot block on a full pipe.
    let outData = DataBox(), errData = DataBox()
    let group = DispatchGroup()
    group.enter(); DispatchQueue.global().async { outData.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter(); DispatchQueue.global().async { errData.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    if p.isRunning { p.terminate(); XCTFail("edgetop \(args.joined(separator: " ")) ran past \(timeout) s") }
    p.waitUntilExit()
    group.wait()
    return EdgetopResult(status: p.terminationStatus,
                         stdout: String(decoding: outData.data, as: UTF8.self),
                         stderr: String(decoding: errData.data, as: UTF8.self))
}

/// Filled by one reader thread, read after the group is done.
private final class DataBox: @unchecked Sendable { var data = Data() }
