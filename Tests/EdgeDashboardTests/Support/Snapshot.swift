import Foundation
import XCTest
@testable import EdgeDashboard

/// Text snapshots stored beside the tests in `Snapshots/`; `EDGETOP_RECORD_SNAPSHOTS=1`
/// rewrites them from the current output instead of comparing.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Snapshots")

    static var recording: Bool { ProcessInfo.processInfo.environment["EDGETOP_RECORD_SNAPSHOTS"] == "1" }

    /// The screen as text, then (with `styles`) one letter per cell naming its style and a
    /// legend of the letters, so a colour change shows in the diff as clearly as a text change.
    static func dump(_ buf: Buffer, styles: Bool) -> String {
        var out = buf.lines().map { $0 + "|" }
        guard styles else { return out.joined(separator: "\n") + "\n" }
        var letters: [Style: Character] = [:], legend: [String] = []
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@$%&*=+")
        out.append("-- styles --")
        for y in 0..<buf.height {
            var row = ""
            for x in 0..<buf.width {
                let st = buf[x, y].style
                if letters[st] == nil {
                    let ch = letters.count < alphabet.count ? alphabet[letters.count] : "~"
                    letters[st] = ch
                    legend.append("\(ch) \(describe(st))")
                }
                row.append(letters[st]!)
            }
            out.append(row)
        }
        out.append("-- legend --")
        out += legend
        return out.joined(separator: "\n") + "\n"
    }

    static func describe(_ s: Style) -> String {
        var parts = ["fg=\(describe(s.fg))", "bg=\(describe(s.bg))"]
        if s.bold { parts.append("bold") }
        if s.dim { parts.append("dim") }
        if s.reverse { parts.append("reverse") }
        if s.underline { parts.append("underline") }
        return parts.joined(separator: " ")
    }

    static func describe(_ c: Color) -> String {
        switch c {
        case .default: return "default"
        case .indexed(let i): return "i\(i)"
        case let .rgb(r, g, b): return String(format: "#%02x%02x%02x", r, g, b)
        }
    }

    /// Compares `buf` with the stored snapshot `name` (or records it).
    static func assert(_ buf: Buffer, named name: String, styles: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) {
        let text = dump(buf, styles: styles)
        let url = directory.appendingPathComponent(name + ".txt")
        if recording {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            XCTAssertNoThrow(try text.write(to: url, atomically: true, encoding: .utf8), file: file, line: line)
            return
        }
        guard let stored = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("no snapshot \(name).txt: run with EDGETOP_RECORD_SNAPSHOTS=1 to record it", file: file, line: line)
            return
        }
        if stored != text {
            let a = stored.split(separator: "\n", omittingEmptySubsequences: false)
            let b = text.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDiff = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            let want = firstDiff < a.count ? String(a[firstDiff]) : "<end>"
            let got = firstDiff < b.count ? String(b[firstDiff]) : "<end>"
            XCTFail("snapshot \(name) differs at line \(firstDiff + 1):\n want: \(want)\n  got: \(got)\n(EDGETOP_RECORD_SNAPSHOTS=1 re-records)",
                    file: file, line: line)
        }
    }

    /// A buffer of `width` × `height` pre-filled with a sentinel, so cells a widget leaves
    /// alone (or writes outside its area) show in the snapshot.
    static func sentinel(width: Int, height: Int) -> Buffer {
        Buffer(width: width, height: height, fill: Cell("§"))
    }

    /// Asserts that every cell outside `area` still holds the sentinel.
    static func assertUntouchedOutside(_ buf: Buffer, _ area: Rect, file: StaticString = #filePath, line: UInt = #line) {
        for y in 0..<buf.height {
            for x in 0..<buf.width where !(x >= area.x && x < area.right && y >= area.y && y < area.bottom) {
                if buf[x, y] != Cell("§") {
                    XCTFail("cell (\(x), \(y)) outside \(area) was written", file: file, line: line)
                    return
                }
            }
        }
    }
}
