/// Where `/metrics` is served: `ADDR:PORT`, `[IPV6]:PORT`, or a bare `PORT` on 127.0.0.1.
/// Port 0 asks the kernel for a free port (the one bound is printed).
public struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    /// IPv4 or IPv6 literal to bind.
    public var host: String
    /// TCP port; 0 asks the kernel for a free one.
    public var port: UInt16

    /// A listening address.
    public init(host: String, port: UInt16) { self.host = host; self.port = port }

    /// Parses `--metrics`; nil names the problem. Hosts are literals: binding to a name
    /// would depend on a resolver, and 127.0.0.1 is the default precisely to stay local.
    public static func parse(_ text: String) -> Result<MetricsAddress, MetricsAddressError> {
        var host = "127.0.0.1", portText = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return .failure(MetricsAddressError("'\(text)' is not [IPV6]:PORT"))
            }
            host = String(text[text.index(after: text.startIndex) ..< close])
            portText = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            if colon != text.startIndex { host = String(text[..<colon]) }
            portText = text[text.index(after: colon)...]
        }
        if host == "localhost" { host = "127.0.0.1" }
        guard let port = UInt16(portText) else {
            return .failure(MetricsAddressError("'\(text)' has no port number 0-65535 (expected ADDR:PORT or PORT)"))
        }
        let isV4 = host.split(separator: ".", omittingEmptySubsequences: false).count == 4
            && host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { UInt8($0) != nil }
        let isV6 = host.contains(":") && host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        guard isV4 || isV6 else {
            return .failure(MetricsAddressError("'\(host)' is not an IPv4 or IPv6 address (names are not resolved)"))
        }
        return .success(MetricsAddress(host: host, port: port))
    }

    /// `host:port`, with brackets around IPv6.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A `--metrics` value that is not an address.
public struct MetricsAddressError: Error, CustomStringConvertible, Equatable {
    /// The problem, phrased for the command line.
    public let description: String
    /// The problem, as shown after "--metrics: ".
    public init(_ description: String) { self.description = description }
}
