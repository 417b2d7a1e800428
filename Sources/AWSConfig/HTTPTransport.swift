import AsyncHTTPClient
import NIOCore

/// One HTTP exchange made by a credential source.
public struct CredentialsHTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeaderField]
    public var body: [UInt8]
    /// Whole-request deadline in seconds.
    public var timeout: Double
    /// How to show the URL in messages (e.g. without a path that acts as a capability).
    public var displayURL: String

    public init(
        method: String, url: String, headers: [HTTPHeaderField] = [], body: [UInt8] = [], timeout: Double,
        displayURL: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.displayURL = displayURL ?? url
    }
}

extension CredentialsHTTPRequest: CustomStringConvertible, CustomDebugStringConvertible {
    /// Method and URL only: headers and body may carry tokens.
    public var description: String { "\(method) \(displayURL) (\(headers.count) headers, \(body.count) body bytes)" }
    public var debugDescription: String { description }
}

public struct HTTPHeaderField: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

public struct CredentialsHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Transport failures, kept apart from HTTP status errors.
public enum CredentialsHTTPError: Error, Sendable, Equatable {
    case timeout
    case connection(String)
}

/// How credential sources talk HTTP. `AsyncHTTPClientTransport` is the real one; tests may
/// substitute their own.
public protocol CredentialsHTTPTransport: Sendable {
    func send(_ request: CredentialsHTTPRequest) async throws -> CredentialsHTTPResponse
}

/// The AsyncHTTPClient transport. By default it uses a process-wide client that never follows
/// redirects (a credential endpoint must not send a token somewhere else).
public struct AsyncHTTPClientTransport: CredentialsHTTPTransport {
    public let client: HTTPClient
    /// Bodies above this size are an error.
    public var maximumBodyBytes: Int = 1 << 20

    public init(client: HTTPClient = credentialsHTTPClient) {
        self.client = client
    }

    public func send(_ request: CredentialsHTTPRequest) async throws -> CredentialsHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        switch request.method {
        case "GET": outgoing.method = .GET
        case "PUT": outgoing.method = .PUT
        case "POST": outgoing.method = .POST
        default: throw CredentialsHTTPError.connection("unsupported method \(request.method)")
        }
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let timeout = TimeAmount.nanoseconds(Int64(max(0.001, request.timeout) * 1_000_000_000))
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            let buffer = try await response.body.collect(upTo: maximumBodyBytes)
            return CredentialsHTTPResponse(status: Int(response.status.code), body: Array(buffer.readableBytesView))
        } catch let error as HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                throw CredentialsHTTPError.timeout
            }
            throw CredentialsHTTPError.connection(String(describing: error))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw CredentialsHTTPError.connection(String(describing: error))
        }
    }
}

/// A process-wide HTTP client for credential and STS requests: no redirects, 10 s connect
/// timeout. Never shut down (like `HTTPClient.shared`).
public let credentialsHTTPClient: HTTPClient = HTTPClient(
    eventLoopGroup: HTTPClient.defaultEventLoopGroup,
    configuration: HTTPClient.Configuration(
        redirectConfiguration: .disallow,
        timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(60))
    )
)

enum HTTPTransportCall {
    /// Sends a request and turns transport failures into `CredentialsFailure`s of `source`.
    static func send(
        _ request: CredentialsHTTPRequest, via transport: any CredentialsHTTPTransport, source: String
    ) async throws -> CredentialsHTTPResponse {
        do {
            return try await transport.send(request)
        } catch CredentialsHTTPError.timeout {
            throw AWSConfigError.credentials(source: source, failure: .timeout(url: request.displayURL, seconds: request.timeout))
        } catch CredentialsHTTPError.connection(let reason) {
            throw AWSConfigError.credentials(source: source, failure: .connection(url: request.displayURL, reason: reason))
        }
    }
}
