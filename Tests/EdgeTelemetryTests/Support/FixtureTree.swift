import Foundation
import XCTest
import EdgeTelemetry

/// A fixture tree copied to a scratch directory, so a test can swap /proc/stat for its
/// second snapshot the way the kernel would between two ticks.
struct FixtureTree {
    let root: SysRoot
    let url: URL

    /// The read-only fixture folder itself.
    static func original(_ name: String) throws -> URL {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw XCTSkip("Fixtures resource folder missing from the test bundle")
        }
        let url = base.appendingPathComponent(name)
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "fixture \(name)")
        return url
    }

    /// A private copy of fixture `name`.
    init(_ name: String) throws {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("edgetop-telemetry-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: try FixtureTree.original(name), to: scratch)
        url = scratch
        root = SysRoot(scratch.path)
    }

    /// Replaces /proc/stat with the fixture's second snapshot (proc/stat.2).
    func advanceStat() throws {
        let stat = url.appendingPathComponent("proc/stat")
        let next = url.appendingPathComponent("proc/stat.2")
        guard FileManager.default.fileExists(atPath: next.path) else { return }
        try? FileManager.default.removeItem(at: stat)
        try FileManager.default.copyItem(at: next, to: stat)
    }

    /// Removes the scratch copy.
    func remove() { try? FileManager.default.removeItem(at: url) }
}
