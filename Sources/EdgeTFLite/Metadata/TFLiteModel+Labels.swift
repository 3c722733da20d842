import EdgeTrace

extension TFLiteModel {
    /// The class labels from the appended archive: `labels_without_background.txt` or else
    /// the first `*label*.txt` entry, one label per line (sanitized, blank lines dropped);
    /// nil when the model carries none.
    public var labels: [String]? {
        let candidates = associatedFiles.filter { $0.name.lowercased().contains("label") && $0.name.lowercased().hasSuffix(".txt") }
        guard let entry = candidates.first(where: { $0.name.hasSuffix("labels_without_background.txt") }) ?? candidates.first else {
            return nil
        }
        let text = String(decoding: entry.data, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).map { sanitize(String($0)).trimmingSpaces }.filter { !$0.isEmpty }
    }
}

private extension String {
    /// The string without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
