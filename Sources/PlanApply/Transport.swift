public import AWSConfig
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One HTTP request as the transport sends it: the endpoint (scheme, host, port), the
/// path, the headers in order (including `Host`) and the body.
public struct TransportRequest: Sendable {
    public var endpoint: Endpoint
    public var method: String
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public init(endpoint: Endpoint, method: String, path: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.endpoint = endpoint
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
    /// The header's value (first match, case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// Why no response arrived. Both kinds are transient (retried).
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete response within the call timeout.
    case timeout
    /// The connection could not be made, or broke before a full response.
    case connection(String)

    public var description: String {
        switch self {
        case .timeout: return "no response within the call timeout"
        case .connection(let reason): return "connection failed: \(reason)"
        }
    }
}

/// Sends one HTTP request. The engine's only way to the network, so tests can replace it.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response, or throws `TransportError` (or
    /// `CancellationError` when the task is cancelled).
    func send(_ request: TransportRequest, timeout: Double) async throws -> TransportResponse
}

/// The AsyncHTTPClient transport: a connection pool sized for the run's concurrency,
/// keep-alive, no redirects, responses up to 16 MiB.
public final class HTTPClientTransport: HTTPTransport {
    public let client: HTTPClient
    public static let maximumBodyBytes = 16 << 20

    public init(connections: Int) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(120)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections)),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func send(_ request: TransportRequest, timeout: Double) async throws -> TransportResponse {
        var outgoing = HTTPClientRequest(url: "\(request.endpoint.scheme)://\(request.endpoint.hostHeader)\(request.path)")
        outgoing.method = HTTPMethod(rawValue: request.method)
        for h in request.headers { outgoing.headers.add(name: h.name, value: h.value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        let nanos = Int64(max(0.001, timeout) * 1e9)
        do {
            let response = try await client.execute(outgoing, deadline: .now() + .nanoseconds(nanos))
            let buffer = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return TransportResponse(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer.readableBytesView))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                throw TransportError.timeout
            }
            if error == .cancelled { throw CancellationError() }
            throw TransportError.connection(String(describing: error))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw TransportError.connection(String(describing: error))
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
