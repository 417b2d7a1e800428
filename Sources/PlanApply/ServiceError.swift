/// An error answered by the service (a non-2xx response), parsed as awsJson1_1 says.
public struct ServiceErrorResponse: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cleaned error code, e.g. `InvalidParametersException`; the HTTP status as text
    /// when the response names no code.
    public var code: String
    public var message: String
    public var status: Int
    public var requestId: String?

    public init(code: String, message: String, status: Int, requestId: String? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.requestId = requestId
    }

    public var description: String {
        var s = message.isEmpty ? code : "\(code): \(message)"
        if let requestId { s += " (request id \(requestId))" }
        return s
    }

    /// Parses an error response: the code from the `X-Amzn-Errortype` header, else the
    /// body's top-level `code`, else its top-level `__type`, else the HTTP status; then
    /// cleaned (text before the first `:`, then after the first `#`). The message is the
    /// body's `message` or `Message` (a body that is not JSON is the message itself, cut to
    /// 300 characters); the request id comes from `x-amzn-RequestId`.
    public static func parse(status: Int, headers: [(name: String, value: String)], body: [UInt8]) -> ServiceErrorResponse {
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }?.value
        }
        let json = try? ResponseJSON.parse(body)
        var raw: String?
        if let h = header("x-amzn-errortype"), !h.isEmpty { raw = h }
        if raw == nil, let c = json?["code"]?.string, !c.isEmpty { raw = c }
        if raw == nil, let t = json?["__type"]?.string, !t.isEmpty { raw = t }
        var code = raw.map(cleanErrorCode) ?? ""
        if code.isEmpty { code = String(status) }
        var message = json?["message"]?.string ?? json?["Message"]?.string ?? ""
        if json == nil, !body.isEmpty {
            let text = String(decoding: body.prefix(600), as: UTF8.self)
            message = String(text.trimmingWhitespace().prefix(300))
        }
        return ServiceErrorResponse(code: code, message: message, status: status,
                                    requestId: header("x-amzn-requestid") ?? header("x-amz-request-id"))
    }
}

/// Smithy's cleaning rule: keep the text before the first `:`, then the text after the
/// first `#`. `aws.protocoltests.json#FooError:http://…` → `FooError`.
public func cleanErrorCode(_ raw: String) -> String {
    var s = Substring(raw)
    if let colon = s.firstIndex(of: ":") { s = s[..<colon] }
    if let hash = s.firstIndex(of: "#") { s = s[s.index(after: hash)...] }
    return String(s).trimmingWhitespace()
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
