import Testing
@testable import SigV4

/// The worked example of shared/research/awsjson11-protocol.md §4.3: a real
/// CreateProvisionedProductPlan request signed by botocore 1.43.11 with a frozen clock.
@Suite("botocore worked example (awsjson11-protocol.md §4.3)")
struct WorkedExampleTests {
    static let body = #"{"PlanName": "my-plan", "PlanType": "CLOUDFORMATION", "ProductId": "prod-abcdefghijklm", "ProvisionedProductName": "my-pp", "ProvisioningArtifactId": "pa-abcdefghijklm", "ProvisioningParameters": [{"Key": "InstanceType", "Value": "t3.micro"}], "IdempotencyToken": "00000000-0000-4000-8000-000000000000"}"#
    static let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
    static let signer = SigV4Signer(service: "servicecatalog", region: "us-east-1")

    /// The request as it goes on the wire, including headers that must stay unsigned.
    static var request: SignableRequest {
        SignableRequest(
            method: "POST", path: "/",
            headers: [
                HTTPHeader("Host", "servicecatalog.us-east-1.amazonaws.com"),
                HTTPHeader("X-Amz-Target", "AWS242ServiceCatalogService.CreateProvisionedProductPlan"),
                HTTPHeader("Content-Type", "application/x-amz-json-1.1"),
                HTTPHeader("User-Agent", "aws-cli/1.44.0 md/Botocore#1.43.11"),
                HTTPHeader("amz-sdk-invocation-id", "c0b2a4a5-9a61-4f5c-9a57-3c2b5d1f1e11"),
                HTTPHeader("amz-sdk-request", "attempt=1"),
                HTTPHeader("Content-Length", "303"),
            ],
            body: Array(body.utf8))
    }

    @Test func bodyIsTheDocumentedBytes() {
        #expect(Self.body.utf8.count == 303)
        #expect(sha256Hex(Array(Self.body.utf8)) == "ac78d642344fb51da54a5436a8758ff4271a27239fe608e595d7e1e883e9c61c")
    }

    @Test func withoutSessionToken() {
        let credentials = Credentials(accessKeyId: ExampleKeys.accessKeyId, secretAccessKey: ExampleKeys.secretAccessKey)
        let s = Self.signer.signing(Self.request, credentials: credentials, time: ExampleKeys.time)
        #expect(s.canonicalRequest == """
            POST
            /

            content-type:application/x-amz-json-1.1
            host:servicecatalog.us-east-1.amazonaws.com
            x-amz-date:20150830T123600Z
            x-amz-target:AWS242ServiceCatalogService.CreateProvisionedProductPlan

            content-type;host;x-amz-date;x-amz-target
            ac78d642344fb51da54a5436a8758ff4271a27239fe608e595d7e1e883e9c61c
            """)
        // The document's "string-to-sign hash" is the hash of the canonical request, the last line
        // of the string to sign.
        #expect(s.stringToSign == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/servicecatalog/aws4_request
            b59556ee35e5f6d2e196c57692f257fa4212779b16f6db56054b8c3b7777fe4d
            """)
        #expect(s.signature == "3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2")
        #expect(s.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            + "Signature=3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2")
        // Headers added at the end, in botocore's order; nothing else changed.
        #expect(Array(s.request.headers.prefix(7)) == Self.request.headers)
        #expect(s.request.headers.dropFirst(7).map(\.name) == ["X-Amz-Date", "Authorization"])
        #expect(s.request.headerValue("x-amz-date") == "20150830T123600Z")
    }

    @Test func withSessionToken() {
        let credentials = Credentials(
            accessKeyId: ExampleKeys.accessKeyId, secretAccessKey: ExampleKeys.secretAccessKey, sessionToken: Self.token)
        let s = Self.signer.signing(Self.request, credentials: credentials, time: ExampleKeys.time)
        #expect(s.canonicalRequest == """
            POST
            /

            content-type:application/x-amz-json-1.1
            host:servicecatalog.us-east-1.amazonaws.com
            x-amz-date:20150830T123600Z
            x-amz-security-token:\(Self.token)
            x-amz-target:AWS242ServiceCatalogService.CreateProvisionedProductPlan

            content-type;host;x-amz-date;x-amz-security-token;x-amz-target
            ac78d642344fb51da54a5436a8758ff4271a27239fe608e595d7e1e883e9c61c
            """)
        #expect(s.signedHeaders == ["content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"])
        #expect(s.stringToSign.hasSuffix("/servicecatalog/aws4_request\ne862b2a5e0c3c16dd3cfdc5a6eec01be9a8f9840bba6bf74449f8e01d85de755"))
        #expect(s.signature == "3a0f17e3e19dbe502650dabfa8dd7ff8bc3e5a32d771a62c5c70a5ccc1f50730")
        #expect(s.request.headers.dropFirst(7).map(\.name) == ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(s.request.headerValue("X-Amz-Security-Token") == Self.token)
    }
}
