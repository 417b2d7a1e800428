import Testing
import PlanWire
import SigV4

@Suite struct WireTests {
    let credentials = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    let time = SigningTime(secondsSince1970: 1_440_938_160) // 2015-08-30T12:36:00Z

    /// botocore's worked example (research/awsjson11-protocol.md §4.3): same body bytes,
    /// same headers, same signature.
    @Test func matchesBotocoresWorkedExample() {
        let body = Array(#"{"PlanName": "my-plan", "PlanType": "CLOUDFORMATION", "ProductId": "prod-abcdefghijklm", "ProvisionedProductName": "my-pp", "ProvisioningArtifactId": "pa-abcdefghijklm", "ProvisioningParameters": [{"Key": "InstanceType", "Value": "t3.micro"}], "IdempotencyToken": "00000000-0000-4000-8000-000000000000"}"#.utf8)
        let request = makeRequest(operation: "CreateProvisionedProductPlan", body: body,
                                  target: RequestTarget(hostHeader: "servicecatalog.us-east-1.amazonaws.com"))
        let signed = signRequest(request, region: "us-east-1", credentials: credentials, time: time)
        #expect(signed.headerValue("Authorization") == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2")
        var temporary = credentials
        temporary.sessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
        let withToken = signRequest(request, region: "us-east-1", credentials: temporary, time: time)
        #expect(withToken.headerValue("Authorization")?.hasSuffix("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=3a0f17e3e19dbe502650dabfa8dd7ff8bc3e5a32d771a62c5c70a5ccc1f50730") == true)
    }

    /// Signing prepared once for a batch (what `compile --emit http` does) gives botocore's
    /// worked-example signature too, request after request, and keeps the secret out of its
    /// description.
    @Test func preparedSigningMatchesTheWorkedExample() {
        let body = Array(#"{"PlanName": "my-plan", "PlanType": "CLOUDFORMATION", "ProductId": "prod-abcdefghijklm", "ProvisionedProductName": "my-pp", "ProvisioningArtifactId": "pa-abcdefghijklm", "ProvisioningParameters": [{"Key": "InstanceType", "Value": "t3.micro"}], "IdempotencyToken": "00000000-0000-4000-8000-000000000000"}"#.utf8)
        let request = makeRequest(operation: "CreateProvisionedProductPlan", body: body,
                                  target: RequestTarget(hostHeader: "servicecatalog.us-east-1.amazonaws.com"))
        let signing = prepareSigning(region: "us-east-1", credentials: credentials, time: time)
        for _ in 0..<3 {
            #expect(signRequest(request, with: signing).headerValue("Authorization") == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/servicecatalog/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=3c69fb247053cd73cd10e1219d805a173f5202e69278a0bc58cd21a787977ba2")
        }
        var other = request
        other.body = Array("{}".utf8)
        #expect(signRequest(other, with: signing) == signRequest(other, region: "us-east-1", credentials: credentials, time: time))
        #expect(!"\(signing.prepared)".contains(credentials.secretAccessKey))
    }

    @Test func rendersARawHTTPMessage() {
        let request = makeRequest(operation: "CreateProvisionedProductPlan", body: Array("{\"a\":\"é\"}".utf8),
                                  target: RequestTarget(hostHeader: "127.0.0.1:4566", path: "/custom"))
        let signed = signRequest(request, region: "eu-west-1", credentials: credentials, time: time)
        let text = String(decoding: renderHTTP(signed), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "POST /custom/ HTTP/1.1")
        #expect(lines[1] == "Host: 127.0.0.1:4566")
        #expect(lines[2] == "Content-Type: application/x-amz-json-1.1")
        #expect(lines[3] == "X-Amz-Target: AWS242ServiceCatalogService.CreateProvisionedProductPlan")
        #expect(lines[4] == "X-Amz-Date: 20150830T123600Z")
        #expect(lines[5].hasPrefix("Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/servicecatalog/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="))
        #expect(lines[6] == "Content-Length: 10")
        #expect(lines[7] == "" && lines[8] == "{\"a\":\"é\"}")
        #expect(!text.contains(credentials.secretAccessKey))
    }
}

extension String {
    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: separator) {
            parts.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
