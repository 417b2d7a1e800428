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

/// Signing prepared once for many requests with the same credentials and time (see
/// `SigV4Signer.Prepared`); `signRequest(_:with:)` then gives what `signRequest` gives.
public func prepareSigning(region: String, credentials: Credentials, time: SigningTime) -> (signer: SigV4Signer, prepared: SigV4Signer.Prepared) {
    let signer = SigV4Signer(service: ServiceCatalog.signingName, region: region)
    return (signer, signer.prepare(credentials: credentials, time: time))
}

public func signRequest(_ request: SignableRequest, with signing: (signer: SigV4Signer, prepared: SigV4Signer.Prepared)) -> SignableRequest {
    signing.signer.sign(request, prepared: signing.prepared)
}

/// A raw HTTP/1.1 message: request line, the request's headers in order, `Content-Length`
/// (not signed, as botocore adds it after signing), a blank line, then exactly
/// `Content-Length` bytes of body.
public func renderHTTP(_ request: SignableRequest) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(512 + request.body.count)
    func put(_ s: String) { out.append(utf8: s) }
    put(request.method); put(" "); put(request.path)
    if !request.query.isEmpty { put("?"); put(request.query) }
    put(" HTTP/1.1\r\n")
    for h in request.headers where !isContentLength(h.name) {
        put(h.name); put(": "); put(h.value); put("\r\n")
    }
    put("Content-Length: "); put(String(request.body.count)); put("\r\n\r\n")
    out.append(contentsOf: request.body)
    return out
}

/// `Content-Length` in any ASCII letter case (the renderer writes its own).
private func isContentLength(_ name: String) -> Bool {
    let wanted = "content-length".utf8
    guard name.utf8.count == wanted.count else { return false }
    return zip(name.utf8, wanted).allSatisfy { a, b in (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) == b }
}
