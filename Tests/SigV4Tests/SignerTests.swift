import Testing
@testable import SigV4

@Suite("signer")
struct SignerTests {
    static let time = ExampleKeys.time
    static let credentials = Credentials(accessKeyId: ExampleKeys.accessKeyId, secretAccessKey: ExampleKeys.secretAccessKey)

    static var request: SignableRequest {
        SignableRequest(
            method: "POST", path: "/",
            headers: [
                HTTPHeader("Host", "servicecatalog.us-east-1.amazonaws.com"),
                HTTPHeader("Content-Type", "application/x-amz-json-1.1"),
                HTTPHeader("X-Amz-Target", "AWS242ServiceCatalogService.CreateProvisionedProductPlan"),
                HTTPHeader("Content-Length", "2"),
            ],
            body: Array("{}".utf8))
    }

    // MARK: signing key and its cache

    @Test func signingKeyMatchesTheDocumentedDerivation() {
        // AWS's documented example: secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
        // 20150830, us-east-1, iam.
        let signer = SigV4Signer(service: "iam", region: "us-east-1")
        let key = signer.signingKey(secretAccessKey: ExampleKeys.secretAccessKey, time: Self.time)
        #expect(hexEncoded(key) == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    @Test func cacheReturnsTheSameKeyPerDayRegionAndService() {
        let cache = SigningKeyCache()
        let signer = SigV4Signer(service: "servicecatalog", region: "us-east-1", cache: cache)
        let morning = SigningTime(iso8601: "2015-08-30T00:00:00Z")!
        let evening = SigningTime(iso8601: "2015-08-30T23:59:59Z")!
        let nextDay = SigningTime(iso8601: "2015-08-31T00:00:00Z")!

        let first = signer.signingKey(secretAccessKey: "secret", time: morning)
        #expect(cache.statistics == .init(hits: 0, misses: 1, entries: 1))
        let second = signer.signingKey(secretAccessKey: "secret", time: evening)
        #expect(second == first)
        #expect(cache.statistics == .init(hits: 1, misses: 1, entries: 1))
        #expect(first == deriveSigningKey(secretAccessKey: "secret", dateStamp: "20150830", region: "us-east-1", service: "servicecatalog"))

        let other = signer.signingKey(secretAccessKey: "secret", time: nextDay)
        #expect(other != first)
        #expect(other == deriveSigningKey(secretAccessKey: "secret", dateStamp: "20150831", region: "us-east-1", service: "servicecatalog"))
        let otherRegion = SigV4Signer(service: "servicecatalog", region: "eu-west-1", cache: cache).signingKey(secretAccessKey: "secret", time: morning)
        let otherService = SigV4Signer(service: "sts", region: "us-east-1", cache: cache).signingKey(secretAccessKey: "secret", time: morning)
        let otherSecret = signer.signingKey(secretAccessKey: "secret2", time: morning)
        #expect(Set([first, other, otherRegion, otherService, otherSecret]).count == 5)
        #expect(cache.statistics == .init(hits: 1, misses: 5, entries: 5))
    }

    @Test func cacheStaysBounded() {
        let cache = SigningKeyCache(limit: 4)
        let signer = SigV4Signer(service: "s", region: "r", cache: cache)
        for day in 0..<10 {
            _ = signer.signingKey(secretAccessKey: "k", time: SigningTime(secondsSince1970: Int64(day) * 86_400))
            #expect(cache.statistics.entries <= 4)
        }
        let key = signer.signingKey(secretAccessKey: "k", time: SigningTime(secondsSince1970: 0))
        #expect(key == deriveSigningKey(secretAccessKey: "k", dateStamp: "19700101", region: "r", service: "s"))
    }

