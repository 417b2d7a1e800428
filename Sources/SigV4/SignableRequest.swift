/// One HTTP header as it is sent: the name keeps its spelling, the value is not trimmed.
public struct HTTPHeader: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request as the signer sees it: exactly what goes on the wire, minus the body framing.
///
/// `path` and `query` are written as on the request line (already percent-encoded where the
/// sender encoded them); the signer encodes the path once more, as botocore does for every
/// service other than S3. `headers` are in the order they are sent and must include `Host`:
/// the signer never invents one.
public struct SignableRequest: Sendable, Equatable {
    /// The HTTP method, e.g. `POST`.
    public var method: String
    /// The raw path as sent, e.g. `/` or `/custom/`.
    public var path: String
    /// The raw query string without `?`; empty when there is none.
    public var query: String
    /// The headers as they will be sent, in order, including `Host`.
    public var headers: [HTTPHeader]
    /// The exact body bytes.
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", headers: [HTTPHeader], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of the header called `name` (compared without regard to ASCII case).
    public func headerValue(_ name: String) -> String? {
        headers.first { asciiEqualIgnoringCase($0.name, name) }?.value
    }

    /// Every value of the header called `name`, in the order they are sent.
    public func headerValues(_ name: String) -> [String] {
        let wanted = asciiLowercased(name)
        return headers.filter { asciiLowercased($0.name) == wanted }.map(\.value)
    }

    /// Removes every header whose name is one of `names`, compared without regard to ASCII case.
    public mutating func removeHeaders(named names: [String]) {
        func named(_ header: HTTPHeader) -> Bool { names.contains { asciiEqualIgnoringCase(header.name, $0) } }
        // Only touch the array when something goes: removing copies a shared array first.
        if headers.contains(where: named) { headers.removeAll(where: named) }
    }
}

/// Equal after ASCII lowercasing, compared in place.
func asciiEqualIgnoringCase(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    for (x, y) in zip(a.utf8, b.utf8) where x != y {
        let lx = x >= 0x41 && x <= 0x5A ? x | 0x20 : x, ly = y >= 0x41 && y <= 0x5A ? y | 0x20 : y
        if lx != ly { return false }
    }
    return true
}
