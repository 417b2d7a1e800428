import Testing
@testable import EmulatorCore

@Suite("SigV4 verification")
struct SignatureTests {
    /// botocore 1.43.11's worked example (research notes, awsjson11-protocol.md §4.3): a
    /// request signed by botocore with the suite credentials at 2015-08-30T12:36:00Z.
    static let botocoreBody = #"{"PlanName": "my-plan", "PlanType": "CLOUDFORMATION", "ProductId": "prod-abcdefghijklm", "ProvisionedProductName": "my-pp", "ProvisioningArtifactId": "pa-abcdefghijklm", "ProvisioningParameters": [{"Key": "InstanceType", "Value": "t3.micro"}], "IdempotencyToken": "00000000-0000-4000-8000-000000000000"}"#
    static let botocoreTime = AmzDate.parse("20150830T123600Z")!
    static let check = SignatureCheck(region: "us-east-1", keys: [
        "AKIDEXAMPLE": .init(secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        "ASIATEMP": .init(secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                          sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"),
        "ASIAOLD": .init(secret: "old", sessionToken: "t", expired: true),
    ])

    func botocoreRequest(signature: String, token: Bool = false, key: String = "AKIDEXAMPLE") -> SignatureCheck.Request {
        var headers: [(name: String, value: String)] = [
            ("X-Amz-Target", "AWS242ServiceCatalogService.CreateProvisionedProductPlan"),
            ("Content-Type", "application/x-amz-json-1.1"),
            ("User-Agent", "aws-cli/1.x botocore/1.43.11"),
            ("X-Amz-Date", "20150830T123600Z"),
        ]
        if token { headers.append(("X-Amz-Security-Token", "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")) }
        let signed = token ? "content-type;host;x-amz-date;x-amz-security-token;x-amz-target" : "content-type;host;x-amz-date;x-amz-target"
        headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=\(key)/20150830/us-east-1/servicecatalog/aws4_request, SignedHeaders=\(signed), Signature=\(signature)"))
        headers.append(("amz-sdk-invocation-id", "0b7c1f7e-0000-4000-8000-000000000000"))
        headers.append(("amz-sdk-request", "attempt=1"))
        headers.append(("Content-Length", "303"))
        headers.append(("Host", "servicecatalog.us-east-1.amazonaws.com"))
        return SignatureCheck.Request(method: "POST", path: "/", headers: headers, body: Array(Self.botocoreBody.utf8))
    }

    @Test func acceptsBotocoreSignature() {
        let r = botocoreRequest(signature: "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2")
        #expect(Self.check.verify(r, now: Self.botocoreTime + 60) == .valid(accessKeyId: "AKIDEXAMPLE"))
    }

    @Test func acceptsBotocoreSignatureWithSessionToken() {
        let r = botocoreRequest(signature: "3a0f17e3e19dbe502650dabfa8dd7ff8bc3e5a32d771a62c5c70a5ccc1f50730", token: true, key: "ASIATEMP")
        #expect(Self.check.verify(r, now: Self.botocoreTime) == .valid(accessKeyId: "ASIATEMP"))
    }

    func rejection(_ r: SignatureCheck.Request, now: Double = botocoreTime) -> ServiceError? {
        if case .rejected(let e) = Self.check.verify(r, now: now) { return e }
        return nil
    }

    @Test func badSignature() {
        let e = rejection(botocoreRequest(signature: "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba3"))
        #expect(e?.code == "InvalidSignatureException")
        #expect(e?.status == 400)
        #expect(e?.message.hasPrefix("The request signature we calculated does not match the signature you provided.") == true)
        #expect(e?.message.contains("wJalrXUtnFEMI") == false)
    }

    @Test func tamperedBody() {
        var r = botocoreRequest(signature: "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2")
        r.body[10] = UInt8(ascii: "X")
        #expect(rejection(r)?.code == "InvalidSignatureException")
    }

    @Test func missingAuthorization() {
        var r = botocoreRequest(signature: "00")
        r.headers.removeAll { $0.name == "Authorization" }
        #expect(rejection(r) == ServiceError("MissingAuthenticationTokenException", "Missing Authentication Token"))
    }

    @Test func unknownAccessKey() {
        let e = rejection(botocoreRequest(signature: "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2", key: "AKIDUNKNOWN"))
        #expect(e == ServiceError("UnrecognizedClientException", "The security token included in the request is invalid."))
    }

    @Test func missingOrWrongSessionToken() {
        // The key needs a token but none was sent.
        let e = rejection(botocoreRequest(signature: "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2", key: "ASIATEMP"))
        #expect(e?.code == "UnrecognizedClientException")
        // A token with a long-term key.
        let f = rejection(botocoreRequest(signature: "3a0f17e3e19dbe502650dabfa8dd7ff8bc3e5a32d771a62c5c70a5ccc1f50730", token: true))
        #expect(f?.code == "UnrecognizedClientException")
    }

    @Test func expiredToken() {
        var r = botocoreRequest(signature: "00", key: "ASIAOLD")
        r.headers.append(("X-Amz-Security-Token", "t"))
        #expect(rejection(r) == ServiceError("ExpiredTokenException", "The security token included in the request is expired"))
    }

    @Test func staleAndFutureDates() {
        let r = botocoreRequest(signature: "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2")
        #expect(Self.check.verify(r, now: Self.botocoreTime + 300) == .valid(accessKeyId: "AKIDEXAMPLE"))
        let stale = rejection(r, now: Self.botocoreTime + 301)
        #expect(stale?.code == "InvalidSignatureException")
        #expect(stale?.message == "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)")
        let future = rejection(r, now: Self.botocoreTime - 301)
        #expect(future?.code == "InvalidSignatureException")
        #expect(future?.message.hasPrefix("Signature not yet current: 20150830T123600Z is still later than") == true)
    }

    @Test func wrongScope() {
        let check = SignatureCheck(region: "eu-west-1", keys: ["AKIDEXAMPLE": .init(secret: "x")])
        let r = botocoreRequest(signature: "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2")
        guard case .rejected(let e) = check.verify(r, now: Self.botocoreTime) else { Issue.record("accepted"); return }
        #expect(e.code == "InvalidSignatureException")
        #expect(e.message.contains("Credential should be scoped to a valid region"))
    }

    @Test func malformedAuthorization() {
        var r = botocoreRequest(signature: "00")
        r.headers.removeAll { $0.name == "Authorization" }
        r.headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request"))
        #expect(rejection(r)?.code == "IncompleteSignatureException")
    }

    @Test func amzDateRoundTrip() {
        #expect(AmzDate.format(Self.botocoreTime) == "20150830T123600Z")
        #expect(AmzDate.parse("20240229T235959Z").map(AmzDate.format) == "20240229T235959Z")
        #expect(AmzDate.parse("2015-08-30T12:36:00Z") == nil)
        #expect(AmzDate.format(0) == "19700101T000000Z")
    }

    @Test func canonicalPathAndQuery() {
        #expect(SigV4Math.canonicalPath("") == "/")
        #expect(SigV4Math.canonicalPath("/a/./b/../c//d") == "/a/c/d")
        #expect(SigV4Math.canonicalPath("/a b") == "/a%20b")
        #expect(SigV4Math.canonicalQuery("b=2&a=1&a=0") == "a=0&a=1&b=2")
    }
}
