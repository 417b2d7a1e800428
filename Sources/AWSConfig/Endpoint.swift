/// Where requests for a service go: scheme, host, optional port and a base path.
public struct Endpoint: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// "https" or "http".
    public var scheme: String
    /// Host name or IP address, lower-cased, without brackets for IPv6.
    public var host: String
    /// The port when the URL names one (also when it is the default port).
    public var port: Int?
    /// The URL's path without a trailing slash: "" for `https://host`, "/custom" for
    /// `https://host/custom` or `https://host/custom/`. Requests go to `basePath + "/"`.
    public var basePath: String

    public init(scheme: String, host: String, port: Int? = nil, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// The value of the `Host` header: the host (bracketed when IPv6) and the port only when
    /// it is not the scheme's default.
    public var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        if let port, port != defaultPort { return "\(h):\(port)" }
        return h
    }

    public var defaultPort: Int { scheme == "http" ? 80 : 443 }

    /// The path to send a request to: `basePath` joined with `path` (default "/").
    public func requestPath(_ path: String = "/") -> String {
        let p = path.hasPrefix("/") ? path : "/" + path
        return basePath + p
    }

    /// The full URL of a request path, e.g. "https://servicecatalog.us-east-1.amazonaws.com/".
    public func url(path: String = "/") -> String {
        "\(scheme)://\(hostHeader)\(requestPath(path))"
    }

    public var description: String { url() }

    /// Whether the host is a loopback address or `localhost`.
    public var isLoopback: Bool { isLoopbackHost(host) }

    /// Parses an absolute http(s) URL. The error text says what is wrong.
    public static func parse(_ text: String) -> Result<Endpoint, EndpointParseError> {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return .failure(.init("the URL is empty")) }
        guard let schemeEnd = trimmed.firstRange(of: "://") else {
            return .failure(.init("it has no scheme; write it as https://host[:port][/path]"))
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else {
            return .failure(.init("the scheme must be https or http, not '\(scheme)'"))
        }
        var rest = trimmed[schemeEnd.upperBound...]
        if rest.prefix(while: { $0 != "?" && $0 != "#" }).contains("@") {
            return .failure(.init("an endpoint URL cannot contain user information"))
        }
        if rest.contains(where: { $0 == " " || $0 == "\t" }) {
            return .failure(.init("it contains white space"))
        }
        if rest.contains("?") || rest.contains("#") {
            return .failure(.init("an endpoint URL cannot have a query or fragment"))
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        var host: Substring
        var portText: Substring? = nil
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return .failure(.init("unclosed '[' in the host")) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            guard parseIPv6(host) != nil else { return .failure(.init("'\(host)' is not an IPv6 address")) }
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return .failure(.init("unexpected text after ']'")) }
                portText = after.dropFirst()
            }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
            guard !host.isEmpty else { return .failure(.init("it has no host")) }
            let allowed = host.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "." || $0 == "_"))
            }
            guard allowed else { return .failure(.init("'\(host)' is not a valid host name")) }
            guard !host.hasPrefix("."), !host.contains("..") else {
                return .failure(.init("'\(host)' is not a valid host name"))
            }
        }
        var port: Int? = nil
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(portText), (1...65535).contains(value)
            else { return .failure(.init("the port must be a number from 1 to 65535")) }
            port = value
        }
        var path = String(rest)
        while path.hasSuffix("/") { path.removeLast() }
        return .success(Endpoint(scheme: scheme, host: host.lowercased(), port: port, basePath: path))
    }

    /// Parses and checks an endpoint URL; `source` names where it came from (for the error).
    /// Plain http is accepted only for loopback hosts unless `allowInsecureHTTP`.
    public static func validated(_ text: String, source: String, allowInsecureHTTP: Bool) throws -> Endpoint {
        switch parse(text) {
        case .failure(let error):
            throw AWSConfigError.invalidEndpoint(url: redactUserInfo(text), source: source, reason: error.message)
        case .success(let endpoint):
            if endpoint.scheme == "http", !endpoint.isLoopback, !allowInsecureHTTP {
                throw AWSConfigError.insecureEndpoint(url: redactUserInfo(text), source: source)
            }
            return endpoint
        }
    }
}

/// "https://user:password@host" becomes "https://***@host" for messages.
func redactUserInfo(_ url: String) -> String {
    guard let schemeEnd = url.firstRange(of: "://") else { return url }
    let rest = url[schemeEnd.upperBound...]
    let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? rest.endIndex
    guard let at = rest[..<end].lastIndex(of: "@") else { return url }
    return String(url[..<schemeEnd.upperBound]) + "***" + String(rest[at...])
}

public struct EndpointParseError: Error, Sendable, Equatable {
    public var message: String
    init(_ message: String) { self.message = message }
}

/// 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z) or `localhost`.
func isLoopbackHost(_ host: some StringProtocol) -> Bool {
    let h = host.lowercased()
    if h == "localhost" || h == "localhost." { return true }
    if let v4 = parseIPv4(h) { return v4[0] == 127 }
    if let v6 = parseIPv6(h) {
        if v6 == [UInt16](repeating: 0, count: 7) + [1] { return true }
        if v6[0..<5].allSatisfy({ $0 == 0 }), v6[5] == 0xffff, v6[6] >> 8 == 127 { return true }
    }
    return false
}

/// Dotted-quad IPv4 (four decimal parts 0–255).
func parseIPv4(_ text: some StringProtocol) -> [UInt8]? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var out: [UInt8] = []
    for part in parts {
        guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
              let v = Int(part), v <= 255 else { return nil }
        out.append(UInt8(v))
    }
    return out
}

/// An IPv6 address as eight 16-bit groups (with `::` and a trailing dotted quad).
func parseIPv6(_ text: some StringProtocol) -> [UInt16]? {
    var s = String(text)
    if let percent = s.firstIndex(of: "%") { s = String(s[..<percent]) }  // zone id
    guard s.contains(":") else { return nil }
    func groups(_ part: Substring) -> [UInt16]? {
        if part.isEmpty { return [] }
        var out: [UInt16] = []
        let items = part.split(separator: ":", omittingEmptySubsequences: false)
        for (i, item) in items.enumerated() {
            if i == items.count - 1, item.contains(".") {
                guard let v4 = parseIPv4(item) else { return nil }
                out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                continue
            }
            guard !item.isEmpty, item.count <= 4, let v = UInt16(item, radix: 16) else { return nil }
            out.append(v)
        }
        return out
    }
    let halves = s.split(separator: "::", omittingEmptySubsequences: false)
    if halves.count == 1 {
        guard let g = groups(Substring(s)), g.count == 8 else { return nil }
        return g
    }
    guard halves.count == 2, let head = groups(Substring(halves[0])), let tail = groups(Substring(halves[1])),
          head.count + tail.count <= 7 else { return nil }
    return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
}
