/// What a server knows about an access key id: the secret, the session token it must come
/// with (for temporary credentials) and when those credentials stop working.
public struct SigV4KeyRecord: Sendable, Equatable, CustomStringConvertible {
    public var secretAccessKey: String
    public var sessionToken: String?
    public var expiration: SigningTime?

    public init(secretAccessKey: String, sessionToken: String? = nil, expiration: SigningTime? = nil) {
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        "SigV4KeyRecord(secretAccessKey: <redacted>, sessionToken: \(sessionToken == nil ? "none" : "<redacted>"), expiration: \(expiration.map(\.iso8601) ?? "none"))"
    }
}

/// The parsed `Credential=` scope of an `Authorization` header.
public struct SigV4CredentialScope: Sendable, Equatable {
    public var accessKeyId: String
    public var dateStamp: String
    public var region: String
    public var service: String
}

/// The outcome of checking an incoming request's signature, with the error AWS answers for an
/// awsJson service (HTTP 400 with `__type` and `message`) when the check fails.
public enum SigV4Verification: Sendable, Equatable {
    /// The signature is good. `signedHeaders` are the names the client signed.
    case valid(scope: SigV4CredentialScope, signedHeaders: [String])
    /// No `Authorization` header: `MissingAuthenticationTokenException`.
    case missingAuthentication
    /// The `Authorization` or `X-Amz-Date` header cannot be used as it is:
    /// `IncompleteSignatureException`.
    case malformedAuthorization(String)
    /// The credential scope is well formed but wrong (date, region, service or terminator):
    /// `InvalidSignatureException`.
    case wrongCredentialScope(String)
    /// The access key id is unknown, or the session token is missing, unexpected or wrong:
    /// `UnrecognizedClientException`.
    case unrecognizedClient
    /// The temporary credentials have expired: `ExpiredTokenException`.
    case expiredToken
    /// `X-Amz-Date` is more than five minutes away from the server's clock:
    /// `InvalidSignatureException` ("Signature expired" / "Signature not yet current").
    case clockSkew(requestTime: SigningTime, now: SigningTime)
    /// The signature (or the body's `X-Amz-Content-SHA256`) does not match:
    /// `InvalidSignatureException`.
    case signatureMismatch

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    /// The AWS error code (`__type`) to answer with; nil when the request is valid.
    public var errorCode: String? {
        switch self {
        case .valid: return nil
        case .missingAuthentication: return "MissingAuthenticationTokenException"
        case .malformedAuthorization: return "IncompleteSignatureException"
        case .wrongCredentialScope, .clockSkew, .signatureMismatch: return "InvalidSignatureException"
        case .unrecognizedClient: return "UnrecognizedClientException"
        case .expiredToken: return "ExpiredTokenException"
        }
    }

    /// The HTTP status AWS uses for these errors in awsJson services (all client errors, 400).
    public var httpStatus: Int { isValid ? 200 : 400 }

    /// The error message, worded as AWS words it. Never contains a secret or a token.
    public var message: String {
        switch self {
        case .valid:
            return "OK"
        case .missingAuthentication:
            return "Request is missing Authentication Token"
        case .malformedAuthorization(let detail), .wrongCredentialScope(let detail):
            return detail
        case .unrecognizedClient:
            return "The security token included in the request is invalid."
        case .expiredToken:
            return "The security token included in the request is expired"
        case .clockSkew(let requestTime, let now):
            if requestTime < now {
                return "Signature expired: \(requestTime.amzDate) is now earlier than "
                    + "\(now.adding(seconds: -SigV4Signer.allowedClockSkew).amzDate) (\(now.amzDate) - 5 min.)"
            }
            return "Signature not yet current: \(requestTime.amzDate) is still later than "
                + "\(now.adding(seconds: SigV4Signer.allowedClockSkew).amzDate) (\(now.amzDate) + 5 min.)"
        case .signatureMismatch:
            return "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        }
    }
}

extension SigV4Signer {
    /// How far `X-Amz-Date` may be from the server's clock: five minutes, as AWS allows.
    public static let allowedClockSkew: Int64 = 300

    /// Verifies an incoming request's `Authorization` header, as an AWS front end does.
    ///
    /// `lookupSecret` maps an access key id to its secret and the session token it must come
    /// with (nil for long-term keys); it returns nil for an unknown key id.
    public static func verify(
        _ r: SignableRequest,
        lookupSecret: (String) -> (secret: String, sessionToken: String?)?,
        now: SigningTime
    ) -> SigV4Verification {
        verify(r, lookupKey: { id in
            lookupSecret(id).map { SigV4KeyRecord(secretAccessKey: $0.secret, sessionToken: $0.sessionToken) }
        }, now: now)
    }

