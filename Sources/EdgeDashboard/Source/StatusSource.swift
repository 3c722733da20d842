/// A source with a line of its own to show beside the header (a followed app's counts, bad
/// lines and how long it has been quiet).
public protocol StatusSource: AnyObject {
    /// The line to show, nil for none; already free of control characters.
    var statusLine: String? { get }
}
