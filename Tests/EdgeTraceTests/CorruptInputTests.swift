import Foundation
import XCTest
@testable import EdgeTrace

/// Damaged copies of every kind of file edgetop reads: reading them may fail, but only
/// with a TraceError (a message for the user), never a crash or another error type.
final class CorruptInputTests: XCTestCase {
    private func mutations(of bytes: [UInt8], count: Int, seed: UInt64) -> [[UInt8]] {
        var rng = SplitMix64(seed: seed)
        var out: [[UInt8]] = []
        let nasty: [UInt8] = Array("{}[]\",:-0123456789eE.\n\r\\u\u{1B}".utf8) + [0x00, 0xFF, 0xC3, 0x9B]
        for _ in 0..<count {
            var b = bytes
            switch rng.next() % 4 {
            case 0: // truncate anywhere
                b = Array(b.prefix(Int(rng.next() % UInt64(b.count + 1))))
            case 1: // overwrite a few bytes with JSON/CSV punctuation, digits and control bytes
                for _ in 0..<(1 + Int(rng.next() % 8)) where !b.isEmpty {
                    b[Int(rng.next() % UInt64(b.count))] = nasty[Int(rng.next() % UInt64(nasty.count))]
                }
            case 2: // duplicate a slice (lines out of order, times backwards)
                if b.count > 2 {
                    let i = Int(rng.next() % UInt64(b.count)), n = Int(rng.next() % UInt64(min(400, b.count - i) + 1))
                    b.insert(contentsOf: b[i..<(i + n)], at: Int(rng.next() % UInt64(b.count)))
                }
            default: // huge numbers where numbers were
                if let i = b.firstIndex(where: { (0x30...0x39).contains($0) }) {
                    b.replaceSubrange(i..<(i + 1), with: Array("99999999999999999999999".utf8))
                }
            }
            out.append(b)
        }
        return out
    }

    private func readEverything(_ path: String) throws {
        let source = try SessionFile.open(path)
        var b = SummaryBuilder()
        while let e = try source.next() { b.add(e) }
        let s = b.finish(file: path, header: source.header, warnings: source.warnings)
        _ = s.text(); _ = s.json()
    }

    func testDamagedFilesGiveMessagesNotCrashes() throws {
        let dir = try TestPaths.temporaryDirectory(self)
        let inputs: [(String, Int)] = [
            (TestPaths.fixture("unknown-fields-and-types.jsonl"), 150),
            (TestPaths.fixture("control-characters.jsonl"), 100),
            (TestPaths.fixture("stui/stui_log.csv"), 150),
            (try TestPaths.realdata(phoneDetail), 60),
            (try TestPaths.realdata(phoneSummary), 60),
            (try TestPaths.realdata(phoneSystem), 60),
            (try TestPaths.realdata(jetsonPower), 20),
            (try TestPaths.realdata(bertTrace), 15),
        ]
        var errors = 0, successes = 0
        for (k, (path, count)) in inputs.enumerated() {
            let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            for (i, damaged) in mutations(of: original, count: count, seed: UInt64(k)).enumerated() {
                let copy = dir + "/damaged-\(k)-\(i)"
                try Data(damaged).write(to: URL(fileURLWithPath: copy))
                do {
                    try readEverything(copy)
                    successes += 1
                } catch let e as TraceError {
                    errors += 1
                    XCTAssertTrue(e.description.hasPrefix(copy + ":"), e.description)
                    XCTAssertFalse(e.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, e.description)
                } catch {
                    XCTFail("\(copy): not a TraceError: \(error)")
                }
            }
        }
        // Both outcomes must occur, or the mutations are not exercising anything.
        XCTAssertGreaterThan(errors, 50)
        XCTAssertGreaterThan(successes, 50)
    }
}
