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

    /// Moves the tree one tick on: every file with a second snapshot `NAME.2` (proc/stat.2,
    /// energy_uj.2) is replaced by it, as the kernel's counters would have moved.
    func advance() throws {
        let files = FileManager.default.enumerator(atPath: url.path)?.compactMap { $0 as? String } ?? []
        for next in files where next.hasSuffix(".2") {
            let current = url.appendingPathComponent(String(next.dropLast(2)))
            try? FileManager.default.removeItem(at: current)
            try FileManager.default.copyItem(at: url.appendingPathComponent(next), to: current)
        }
    }

    /// Removes the scratch copy.
    func remove() { try? FileManager.default.removeItem(at: url) }
}
