import Foundation
import Testing
@testable import SigV4

@Suite("verify")
struct VerifyTests {
    static let time = ExampleKeys.time
    static let signer = SigV4Signer(service: "servicecatalog", region: "us-east-1")
    static let longTerm = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: ExampleKeys.secretAccessKey)
    static let temporary = Credentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "tempsecret", sessionToken: "session-token")

    static func lookup(_ id: String) -> (secret: String, sessionToken: String?)? {
        switch id {
        case "AKIDEXAMPLE": return (ExampleKeys.secretAccessKey, nil)
        case "ASIAEXAMPLE": return ("tempsecret", "session-token")
        default: return nil
        }
    }

    static var request: SignableRequest {
        SignableRequest(
            method: "POST", path: "/",
            headers: [
                HTTPHeader("Host", "127.0.0.1:4566"),
                HTTPHeader("Content-Type", "application/x-amz-json-1.1"),
                HTTPHeader("X-Amz-Target", "AWS242ServiceCatalogService.CreateProvisionedProductPlan"),
                HTTPHeader("User-Agent", "plancc/0.1"),
                HTTPHeader("Content-Length", "17"),
            ],
            body: Array(#"{"PlanName":"p1"}"#.utf8))
    }

    static func signed(_ credentials: Credentials = longTerm, at time: SigningTime = time) -> SignableRequest {
        signer.sign(request, credentials: credentials, time: time)
    }

    static func verify(_ r: SignableRequest, now: SigningTime = time) -> SigV4Verification {
        SigV4Signer.verify(r, lookupSecret: lookup, now: now)
    }

    static func replacing(_ name: String, with value: String?, in r: SignableRequest) -> SignableRequest {
        var out = r
        out.removeHeaders(named: [name.lowercased()])
        if let value { out.headers.append(HTTPHeader(name, value)) }
        return out
    }

    @Test func acceptsWhatSignProduces() {
        let verdict = Self.verify(Self.signed())
        #expect(verdict == .valid(
            scope: SigV4CredentialScope(accessKeyId: "AKIDEXAMPLE", dateStamp: "20150830", region: "us-east-1", service: "servicecatalog"),
            signedHeaders: ["content-type", "host", "x-amz-date", "x-amz-target"]))
        #expect(verdict.isValid && verdict.errorCode == nil && verdict.httpStatus == 200)
        #expect(Self.verify(Self.signed(Self.temporary)).isValid)
        // Unsigned headers may change on the way (proxies, HTTP clients).
        var rewritten = Self.signed()
        rewritten.headers[3].value = "curl/8"
        rewritten.headers.append(HTTPHeader("Connection", "keep-alive"))
        #expect(Self.verify(rewritten).isValid)
        // Header names arrive in any case.
        var lowered = Self.signed()
        lowered.headers = lowered.headers.map { HTTPHeader($0.name.lowercased(), $0.value) }
        #expect(Self.verify(lowered).isValid)
        // Within five minutes either way.
        #expect(Self.verify(Self.signed(), now: Self.time.adding(seconds: 300)).isValid)
        #expect(Self.verify(Self.signed(), now: Self.time.adding(seconds: -300)).isValid)
    }

    @Test func rejectsATamperedBody() {
        var r = Self.signed()
        r.body = Array(#"{"PlanName":"p2"}"#.utf8)
        #expect(Self.verify(r) == .signatureMismatch)
        #expect(Self.verify(r).errorCode == "InvalidSignatureException")
        #expect(Self.verify(r).message.hasPrefix("The request signature we calculated does not match"))
        // Declaring the old body's hash does not help.
        var declared = Self.signed()
        declared.headers.append(HTTPHeader("X-Amz-Content-SHA256", sha256Hex(declared.body)))
        declared.body.append(0x20)
        #expect(Self.verify(declared) == .signatureMismatch)
        var unsignedPayload = Self.signed()
        unsignedPayload.headers.append(HTTPHeader("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"))
        #expect(Self.verify(unsignedPayload) == .signatureMismatch)
    }

    @Test func rejectsTamperedSignedHeadersPathAndQuery() {
        let r = Self.signed()
        #expect(Self.verify(Self.replacing("X-Amz-Target", with: "AWS242ServiceCatalogService.ExecuteProvisionedProductPlan", in: r)) == .signatureMismatch)
        #expect(Self.verify(Self.replacing("Host", with: "evil.example", in: r)) == .signatureMismatch)
        var path = r
        path.path = "/other/"
        #expect(Self.verify(path) == .signatureMismatch)
        var query = r
        query.query = "a=b"
        #expect(Self.verify(query) == .signatureMismatch)
        var method = r
        method.method = "PUT"
        #expect(Self.verify(method) == .signatureMismatch)
        // A signed header that went missing.
        #expect(Self.verify(Self.replacing("Content-Type", with: nil, in: r)) == .signatureMismatch)
    }

    @Test func rejectsAWrongSecret() {
        let wrong = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-the-secret")
        let verdict = Self.verify(Self.signed(wrong))
        #expect(verdict == .signatureMismatch)
        #expect(verdict.httpStatus == 400)
    }

    @Test func rejectsAnUnknownKeyOrWrongToken() {
        let unknown = Credentials(accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x")
        #expect(Self.verify(Self.signed(unknown)) == .unrecognizedClient)
        #expect(Self.verify(Self.signed(unknown)).errorCode == "UnrecognizedClientException")
        #expect(Self.verify(Self.signed(unknown)).message == "The security token included in the request is invalid.")
        // Temporary key without its token, with another token, or a long-term key with a token.
        let noToken = Credentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "tempsecret")
        #expect(Self.verify(Self.signed(noToken)) == .unrecognizedClient)
        let otherToken = Credentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "tempsecret", sessionToken: "other")
        #expect(Self.verify(Self.signed(otherToken)) == .unrecognizedClient)
        let tokenOnLongTerm = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: ExampleKeys.secretAccessKey, sessionToken: "t")
        #expect(Self.verify(Self.signed(tokenOnLongTerm)) == .unrecognizedClient)
    }

    @Test func rejectsExpiredTemporaryCredentials() {
        let r = Self.signed(Self.temporary)
        let expired = SigV4Signer.verify(r, lookupKey: { _ in
            SigV4KeyRecord(secretAccessKey: "tempsecret", sessionToken: "session-token", expiration: Self.time.adding(seconds: -1))
        }, now: Self.time)
        #expect(expired == .expiredToken)
        #expect(expired.errorCode == "ExpiredTokenException")
        let fresh = SigV4Signer.verify(r, lookupKey: { _ in
            SigV4KeyRecord(secretAccessKey: "tempsecret", sessionToken: "session-token", expiration: Self.time.adding(seconds: 60))
        }, now: Self.time)
        #expect(fresh.isValid)
    }

    @Test func rejectsMissingAuthorization() {
        let verdict = Self.verify(Self.request)
        #expect(verdict == .missingAuthentication)
        #expect(verdict.errorCode == "MissingAuthenticationTokenException")
        #expect(verdict.message == "Request is missing Authentication Token")
    }

    @Test func rejectsMissingOrMalformedDate() {
        let r = Self.signed()
        let noDate = Self.verify(Self.replacing("X-Amz-Date", with: nil, in: r))
        #expect(noDate == .malformedAuthorization("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."))
        #expect(noDate.errorCode == "IncompleteSignatureException")
        for bad in ["2015-08-30T12:36:00Z", "20150830T123600", "20150830T123600+0000", "20150231T123600Z", "garbage"] {
            if case .malformedAuthorization = Self.verify(Self.replacing("X-Amz-Date", with: bad, in: r)) {} else {
                Issue.record("X-Amz-Date \(bad) was not rejected as malformed")
            }
        }
    }

    @Test("malformed Authorization headers", arguments: [
        "AWS4-HMAC-SHA1 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request, SignedHeaders=host, Signature=00",
        "Bearer abc",
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/aws4_request, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE//us-east-1/servicecatalog/aws4_request, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request, SignedHeaders=host;;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request, SignedHeaders=x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request, junk, Signature=00",
        "",
    ])
    func rejectsMalformedAuthorization(_ authorization: String) {
        let r = Self.replacing("Authorization", with: authorization, in: Self.signed())
        let verdict = Self.verify(r)
        guard case .malformedAuthorization(let message) = verdict else {
            Issue.record("expected IncompleteSignatureException, got \(verdict)")
            return
        }
        #expect(!message.isEmpty)
        #expect(verdict.errorCode == "IncompleteSignatureException")
    }

    @Test func rejectsTwoAuthorizationHeaders() {
        var r = Self.signed()
        r.headers.append(r.headers.last!)
        if case .malformedAuthorization = Self.verify(r) {} else { Issue.record("two Authorization headers accepted") }
    }

    @Test func rejectsAWrongCredentialScope() {
        let r = Self.signed()
        let auth = r.headerValue("Authorization")!
        func with(_ from: String, _ to: String) -> SigV4Verification {
            Self.verify(Self.replacing("Authorization", with: auth.replacingFirst(from, with: to), in: r))
        }
        guard case .wrongCredentialScope(let dateMessage) = with("/20150830/", "/20150831/") else {
            Issue.record("scope date mismatch not detected")
            return
        }
        #expect(dateMessage.contains("'20150831' != '20150830'"))
        if case .wrongCredentialScope = with("/aws4_request", "/aws5_request") {} else { Issue.record("terminator not checked") }
        // Another region or service simply does not verify...
        #expect(with("/us-east-1/", "/eu-west-1/") == .signatureMismatch)
        // ...unless the server says which ones it expects.
        let eu = SigV4Signer(service: "servicecatalog", region: "eu-west-1").sign(Self.request, credentials: Self.longTerm, time: Self.time)
        let strict = SigV4Signer.verify(eu, lookupKey: { Self.lookup($0).map { SigV4KeyRecord(secretAccessKey: $0.secret, sessionToken: $0.sessionToken) } },
                                        now: Self.time, expectedRegion: "us-east-1", expectedService: "servicecatalog")
        #expect(strict == .wrongCredentialScope("Credential should be scoped to a valid region, not 'eu-west-1'. "))
        #expect(strict.errorCode == "InvalidSignatureException")
        let sts = SigV4Signer(service: "sts", region: "us-east-1").sign(Self.request, credentials: Self.longTerm, time: Self.time)
        let wrongService = SigV4Signer.verify(sts, lookupKey: { Self.lookup($0).map { SigV4KeyRecord(secretAccessKey: $0.secret, sessionToken: $0.sessionToken) } },
                                              now: Self.time, expectedRegion: "us-east-1", expectedService: "servicecatalog")
        #expect(wrongService == .wrongCredentialScope("Credential should be scoped to correct service: 'servicecatalog'. "))
    }

    @Test func rejectsAStaleOrFutureClock() {
        let r = Self.signed()
        let stale = Self.verify(r, now: Self.time.adding(seconds: 301))
        #expect(stale == .clockSkew(requestTime: Self.time, now: Self.time.adding(seconds: 301)))
        #expect(stale.errorCode == "InvalidSignatureException")
        #expect(stale.message == "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)")
        let future = Self.verify(r, now: Self.time.adding(seconds: -3600))
        #expect(future.message == "Signature not yet current: 20150830T123600Z is still later than 20150830T114100Z (20150830T113600Z + 5 min.)")
        #expect(Self.verify(r, now: SigningTime(secondsSince1970: .max)) == .clockSkew(requestTime: Self.time, now: SigningTime(secondsSince1970: .max)))
        #expect(Self.verify(r, now: SigningTime(secondsSince1970: .min)) == .clockSkew(requestTime: Self.time, now: SigningTime(secondsSince1970: .min)))
    }

    @Test func messagesNeverContainSecrets() {
        let cases: [SigV4Verification] = [
            Self.verify(Self.signed(Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wrong"))),
            Self.verify(Self.signed(Self.temporary), now: Self.time.adding(seconds: 1000)),
            Self.verify(Self.signed(Credentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "tempsecret", sessionToken: "bad-token"))),
        ]
        for verdict in cases {
            #expect(!verdict.isValid)
            for text in [verdict.message, "\(verdict)"] {
                #expect(!text.contains(ExampleKeys.secretAccessKey) && !text.contains("tempsecret"))
                #expect(!text.contains("session-token") && !text.contains("bad-token"))
            }
        }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
