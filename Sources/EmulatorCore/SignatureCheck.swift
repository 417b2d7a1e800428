import Crypto

/// The server side of AWS Signature Version 4 for awsJson requests: recomputes the signature
/// of a received request with the secret configured for its access key and answers the way
/// AWS's JSON services do when something is off. Pure: the clock is a parameter.
public struct SignatureCheck: Sendable {
    public struct Key: Sendable {
        public var secret: String
        public var sessionToken: String?
        public var expired: Bool
        public init(secret: String, sessionToken: String? = nil, expired: Bool = false) {
            self.secret = secret
            self.sessionToken = sessionToken
            self.expired = expired
        }
    }

    public var service: String
    public var region: String
    /// How far `X-Amz-Date` may be from the server's clock (AWS: 5 minutes).
    public var allowedSkew: Double = 300
    let keys: [String: Key]

    public init(service: String = "servicecatalog", region: String, keys: [String: Key]) {
        self.service = service
        self.region = region
        self.keys = keys
    }

    /// A request as received: method, raw path and query as on the wire, headers in order.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        public init(method: String, path: String, query: String = "", headers: [(name: String, value: String)], body: [UInt8]) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }

        func values(_ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name }.map(\.value)
        }
        func header(_ name: String) -> String? { values(name).first }
    }

    /// The outcome: the access key id that signed, or the error AWS would answer.
    public enum Outcome: Sendable, Equatable {
        case valid(accessKeyId: String)
        case rejected(ServiceError)
    }

    public func verify(_ request: Request, now: Double) -> Outcome {
        guard let authorization = request.header("authorization") else {
            return .rejected(ServiceError("MissingAuthenticationTokenException", "Missing Authentication Token"))
        }
        guard let auth = ParsedAuthorization(authorization) else {
            return .rejected(ServiceError("IncompleteSignatureException",
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                + "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a "
                + "'X-Amz-Date' or a 'Date' header. Authorization=\(auth_redacted(authorization))"))
        }
        guard auth.algorithm == "AWS4-HMAC-SHA256" else {
            return .rejected(ServiceError("IncompleteSignatureException", "Unsupported AWS 'algorithm': '\(auth.algorithm)'"))
        }
        guard let key = keys[auth.accessKeyId] else {
            return .rejected(ServiceError("UnrecognizedClientException", "The security token included in the request is invalid."))
        }
        let token = request.header("x-amz-security-token")
        if token != key.sessionToken {
            return .rejected(ServiceError("UnrecognizedClientException", "The security token included in the request is invalid."))
        }
        if key.expired {
            return .rejected(ServiceError("ExpiredTokenException", "The security token included in the request is expired"))
        }
        guard let amzDate = request.header("x-amz-date") else {
            return .rejected(ServiceError("IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."))
        }
        guard let signedAt = AmzDate.parse(amzDate) else {
            return .rejected(ServiceError("IncompleteSignatureException", "X-Amz-Date must be in ISO 8601 basic format (yyyyMMdd'T'HHmmss'Z'): '\(amzDate)'"))
        }
        if signedAt < now - allowedSkew {
            return .rejected(ServiceError("InvalidSignatureException",
                "Signature expired: \(amzDate) is now earlier than \(AmzDate.format(now - allowedSkew)) (\(AmzDate.format(now)) - 5 min.)"))
        }
        if signedAt > now + allowedSkew {
            return .rejected(ServiceError("InvalidSignatureException",
                "Signature not yet current: \(amzDate) is still later than \(AmzDate.format(now + allowedSkew)) (\(AmzDate.format(now)) + 5 min.)"))
        }
        let scope = auth.scope
        guard scope.count == 4 else {
            return .rejected(ServiceError("IncompleteSignatureException", "Credential should have at least 5 slash-separated parts."))
        }
        if scope[0] != String(amzDate.prefix(8)) {
            return .rejected(ServiceError("InvalidSignatureException",
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(scope[0])' != '\(amzDate.prefix(8))', from '\(amzDate)'."))
        }
        if scope[1] != region {
            return .rejected(ServiceError("InvalidSignatureException",
                "Credential should be scoped to a valid region. (expected '\(region)', found '\(scope[1])')"))
        }
        if scope[2] != service {
            return .rejected(ServiceError("InvalidSignatureException", "Credential should be scoped to correct service: '\(service)'. "))
        }
        if scope[3] != "aws4_request" {
            return .rejected(ServiceError("InvalidSignatureException", "Credential should be scoped with a valid terminator: 'aws4_request', not '\(scope[3])'."))
        }
        if !auth.signedHeaders.contains("host") {
            return .rejected(ServiceError("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."))
        }
        for name in auth.signedHeaders where request.values(name).isEmpty {
            return .rejected(ServiceError("InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Signed header '\(name)' is missing from the request."))
        }
        let canonical = SigV4Math.canonicalRequest(request, signedHeaders: auth.signedHeaders)
        let stringToSign = SigV4Math.stringToSign(amzDate: amzDate, scope: scope.joined(separator: "/"), canonicalRequest: canonical)
        let expected = SigV4Math.signature(secret: key.secret, date: scope[0], region: scope[1], service: scope[2],
                                           stringToSign: stringToSign)
        if !SigV4Math.constantTimeEqual(expected, auth.signature.lowercased()) {
            let shownCanonical = SigV4Math.canonicalRequest(request, signedHeaders: auth.signedHeaders, redactToken: true)
            return .rejected(ServiceError("InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key "
                + "and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request "
                + "should have been\n'\(shownCanonical)'\n\nThe String-to-Sign should have been\n'\(stringToSign)'\n"))
        }
        return .valid(accessKeyId: auth.accessKeyId)
    }
}

/// The Authorization header shown in a message, with its signature cut short.
private func auth_redacted(_ header: String) -> String {
    header.count > 120 ? String(header.prefix(120)) + "…" : header
}

struct ParsedAuthorization {
    var algorithm: String
    var accessKeyId: String
    var scope: [String]
    var signedHeaders: [String]
    var signature: String

    init?(_ header: String) {
        let trimmed = header.trimmingSpaces
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        algorithm = String(trimmed[..<space])
        var credential: String?, signed: String?, signature: String?
        for part in trimmed[trimmed.index(after: space)...].split(separator: ",") {
            let p = String(part).trimmingSpaces
            guard let eq = p.firstIndex(of: "=") else { continue }
            let name = p[..<eq], value = String(p[p.index(after: eq)...])
            switch name {
            case "Credential": credential = value
            case "SignedHeaders": signed = value
            case "Signature": signature = value
            default: break
            }
        }
        guard let credential, let signed, let signature, !signature.isEmpty else { return nil }
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[0].isEmpty else { return nil }
        accessKeyId = parts[0]
        scope = Array(parts.dropFirst())
        signedHeaders = signed.split(separator: ";").map { $0.lowercased() }
        self.signature = signature
    }
}

/// The arithmetic of SigV4: canonical request, string to sign, key derivation.
public enum SigV4Math {
    static let hexDigits = Array("0123456789abcdef".utf8)

    public static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    static func hmac(_ key: [UInt8], _ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
    }

    public static func signature(secret: String, date: String, region: String, service: String, stringToSign: String) -> String {
        let kDate = hmac(Array(("AWS4" + secret).utf8), date)
        let kRegion = hmac(kDate, region)
        let kService = hmac(kRegion, service)
        let kSigning = hmac(kService, "aws4_request")
        return hex(hmac(kSigning, stringToSign))
    }

    public static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(sha256Hex(Array(canonicalRequest.utf8)))"
    }

    static func canonicalRequest(_ r: SignatureCheck.Request, signedHeaders: [String], redactToken: Bool = false) -> String {
        var lines: [String] = [r.method.uppercased(), canonicalPath(r.path), canonicalQuery(r.query)]
        for name in signedHeaders.sorted() {
            var value = r.values(name).map(collapse).joined(separator: ",")
            if redactToken, name == "x-amz-security-token" { value = "<redacted>" }
            lines.append("\(name):\(value)")
        }
        lines.append("")
        lines.append(signedHeaders.sorted().joined(separator: ";"))
        let declared = r.header("x-amz-content-sha256")
        lines.append(declared == "UNSIGNED-PAYLOAD" ? "UNSIGNED-PAYLOAD" : sha256Hex(r.body))
        return lines.joined(separator: "\n")
    }

    /// Trims and collapses every run of whitespace to one space, as botocore does.
    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// `quote(remove_dot_segments(path), safe='/~')` over the path as sent.
    static func canonicalPath(_ raw: String) -> String {
        if raw.isEmpty { return "/" }
        var out: [Substring] = []
        for seg in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if seg == "." { continue }
            if seg == ".." { _ = out.popLast(); continue }
            out.append(seg)
        }
        var path = "/" + out.joined(separator: "/")
        if raw.hasSuffix("/"), path != "/" { path += "/" }
        return percentEncode(path, keepSlash: true)
    }

    static func canonicalQuery(_ raw: String) -> String {
        guard !raw.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for item in raw.split(separator: "&") {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = percentDecode(String(kv[0])), v = kv.count > 1 ? percentDecode(String(kv[1])) : ""
            pairs.append((percentEncode(k, keepSlash: false), percentEncode(v, keepSlash: false)))
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    static func percentEncode(_ s: String, keepSlash: Bool) -> String {
        var out: [UInt8] = []
        for b in s.utf8 {
            let unreserved = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "~")
            if unreserved || (keepSlash && b == UInt8(ascii: "/")) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(Array("0123456789ABCDEF".utf8)[Int(b >> 4)])
                out.append(Array("0123456789ABCDEF".utf8)[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func percentDecode(_ s: String) -> String {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        func val(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let h = val(b[i + 1]), let l = val(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else if b[i] == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
                i += 1
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// `X-Amz-Date` (`yyyyMMdd'T'HHmmss'Z'`) to and from seconds since 1970.
public enum AmzDate {
    public static func parse(_ s: String) -> Double? {
        let b = Array(s.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11), let mi = num(11..<13),
              let sec = num(13..<15), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61 else { return nil }
        return Double(daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec)
    }

    public static func format(_ t: Double) -> String {
        let secs = Int(t.rounded(.down))
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rem = secs - days * 86400
        let (y, m, d) = civilFromDays(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)\(two(m))\(two(d))T\(two(rem / 3600))\(two(rem % 3600 / 60))\(two(rem % 60))Z"
    }

    // Howard Hinnant's civil calendar algorithms.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
