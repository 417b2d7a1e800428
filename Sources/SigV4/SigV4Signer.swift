import Crypto

/// AWS Signature Version 4 with the `Authorization` header, as botocore's `SigV4Auth` does it
/// for every service other than S3.
///
/// Each documented step is a public function so it can be tested on its own:
/// `headersToSign` → `canonicalRequest` → `stringToSign` → `signingKey` → `signature`;
/// `sign` runs them all. The signer is a pure function of request, credentials, scope and
/// clock: no I/O, no hidden state apart from the (thread-safe) signing key cache.
///
/// Differences from botocore, all deliberate:
/// - `Content-Length` is never signed. botocore never sees it (its HTTP layer adds it after
///   signing); plancc builds the complete request first, so the signer has to leave it out.
///   `amz-sdk-invocation-id` and `amz-sdk-request` are left out for the same reason.
/// - A `Host` header is required in the request; the signer does not derive one from a URL.
/// - The date always goes into `X-Amz-Date`; a `Date` header is signed like any other header.
/// - Re-signing with credentials that have no session token removes an old
///   `X-Amz-Security-Token` header instead of leaving it behind.
public struct SigV4Signer: Sendable {
    /// The signing name of the service, e.g. `servicecatalog`.
    public var service: String
    /// The signing region, e.g. `us-east-1`.
    public var region: String

    let cache: SigningKeyCache

    public static let algorithm = "AWS4-HMAC-SHA256"

