import SigV4
import Testing
@testable import EmulatorCore

/// The emulator's authentication (the SigV4 module's verifier behind the catalog's keys).
@Suite("SigV4 verification")
struct SignatureTests {
    /// botocore 1.43.11's worked example (research notes, awsjson11-protocol.md §4.3): a
    /// request signed by botocore with the suite credentials at 2015-08-30T12:36:00Z.
    static let botocoreBody = #"{"PlanName": "my-plan", "PlanType": "CLOUDFORMATION", "ProductId": "prod-abcdefghijklm", "ProvisionedProductName": "my-pp", "ProvisioningArtifactId": "pa-abcdefghijklm", "ProvisioningParameters": [{"Key": "InstanceType", "Value": "t3.micro"}], "IdempotencyToken": "00000000-0000-4000-8000-000000000000"}"#
    static let botocoreTime = Double(SigningTime(iso8601: "20150830T123600Z")!.secondsSince1970)
    static let goodSignature = "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2"
    static let tokenSignature = "3a0f17e3e19dbe502650dabfa8dd7ff8bc3e5a32d771a62c5c70a5ccc1f50730"
    static let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
    static let auth = Authenticator(region: "us-east-1", credentials: [
        CatalogCredential(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        CatalogCredential(accessKeyId: "ASIATEMP", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: token),
        CatalogCredential(accessKeyId: "ASIAOLD", secretAccessKey: "old", sessionToken: "t", expired: true),
    ])

    struct Req {
        var headers: [(name: String, value: String)]
        var body: [UInt8]
    }

    func botocoreRequest(signature: String, token: Bool = false, key: String = "AKIDEXAMPLE") -> Req {
        var headers: [(name: String, value: String)] = [
            ("X-Amz-Target", "AWS242ServiceCatalogService.CreateProvisionedProductPlan"),
            ("Content-Type", "application/x-amz-json-1.1"),
            ("User-Agent", "aws-cli/1.x botocore/1.43.11"),
            ("X-Amz-Date", "20150830T123600Z"),
        ]
        if token { headers.append(("X-Amz-Security-Token", Self.token)) }
        let signed = token ? "content-type;host;x-amz-date;x-amz-security-token;x-amz-target" : "content-type;host;x-amz-date;x-amz-target"
        headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=\(key)/20150830/us-east-1/servicecatalog/aws4_request, SignedHeaders=\(signed), Signature=\(signature)"))
        headers.append(("amz-sdk-invocation-id", "0b7c1f7e-0000-4000-8000-000000000000"))
        headers.append(("amz-sdk-request", "attempt=1"))
        headers.append(("Content-Length", "303"))
        headers.append(("Host", "servicecatalog.us-east-1.amazonaws.com"))
        return Req(headers: headers, body: Array(Self.botocoreBody.utf8))
    }

    func check(_ r: Req, now: Double = botocoreTime, auth: Authenticator = auth) -> ServiceError? {
        auth.check(method: "POST", path: "/", query: "", headers: r.headers, body: r.body, now: now)
    }

    @Test func acceptsBotocoreSignatures() {
        #expect(check(botocoreRequest(signature: Self.goodSignature), now: Self.botocoreTime + 60) == nil)
        #expect(check(botocoreRequest(signature: Self.tokenSignature, token: true, key: "ASIATEMP")) == nil)
    }

    @Test func badSignatureOrTamperedBody() {
        let e = check(botocoreRequest(signature: "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba3"))
        #expect(e?.code == "InvalidSignatureException")
        #expect(e?.status == 400)
        #expect(e?.message.hasPrefix("The request signature we calculated does not match the signature you provided.") == true)
        var r = botocoreRequest(signature: Self.goodSignature)
        r.body[10] = UInt8(ascii: "X")
        #expect(check(r)?.code == "InvalidSignatureException")
    }

    @Test func missingAuthorization() {
        var r = botocoreRequest(signature: "00")
        r.headers.removeAll { $0.name == "Authorization" }
        #expect(check(r)?.code == "MissingAuthenticationTokenException")
    }

    @Test func unknownAccessKey() {
        #expect(check(botocoreRequest(signature: Self.goodSignature, key: "AKIDUNKNOWN"))
            == ServiceError("UnrecognizedClientException", "The security token included in the request is invalid."))
    }

    @Test func missingOrUnexpectedSessionToken() {
        #expect(check(botocoreRequest(signature: Self.goodSignature, key: "ASIATEMP"))?.code == "UnrecognizedClientException")
        #expect(check(botocoreRequest(signature: Self.tokenSignature, token: true))?.code == "UnrecognizedClientException")
    }

    @Test func expiredToken() {
        var r = botocoreRequest(signature: "00", key: "ASIAOLD")
        r.headers.append(("X-Amz-Security-Token", "t"))
        #expect(check(r) == ServiceError("ExpiredTokenException", "The security token included in the request is expired"))
    }

    @Test func staleAndFutureDates() {
        let r = botocoreRequest(signature: Self.goodSignature)
        #expect(check(r, now: Self.botocoreTime + 300) == nil)
        let stale = check(r, now: Self.botocoreTime + 301)
        #expect(stale?.code == "InvalidSignatureException")
        #expect(stale?.message == "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)")
        let future = check(r, now: Self.botocoreTime - 301)
        #expect(future?.code == "InvalidSignatureException")
        #expect(future?.message.hasPrefix("Signature not yet current: 20150830T123600Z is still later than") == true)
    }

    @Test func regionComesFromTheCatalog() {
        let euWest = Authenticator(region: "eu-west-1", credentials: [CatalogCredential(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x")])
        let e = check(botocoreRequest(signature: Self.goodSignature), auth: euWest)
        #expect(e?.code == "InvalidSignatureException")
        #expect(e?.message.contains("Credential should be scoped to a valid region") == true)
    }

    @Test func malformedAuthorization() {
        var r = botocoreRequest(signature: "00")
        r.headers.removeAll { $0.name == "Authorization" }
        r.headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request"))
        #expect(check(r)?.code == "IncompleteSignatureException")
    }

    @Test func errorsNeverCarrySecrets() {
        for r in [botocoreRequest(signature: "00"), botocoreRequest(signature: "00", token: true, key: "ASIATEMP")] {
            let e = check(r)
            #expect(e != nil)
            #expect(e?.message.contains("wJalrXUtnFEMI") == false)
            #expect(e?.message.contains(Self.token) == false)
        }
    }
}
