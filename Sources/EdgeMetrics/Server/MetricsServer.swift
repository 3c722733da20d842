import Dispatch
import FlyingFox
import FlyingSocks
import Foundation

/// Serves `/metrics` over HTTP with FlyingFox on its own tasks, so the caller's loop (the
/// dashboard's or the recorder's) only folds events and never waits on a scraper.
public final class MetricsServer: @unchecked Sendable {
    private let server: HTTPServer
    private var task: Task<Void, Never>?
    /// The address actually bound (the kernel's port when 0 was asked for).
    public private(set) var boundAddress: MetricsAddress

    /// A server for `metrics` on `address`; call `start()` to listen.
    public init(metrics: EventMetrics, address: MetricsAddress) throws {
        boundAddress = address
        let socketAddress: any SocketAddress = address.host.contains(":")
            ? try sockaddr_in6.inet6(ip6: address.host, port: address.port)
            : try sockaddr_in.inet(ip4: address.host, port: address.port)
        server = HTTPServer(address: socketAddress, timeout: 15, logger: .disabled)
        let handler = MetricsHandler(metrics: metrics)
        let route = HTTPRoute("GET,HEAD /metrics")
        let semaphore = DispatchSemaphore(value: 0)
        Task { [server] in
            await server.appendRoute(route, to: handler)
            semaphore.signal()
        }
        semaphore.wait()
    }

    /// Starts listening and returns once the socket is bound; throws when it cannot be
    /// (address in use, not an address of this machine...).
    public func start() throws {
        let failure = ErrorBox()
        let ready = DispatchSemaphore(value: 0)
        task = Task { [server] in
            do { try await server.run() } catch { failure.set(error); ready.signal() }
        }
        Task { [server] in
            do {
                try await server.waitUntilListening(timeout: 10)
            } catch { failure.set(error) }
            ready.signal()
        }
        ready.wait()
        if let error = failure.get() { throw MetricsServerError(address: boundAddress, underlying: error) }
        let semaphore = DispatchSemaphore(value: 0)
        let bound = AddressBox()
        Task { [server] in
            if case .ip4(let host, let port)? = await server.listeningAddress { bound.set(MetricsAddress(host: host, port: port)) }
            if case .ip6(let host, let port)? = await server.listeningAddress { bound.set(MetricsAddress(host: host, port: port)) }
            semaphore.signal()
        }
        semaphore.wait()
        if let address = bound.get() { boundAddress = address }
    }

    /// Stops listening; requests in flight get a second to finish.
    public func stop() {
        let semaphore = DispatchSemaphore(value: 0)
        Task { [server] in
            await server.stop(timeout: 1)
            semaphore.signal()
        }
        semaphore.wait()
        task?.cancel()
        task = nil
    }
}

/// Why the metrics server could not listen.
public struct MetricsServerError: Error, CustomStringConvertible {
    /// The address asked for.
    public let address: MetricsAddress
    /// What the socket layer said.
    public let underlying: any Error
    /// "--metrics ADDR:PORT: cannot listen: why".
    public var description: String { "--metrics \(address): cannot listen: \(underlying)" }
}

/// Answers `GET /metrics` with the exposition the `Accept` header asks for.
struct MetricsHandler: HTTPHandler {
    let metrics: EventMetrics

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let open = OpenMetricsText.isRequested(byAccept: request.headers[HTTPHeader("Accept")])
        let body = metrics.exposition(openMetrics: open)
        let type = open ? OpenMetricsText.contentType : OpenMetricsText.prometheusContentType
        return HTTPResponse(statusCode: .ok, headers: HTTPHeaders([.contentType: type]),
                            body: request.method == .HEAD ? Data() : Data(body.utf8))
    }
}

/// One value set from one task and read after a semaphore.
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (any Error)?
    func set(_ error: any Error) { lock.lock(); if value == nil { value = error }; lock.unlock() }
    func get() -> (any Error)? { lock.lock(); defer { lock.unlock() }; return value }
}

/// The bound address, handed from a task to the caller.
private final class AddressBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: MetricsAddress?
    func set(_ a: MetricsAddress) { lock.lock(); value = a; lock.unlock() }
    func get() -> MetricsAddress? { lock.lock(); defer { lock.unlock() }; return value }
}
