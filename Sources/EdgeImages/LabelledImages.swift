import EdgeTrace
import Foundation

/// A folder of labelled images: `labels.csv` (`file,label` per line, `#` comments, an
/// optional `file,label` header) when present, else one subfolder per label.
public struct LabelledImages: Sendable {
    /// Image paths and their labels, sorted by path so every run feeds them in one order.
    public let items: [(path: String, label: String)]

    /// Reads the folder's labels; a bad line is `FILE:LINE: problem`.
    public init(directory: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw ImageError(file: directory, "not a folder")
        }
        let csv = (directory as NSString).appendingPathComponent("labels.csv")
        var found: [(String, String)] = []
        if fm.fileExists(atPath: csv) {
            guard let bytes = FileBytes.read(csv) else { throw ImageError(file: csv, "cannot be read") }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for (n, raw) in lines.enumerated() {
                let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty || line.hasPrefix("#") { continue }
                let parts = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if n == 0 && parts.first?.lowercased() == "file" { continue }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ImageError(file: csv, line: n + 1, "expected FILE,LABEL")
                }
                let path = (directory as NSString).appendingPathComponent(parts[0])
                guard fm.fileExists(atPath: path) else { throw ImageError(file: csv, line: n + 1, "image \(parts[0]) does not exist") }
                found.append((path, sanitize(parts[1])))
            }
        } else {
            let entries = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
            for label in entries.sorted() {
                let sub = (directory as NSString).appendingPathComponent(label)
                var d: ObjCBool = false
                guard fm.fileExists(atPath: sub, isDirectory: &d), d.boolValue else { continue }
                for file in ((try? fm.contentsOfDirectory(atPath: sub)) ?? []).sorted() where Self.isImage(file) {
                    found.append(((sub as NSString).appendingPathComponent(file), sanitize(label)))
                }
            }
        }
        guard !found.isEmpty else { throw ImageError(file: directory, "no labelled images (no labels.csv and no subfolders of .png/.jpg files)") }
        items = found.sorted { $0.0 < $1.0 }.map { (path: $0.0, label: $0.1) }
    }

    static func isImage(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.hasSuffix(".png") || n.hasSuffix(".jpg") || n.hasSuffix(".jpeg")
    }
}

/// Running top-1 and top-5 accuracy over labelled images.
public struct ImageAccuracy: Sendable, Equatable {
    /// Images scored.
    public private(set) var count = 0
    /// Images whose label was the top class.
    public private(set) var top1 = 0
    /// Images whose label was among the five top classes.
    public private(set) var top5 = 0

    /// An empty tally.
    public init() {}

    /// Scores one output: `scores` per class, `label` the true class index.
    public mutating func add(scores: [Float], label: Int) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        count += 1
        if order.first == label { top1 += 1 }
        if order.prefix(5).contains(label) { top5 += 1 }
    }
}