    @Test func cacheIsSafeUnderConcurrentUse() async {
        let cache = SigningKeyCache(limit: 8)
        let regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"]
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0..<32 {
                group.addTask {
                    var wrong = 0
                    for i in 0..<200 {
                        let region = regions[(task + i) % regions.count]
                        let time = SigningTime(secondsSince1970: Int64((task * i) % 3) * 86_400)
                        let key = SigV4Signer(service: "servicecatalog", region: region, cache: cache)
                            .signingKey(secretAccessKey: "secret", time: time)
                        if key != deriveSigningKey(secretAccessKey: "secret", dateStamp: time.dateStamp, region: region, service: "servicecatalog") {
                            wrong += 1
                        }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
        let stats = cache.statistics
        #expect(stats.hits + stats.misses == 32 * 200)
        #expect(stats.hits > 0)
    }

    // MARK: sign()

    @Test func resigningReplacesAuthorizationDateAndToken() {
        let signer = SigV4Signer(service: "servicecatalog", region: "us-east-1")
        let temporary = Credentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s1", sessionToken: "token-1")
        let first = signer.sign(Self.request, credentials: temporary, time: Self.time)
        #expect(first.headers.count == Self.request.headers.count + 3)

        let later = Self.time.adding(seconds: 90)
        let refreshed = Credentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s2", sessionToken: "token-2")
        let second = signer.sign(first, credentials: refreshed, time: later)
        #expect(second.headerValues("Authorization").count == 1)
        #expect(second.headerValues("X-Amz-Date") == [later.amzDate])
        #expect(second.headerValues("X-Amz-Security-Token") == ["token-2"])
        #expect(second == signer.sign(Self.request, credentials: refreshed, time: later))

        // Re-signing with long-term keys drops the stale token.
        let third = signer.sign(second, credentials: Self.credentials, time: later)
        #expect(third.headerValues("X-Amz-Security-Token").isEmpty)
        #expect(third == signer.sign(Self.request, credentials: Self.credentials, time: later))

        // Whatever case the old headers were written in.
        var odd = Self.request
        odd.headers += [HTTPHeader("authorization", "old"), HTTPHeader("X-AMZ-DATE", "19990101T000000Z"), HTTPHeader("x-amz-security-token", "t")]
        #expect(signer.sign(odd, credentials: Self.credentials, time: Self.time) == signer.sign(Self.request, credentials: Self.credentials, time: Self.time))
    }

    @Test func signingDoesNotTouchOtherHeadersOrBody() {
        let signer = SigV4Signer(service: "servicecatalog", region: "us-east-1")
        let signed = signer.sign(Self.request, credentials: Self.credentials, time: Self.time)
        #expect(Array(signed.headers.prefix(4)) == Self.request.headers)
        #expect(signed.headers.dropFirst(4).map(\.name) == ["X-Amz-Date", "Authorization"])
        #expect(signed.body == Self.request.body)
        #expect(signed.method == "POST" && signed.path == "/" && signed.query == "")
        // Content-Length is sent but not signed.
        #expect(signed.headerValue("authorization")!.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"))
    }

    @Test func signatureDependsOnEveryInput() {
        let signer = SigV4Signer(service: "servicecatalog", region: "us-east-1")
        let base = signer.signing(Self.request, credentials: Self.credentials, time: Self.time).signature
        var body = Self.request
        body.body = Array(#"{ }"#.utf8)
        var header = Self.request
        header.headers[2].value = "AWS242ServiceCatalogService.DescribeProvisionedProductPlan"
        var path = Self.request
        path.path = "/custom/"
        let variants = [
            signer.signing(body, credentials: Self.credentials, time: Self.time).signature,
            signer.signing(header, credentials: Self.credentials, time: Self.time).signature,
            signer.signing(path, credentials: Self.credentials, time: Self.time).signature,
            signer.signing(Self.request, credentials: Self.credentials, time: Self.time.adding(seconds: 1)).signature,
            SigV4Signer(service: "servicecatalog", region: "eu-west-1").signing(Self.request, credentials: Self.credentials, time: Self.time).signature,
            signer.signing(Self.request, credentials: Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "other"), time: Self.time).signature,
        ]
        #expect(Set(variants + [base]).count == variants.count + 1)
        // User-Agent and Content-Length do not change it.
        var unsigned = Self.request
        unsigned.headers.append(HTTPHeader("User-Agent", "x"))
        unsigned.headers[3].value = "999"
        #expect(signer.signing(unsigned, credentials: Self.credentials, time: Self.time).signature == base)
    }

    // MARK: secrets never printed

    @Test func credentialsDescriptionHidesSecrets() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        let token = "FwoGZXIvYXdzEXAMPLETOKEN"
        let withToken = Credentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: secret, sessionToken: token, expiration: 1e9)
        let withoutToken = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret)
        for c in [withToken, withoutToken] {
            let texts = [c.description, c.debugDescription, "\(c)", String(describing: c), String(reflecting: c), "\([c])", "\(Optional(c) as Any)"]
            for text in texts {
                #expect(!text.contains(secret), "\(text)")
                #expect(!text.contains(token), "\(text)")
                #expect(!text.contains("EXAMPLEKEY"))
                #expect(text.contains(c.accessKeyId))
            }
        }
        #expect(withToken.description.contains("sessionToken: <redacted>"))
        #expect(withoutToken.description.contains("sessionToken: none"))
        let record = SigV4KeyRecord(secretAccessKey: secret, sessionToken: token)
        #expect(!"\(record)".contains(secret) && !"\(record)".contains(token))
    }

    @Test func signingDetailsHoldNoSecret() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        let s = SigV4Signer(service: "servicecatalog", region: "us-east-1")
            .signing(Self.request, credentials: Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret), time: Self.time)
        #expect(!"\(s)".contains(secret))
    }
}
