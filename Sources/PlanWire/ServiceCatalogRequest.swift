public import SigV4

/// Facts of the Service Catalog awsJson1_1 protocol (botocore's service model).
public enum ServiceCatalog {
    public static let targetPrefix = "AWS242ServiceCatalogService"
    public static let signingName = "servicecatalog"
    public static let contentType = "application/x-amz-json-1.1"
}

/// Where requests go: the `Host` header value (with the port only when it is not the
/// scheme's default) and the path (`/`, or the endpoint's own path with a trailing `/`).
public struct RequestTarget: Sendable, Equatable {
    public var hostHeader: String
    public var path: String
    public init(hostHeader: String, path: String = "/") {
        self.hostHeader = hostHeader
        self.path = path.isEmpty ? "/" : (path.hasSuffix("/") ? path : path + "/")
    }
}

/// An unsigned awsJson1_1 request: `POST` to the target's path with `Host`, `Content-Type`
/// and `X-Amz-Target`. A pure function of its inputs.
public func makeRequest(operation: String, body: [UInt8], target: RequestTarget) -> SignableRequest {
    SignableRequest(
        method: "POST", path: target.path,
        headers: [
            HTTPHeader("Host", target.hostHeader),
            HTTPHeader("Content-Type", ServiceCatalog.contentType),
            HTTPHeader("X-Amz-Target", "\(ServiceCatalog.targetPrefix).\(operation)"),
        ],
        body: body)
}

/// The request signed for `servicecatalog` in `region`: adds `X-Amz-Date`,
/// `X-Amz-Security-Token` (temporary credentials) and `Authorization`. Each retry calls this
/// again with a fresh time over the same body.
public func signRequest(_ request: SignableRequest, region: String, credentials: Credentials, time: SigningTime) -> SignableRequest {
    SigV4Signer(service: ServiceCatalog.signingName, region: region).sign(request, credentials: credentials, time: time)
}

/// A raw HTTP/1.1 message: request line, the request's headers in order, `Content-Length`
/// (not signed, as botocore adds it after signing), a blank line, then exactly
/// `Content-Length` bytes of body.
public func renderHTTP(_ request: SignableRequest) -> [UInt8] {
    var head = "\(request.method) \(request.path)\(request.query.isEmpty ? "" : "?" + request.query) HTTP/1.1\r\n"
    for h in request.headers where h.name.lowercased() != "content-length" {
        head += "\(h.name): \(h.value)\r\n"
    }
    head += "Content-Length: \(request.body.count)\r\n\r\n"
    return Array(head.utf8) + request.body
}