    /// Headers that are never signed: botocore's `SIGNED_HEADERS_BLACKLIST`, plus the headers
    /// botocore only adds after signing (`content-length`, `amz-sdk-invocation-id`,
    /// `amz-sdk-request`), plus `authorization` itself.
    public static let unsignedHeaders: [String] = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
        "content-length", "amz-sdk-invocation-id", "amz-sdk-request", "authorization",
    ]

    /// The headers signing sets, removed first so a request can be signed again.
    static let replacedHeaders: [String] = ["authorization", "x-amz-date", "x-amz-security-token"]

    /// `unsignedHeaders.contains(name)` for a lowercased name; a scan beats hashing a
    /// handful of short names.
    static func isUnsigned(_ name: String) -> Bool {
        let n = name.utf8.count
        return unsignedHeaders.contains { $0.utf8.count == n && $0 == name }
    }

    public init(service: String, region: String) {
        self.init(service: service, region: region, cache: .shared)
    }

    init(service: String, region: String, cache: SigningKeyCache) {
        self.service = service
        self.region = region
        self.cache = cache
    }

    /// `<date>/<region>/<service>/aws4_request`.
    public func credentialScope(_ time: SigningTime) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for (k, part) in [time.dateStamp, region, service, "aws4_request"].enumerated() {
            if k > 0 { out.append(UInt8(ascii: "/")) }
            out.append(utf8: part)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The lowercased, sorted, de-duplicated names of the headers present in `r` that get
    /// signed: all of them except `unsignedHeaders`.
    public func headersToSign(_ r: SignableRequest) -> [String] {
        Self.headersToSign(r)
    }

    static func headersToSign(_ r: SignableRequest) -> [String] {
        signedNames(lowered: r.headers.map { trimAll(asciiLowercased($0.name)) })
    }

    /// The signed names among header names already lowercased and trimmed: sorted, unique,
    /// without empty and unsigned ones.
    static func signedNames(lowered: [String]) -> [String] {
        sortedUnique(lowered.filter { !$0.isEmpty && !isUnsigned($0) })
    }

    /// Sorted in byte order without repeats; a request has a handful of headers, so an
    /// array sort beats building a set.
    static func sortedUnique(_ names: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(names.count)
        for name in names.sorted(by: utf8Less) where out.last != name { out.append(name) }
        return out
    }

    /// The canonical request:
    /// `METHOD \n path \n query \n headers \n \n signedHeaders \n payloadHash`.
    ///
    /// Each name in `signedHeaders` (lowercased, sorted, duplicates dropped) gives one line
    /// `name:value`, where the values of every header with that name are trimmed, their inner
    /// whitespace collapsed, and joined with `,` in the order they are sent. The payload hash is
    /// the `X-Amz-Content-SHA256` header when present (as botocore does), otherwise the SHA-256
    /// of the exact body bytes.
    public func canonicalRequest(_ r: SignableRequest, signedHeaders: [String]) -> String {
        Self.canonicalRequest(r, signedHeaders: signedHeaders)
    }

    static func canonicalRequest(_ r: SignableRequest, signedHeaders: [String]) -> String {
        canonicalRequest(r, names: sortedUnique(signedHeaders.map { trimAll(asciiLowercased($0)) }),
                         lowered: r.headers.map { trimAll(asciiLowercased($0.name)) })
    }

    /// `names`: the signed header names, already lowercased, trimmed, sorted and unique;
    /// `lowered`: the request's header names in that form, index for index.
    static func canonicalRequest(_ r: SignableRequest, names: [String], lowered: [String]) -> String {
        // Built as bytes in one buffer: this runs once per request.
        var out: [UInt8] = []
        out.reserveCapacity(256 + r.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 })
        out.append(utf8: asciiUppercased(r.method))
        out.append(0x0A)
        out.append(utf8: canonicalPath(r.path))
        out.append(0x0A)
        out.append(utf8: canonicalQuery(r.query))
        out.append(0x0A)
        for name in names {
            out.append(utf8: name)
            out.append(UInt8(ascii: ":"))
            var first = true
            for (k, header) in r.headers.enumerated() where lowered[k] == name {
                if !first { out.append(UInt8(ascii: ",")) }
                out.append(utf8: trimAll(header.value))
                first = false
            }
            out.append(0x0A)
        }
        out.append(0x0A)
        for (k, name) in names.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ";")) }
            out.append(utf8: name)
        }
        out.append(0x0A)
        out.append(utf8: (r.headerValue("x-amz-content-sha256") ?? sha256Hex(r.body)))
        return String(decoding: out, as: UTF8.self)
    }

    /// `AWS4-HMAC-SHA256 \n <amzDate> \n <scope> \n hex(sha256(canonicalRequest))`.
    public func stringToSign(canonicalRequest: String, time: SigningTime) -> String {
        Self.stringToSign(canonicalRequest: canonicalRequest, amzDate: time.amzDate, scope: credentialScope(time))
    }

    static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(160)
        for part in [algorithm, amzDate, scope] {
            out.append(utf8: part)
            out.append(0x0A)
        }
        var canonical = canonicalRequest
        out.append(utf8: canonical.withUTF8 { sha256Hex($0) })
        return String(decoding: out, as: UTF8.self)
    }

    /// The derived key for `time`'s day, this region and this service. Cached per
    /// (secret, day, region, service); safe to call from any thread.
    public func signingKey(secretAccessKey: String, time: SigningTime) -> [UInt8] {
        cache.signingKey(secretAccessKey: secretAccessKey, dateStamp: time.dateStamp, region: region, service: service)
    }

    /// `hex(HMAC-SHA256(signingKey, stringToSign))`.
    public func signature(stringToSign: String, signingKey: [UInt8]) -> String {
        var message = stringToSign
        return message.withUTF8 { hexEncoded(digest: HMAC<SHA256>.authenticationCode(for: $0, using: SymmetricKey(data: signingKey))) }
    }

    /// Every intermediate value of one signature, for tests, `--explain` style output and
    /// debugging. Holds no secret: the signing key is not part of it.
    public struct Signing: Sendable, Equatable {
        /// The signed request: the input plus `X-Amz-Date`, `X-Amz-Security-Token` and `Authorization`.
        public var request: SignableRequest
        public var signedHeaders: [String]
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        public var authorization: String
    }

    /// What a signature needs besides the request, for one set of credentials at one time:
    /// the formatted date and scope, the derived key and an HMAC already keyed with it. Making
    /// it once for a batch of requests signed together (`compile --emit http`) leaves only
    /// the per-request work, and no shared cache to lock. Holds secrets; prints nothing.
    public struct Prepared: Sendable, CustomStringConvertible {
        let credentials: Credentials
        let amzDate: String
        let scope: String
        let hmac: HMAC<SHA256>
        public var description: String { "SigV4Signer.Prepared(\(scope))" }
    }

    /// Prepares signatures for `credentials` at `time` (see `Prepared`).
    public func prepare(credentials: Credentials, time: SigningTime) -> Prepared {
        let key = signingKey(secretAccessKey: credentials.secretAccessKey, time: time)
        return Prepared(credentials: credentials, amzDate: time.amzDate, scope: credentialScope(time),
                        hmac: cache.keyedHMAC(key))
    }

    /// Signs `r` and returns every step. See `sign(_:credentials:time:)`.
    public func signing(_ r: SignableRequest, credentials: Credentials, time: SigningTime) -> Signing {
        signing(r, prepared: prepare(credentials: credentials, time: time))
    }

    /// Signs `r` with prepared credentials, time and key, and returns every step.
    public func signing(_ r: SignableRequest, prepared: Prepared) -> Signing {
        let credentials = prepared.credentials
        let amzDate = prepared.amzDate
        let scope = prepared.scope
        var out = r
        out.removeHeaders(named: Self.replacedHeaders)
        out.headers.append(HTTPHeader("X-Amz-Date", amzDate))
        if let token = credentials.sessionToken {
            out.headers.append(HTTPHeader("X-Amz-Security-Token", token))
        }
        // Header names are lowercased and trimmed once, for both steps.
        let lowered = out.headers.map { trimAll(asciiLowercased($0.name)) }
        let signed = Self.signedNames(lowered: lowered)
        let canonical = Self.canonicalRequest(out, names: signed, lowered: lowered)
        let toSign = Self.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        // `signature(stringToSign:signingKey:)`, with the HMAC's key set-up done once per key.
        var hmac = prepared.hmac
        var message = toSign
        message.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        let sig = hexEncoded(digest: hmac.finalize())
        var line: [UInt8] = []
        line.reserveCapacity(256)
        for part in [Self.algorithm, " Credential=", credentials.accessKeyId, "/", scope, ", SignedHeaders="] {
            line.append(utf8: part)
        }
        for (k, name) in signed.enumerated() {
            if k > 0 { line.append(UInt8(ascii: ";")) }
            line.append(utf8: name)
        }
        line.append(utf8: ", Signature=")
        line.append(utf8: sig)
        let authorization = String(decoding: line, as: UTF8.self)
        out.headers.append(HTTPHeader("Authorization", authorization))
        return Signing(
            request: out, signedHeaders: signed, canonicalRequest: canonical,
            stringToSign: toSign, signature: sig, authorization: authorization)
    }

    /// Adds `X-Amz-Date`, `X-Amz-Security-Token` (when the credentials have a session token;
    /// it is signed) and `Authorization`, in that order, at the end of the headers. Any earlier
    /// `Authorization`, `X-Amz-Date` or `X-Amz-Security-Token` is removed first, so a request
    /// can be signed again for a retry.
    public func sign(_ r: SignableRequest, credentials: Credentials, time: SigningTime) -> SignableRequest {
        signing(r, credentials: credentials, time: time).request
    }

    /// `sign(_:credentials:time:)` with prepared credentials, time and key.
    public func sign(_ r: SignableRequest, prepared: Prepared) -> SignableRequest {
        signing(r, prepared: prepared).request
    }
}

func asciiUppercased(_ s: String) -> String {
    var bytes = Array(s.utf8)
    var changed = false
    for k in bytes.indices where bytes[k] >= 0x61 && bytes[k] <= 0x7A {
        bytes[k] -= 0x20
        changed = true
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : s
}