    /// Verifies an incoming request's `Authorization` header.
    ///
    /// Checks, in this order: the header is present and well formed; `X-Amz-Date` is present
    /// and in basic ISO 8601 form; `host` is signed; the scope's date is `X-Amz-Date`'s day and
    /// its terminator is `aws4_request`; region and service match `expectedRegion` /
    /// `expectedService` when given; the key id is known and the session token is the one
    /// that goes with it and has not expired; the clock is within five minutes of `now`; an
    /// `X-Amz-Content-SHA256` header, if sent, is the body's hash; and finally the signature.
    /// The canonical request is built from the headers the client says it signed, so unsigned
    /// headers (`User-Agent`, `Content-Length`, ...) may be anything.
    public static func verify(
        _ r: SignableRequest,
        lookupKey: (String) -> SigV4KeyRecord?,
        now: SigningTime,
        expectedRegion: String? = nil,
        expectedService: String? = nil
    ) -> SigV4Verification {
        let authorizations = r.headerValues("authorization")
        guard let authorization = authorizations.first else { return .missingAuthentication }
        if authorizations.count > 1 {
            return .malformedAuthorization("Found more than one Authorization header.")
        }
        let parsed: ParsedAuthorization
        switch ParsedAuthorization.parse(authorization) {
        case .failure(let failure): return failure
        case .success(let value): parsed = value
        }

        guard let amzDate = r.headerValue("x-amz-date").map(trimAll) else {
            return .malformedAuthorization(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard amzDate.utf8.count == 16, let requestTime = SigningTime(iso8601: amzDate), requestTime.amzDate == amzDate else {
            return .malformedAuthorization(
                "Date must be in ISO-8601 'basic format'. Got '\(amzDate)'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
        guard parsed.signedHeaders.contains("host") else {
            return .malformedAuthorization("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }

        let scope = parsed.scope
        if parsed.terminator != "aws4_request" {
            return .wrongCredentialScope(
                "Credential should be scoped with a valid terminator: 'aws4_request', not '\(parsed.terminator)'.")
        }
        if scope.dateStamp != requestTime.dateStamp {
            return .wrongCredentialScope(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(scope.dateStamp)' != '\(requestTime.dateStamp)', from '\(amzDate)'.")
        }
        if let expectedRegion, scope.region != expectedRegion {
            return .wrongCredentialScope(
                "Credential should be scoped to a valid region, not '\(scope.region)'. ")
        }
        if let expectedService, scope.service != expectedService {
            return .wrongCredentialScope("Credential should be scoped to correct service: '\(expectedService)'. ")
        }

        guard let record = lookupKey(scope.accessKeyId) else { return .unrecognizedClient }
        let sentTokens = r.headerValues("x-amz-security-token")
        switch record.sessionToken {
        case nil:
            if !sentTokens.isEmpty { return .unrecognizedClient }
        case let expected?:
            guard sentTokens.count == 1, constantTimeEqual(sentTokens[0], expected) else { return .unrecognizedClient }
        }
        if let expiration = record.expiration, expiration <= now { return .expiredToken }

        if requestTime < now.adding(seconds: -allowedClockSkew) || now.adding(seconds: allowedClockSkew) < requestTime {
            return .clockSkew(requestTime: requestTime, now: now)
        }

        // Stricter than S3: `UNSIGNED-PAYLOAD` is not accepted either, so the body is always covered.
        if let declared = r.headerValue("x-amz-content-sha256"), !constantTimeEqual(declared, sha256Hex(r.body)) {
            return .signatureMismatch
        }

        let signer = SigV4Signer(service: scope.service, region: scope.region)
        let canonical = signer.canonicalRequest(r, signedHeaders: parsed.signedHeaders)
        let toSign = signer.stringToSign(canonicalRequest: canonical, time: requestTime)
        let key = signer.signingKey(secretAccessKey: record.secretAccessKey, time: requestTime)
        let expected = signer.signature(stringToSign: toSign, signingKey: key)
        guard constantTimeEqual(expected, parsed.signature) else { return .signatureMismatch }
        return .valid(scope: scope, signedHeaders: parsed.signedHeaders)
    }
}

/// Compares without stopping at the first difference, so timing does not reveal how much of
/// a signature or token was right.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for k in x.indices { diff |= x[k] ^ y[k] }
    return diff == 0
}

/// `AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/<service>/aws4_request, SignedHeaders=a;b, Signature=<hex>`
struct ParsedAuthorization: Equatable {
    var scope: SigV4CredentialScope
    var terminator: String
    var signedHeaders: [String]
    var signature: String

    enum Result {
        case success(ParsedAuthorization)
        case failure(SigV4Verification)
    }

    static func parse(_ header: String) -> Result {
        let text = trimAll(header)
        let prefix = SigV4Signer.algorithm + " "
        guard text.hasPrefix(prefix) else {
            let algorithm = text.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            return .failure(.malformedAuthorization("Unsupported AWS 'algorithm': '\(algorithm)'."))
        }
        var credential: String?
        var signedHeaders: String?
        var signature: String?
        for part in text.dropFirst(prefix.count).split(separator: ",") {
            let item = trimAll(String(part))
            guard let eq = item.firstIndex(of: "=") else {
                return .failure(.malformedAuthorization(
                    "Authorization header requires each component to be of the form name=value."))
            }
            let name = String(item[..<eq])
            let value = String(item[item.index(after: eq)...])
            switch name {
            case "Credential": credential = value
            case "SignedHeaders": signedHeaders = value
            case "Signature": signature = value
            default: break
            }
        }
        var missing: [String] = []
        if credential == nil { missing.append("Authorization header requires 'Credential' parameter.") }
        if signature == nil { missing.append("Authorization header requires 'Signature' parameter.") }
        if signedHeaders == nil { missing.append("Authorization header requires 'SignedHeaders' parameter.") }
        guard let credential, let signedHeaders, let signature else {
            return .failure(.malformedAuthorization(missing.joined(separator: " ")))
        }
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts.allSatisfy({ !$0.isEmpty }) else {
            return .failure(.malformedAuthorization(
                "Credential should be of the form <access key id>/<date>/<region>/<service>/aws4_request."))
        }
        let names = signedHeaders.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
            return .failure(.malformedAuthorization("Authorization header has an empty 'SignedHeaders' entry."))
        }
        return .success(ParsedAuthorization(
            scope: SigV4CredentialScope(accessKeyId: parts[0], dateStamp: parts[1], region: parts[2], service: parts[3]),
            terminator: parts[4],
            signedHeaders: names.map(asciiLowercased),
            signature: signature))
    }
}
