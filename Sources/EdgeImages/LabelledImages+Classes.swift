extension LabelledImages {
    /// Each image's class index in a model's label list (compared without case), in the
    /// order of `items`. A label the model does not have is an error naming the image and
    /// the label, before anything runs: scoring it would silently count a miss.
    public func classIndices(in labels: [String], model: String) throws -> [Int] {
        guard !labels.isEmpty else { throw ImageError(file: model, "the model carries no labels to score images against") }
        var index: [String: Int] = [:]
        for (i, l) in labels.enumerated() where index[l.lowercased()] == nil { index[l.lowercased()] = i }
        return try items.map { item in
            guard let i = index[item.label.lowercased()] else {
                throw ImageError(file: item.path, "label \"\(item.label)\" is not one of the \(labels.count) labels of \(model)")
            }
            return i
        }
    }
}
