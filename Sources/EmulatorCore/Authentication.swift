import SigV4

/// Checks every request's SigV4 signature against the catalog's credentials with the SigV4
/// module's verifier, and turns a failure into the error AWS answers for awsJson services
/// (HTTP 400: MissingAuthenticationTokenException, IncompleteSignatureException,
/// InvalidSignatureException, UnrecognizedClientException, ExpiredTokenException).
public struct Authenticator: Sendable {
    public let region: String
    public let service: String
    let keys: [String: SigV4KeyRecord]

    public init(region: String, service: String = "servicecatalog", credentials: [CatalogCredential]) {
        self.region = region
        self.service = service
        var keys: [String: SigV4KeyRecord] = [:]
        for c in credentials {
            // A credential marked expired expired at the epoch: always in the past.
            keys[c.accessKeyId] = SigV4KeyRecord(
                secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken,
                expiration: c.expired ? SigningTime(secondsSince1970: 0) : nil)
        }
        self.keys = keys
    }

    /// nil when the request is signed by a known key, within five minutes of `now`, for this
    /// region and service; otherwise the error to answer with.
    public func check(method: String, path: String, query: String, headers: [(name: String, value: String)],
                      body: [UInt8], now: Double) -> ServiceError? {
        let request = SignableRequest(method: method, path: path, query: query,
                                      headers: headers.map { HTTPHeader($0.name, $0.value) }, body: body)
        let outcome = SigV4Signer.verify(request, lookupKey: { keys[$0] },
                                         now: SigningTime(secondsSince1970: Int64(now.rounded(.down))),
                                         expectedRegion: region, expectedService: service)
        guard let code = outcome.errorCode else { return nil }
        return ServiceError(code, outcome.message, status: outcome.httpStatus)
    }
}
