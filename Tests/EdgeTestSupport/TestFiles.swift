import Foundation
import XCTest

/// Where the repository's fixture folders are, and scratch folders that clean up after themselves.
public enum TestFiles {
    /// The checkout's root folder (this file is Tests/EdgeTestSupport/TestFiles.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A folder of the checkout, e.g. `profiles`, `themes` or `Tests/EdgeTraceTests/Fixtures`.
    public static func path(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent(relative).standardized.path
    }

    /// A fresh temporary folder named after `prefix`, removed when `test` ends.
    public static func temporaryDirectory(_ test: XCTestCase, prefix: String = "edgetop") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.path
    }
}
