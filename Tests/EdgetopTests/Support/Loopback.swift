import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A loopback request or port that did not work out.
struct LoopbackError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A blocking HTTP GET on loopback.
func httpGet(_ url: String) throws -> (status: Int, body: String) {
    var request = URLRequest(url: URL(string: url)!, timeoutInterval: 10)
    request.httpMethod = "GET"
    return try httpGet(request)
}

/// A blocking HTTP request on loopback.
func httpGet(_ request: URLRequest) throws -> (status: Int, body: String) {
    let url = request.url?.absoluteString ?? "?"
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: (Int, String)?
    nonisolated(unsafe) var failure: Error?
    URLSession.shared.dataTask(with: request) { data, response, error in
        if let error { failure = error }
        result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
        done.signal()
    }.resume()
    guard done.wait(timeout: .now() + 15) == .success else { throw LoopbackError("GET \(url) timed out") }
    if let failure { throw failure }
    return result!
}

/// A free TCP port on 127.0.0.1, from the kernel.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
    }
    guard ok else { throw LoopbackError("no free port") }
    return Int(UInt16(bigEndian: addr.sin_port))
}

