import Testing
@testable import SigV4

/// AWS's own SigV4 test vectors (aws-c-auth's suite and botocore's copy of the older one),
/// checked at every step: signed header list, canonical request, string to sign, signature,
/// Authorization header, the complete signed header set, and the verifier's view.
@Suite("AWS SigV4 test vectors")
struct ConformanceVectorTests {
    @Test("vector", arguments: VectorCase.applicable)
    func vector(_ c: VectorCase) throws {
        let v = try c.load()
        let signer = SigV4Signer(service: v.service, region: v.region)
        let credentials = Credentials(
            accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey,
            sessionToken: v.tokenSigned ? v.token : nil)
        var request = v.request
        if v.signBody {
            // aws-c-auth's `sign_body`: the signer adds this header and signs it. botocore and
            // plancc never add it for JSON services; it is the test harness's job here.
            request.headers.append(HTTPHeader("X-Amz-Content-SHA256", sha256Hex(request.body)))
        }
        let signing = signer.signing(request, credentials: credentials, time: v.time)

        // Step 1: the headers to sign, from the request as it is at signing time.
        var atSigningTime = signing.request
        atSigningTime.removeHeaders(named: ["authorization"])
        var names = signer.headersToSign(atSigningTime)
        #expect(names == signing.signedHeaders)
        if VectorCase.signsContentLength.contains(c.id) {
            #expect(!names.contains("content-length"))
            #expect(atSigningTime.headerValue("Content-Length") != nil)
            names = (names + ["content-length"]).sorted()
        }

        // Steps 2-5: canonical request, string to sign, signing key, signature.
        let canonical = signer.canonicalRequest(atSigningTime, signedHeaders: names)
        #expect(canonical == v.canonicalRequest)
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, time: v.time)
        #expect(stringToSign == v.stringToSign)
        let key = signer.signingKey(secretAccessKey: v.secretAccessKey, time: v.time)
        let signature = signer.signature(stringToSign: stringToSign, signingKey: key)
        #expect(signature == v.signature)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(v.accessKeyId)/\(signer.credentialScope(v.time)), "
            + "SignedHeaders=\(names.joined(separator: ";")), Signature=\(signature)"
        #expect(authorization == v.authorization)

        // sign() itself, end to end.
        if !VectorCase.signsContentLength.contains(c.id) {
            #expect(signing.canonicalRequest == v.canonicalRequest)
            #expect(signing.stringToSign == v.stringToSign)
            #expect(signing.signature == v.signature)
            #expect(signing.authorization == v.authorization)
            var sent = signing.request
            if let token = v.token, !v.tokenSigned {
                sent.headers.append(HTTPHeader("X-Amz-Security-Token", token))
            }
            #expect(headerSet(sent.headers) == headerSet(v.signedRequest.headers))
        }

        // The verifier accepts AWS's own signed request...
        let lookup: (String) -> SigV4KeyRecord? = { id in
            id == v.accessKeyId ? SigV4KeyRecord(secretAccessKey: v.secretAccessKey, sessionToken: v.token) : nil
        }
        let verdict = SigV4Signer.verify(v.signedRequest, lookupKey: lookup, now: v.time)
        #expect(verdict == .valid(
            scope: SigV4CredentialScope(accessKeyId: v.accessKeyId, dateStamp: "20150830", region: v.region, service: v.service),
            signedHeaders: names))
        // ...and rejects it with one byte of the signature changed.
        var forged = v.signedRequest
        forged.removeHeaders(named: ["authorization"])
        let flipped = String(v.authorization.dropLast()) + (v.authorization.hasSuffix("0") ? "1" : "0")
        forged.headers.append(HTTPHeader("Authorization", flipped))
        #expect(SigV4Signer.verify(forged, lookupKey: lookup, now: v.time) == .signatureMismatch)
    }

    @Test("the skipped vectors are exactly the documented ones")
    func skippedAreDocumented() {
        #expect(VectorCase.all.count == 38 + 34)
        #expect(VectorCase.applicable.count == 32 + 34)
        #expect(Set(VectorCase.skipped.keys).isSubset(of: Set(VectorCase.all.map(\.id))))
        #expect(VectorCase.signsContentLength.isSubset(of: Set(VectorCase.applicable.map(\.id))))
    }

    /// Each skipped case really is out of scope: it says `normalize: false`, and the only thing
    /// that differs from what plancc produces is the path line of the canonical request.
    @Test("skipped vector differs only in the unnormalised path", arguments: VectorCase.all.filter { VectorCase.skipped[$0.id] != nil })
    func skippedDifferOnlyInPath(_ c: VectorCase) throws {
        let context = try readText(c.directory.appendingPathComponent("context.json"))
        #expect(context.contains("\"normalize\": false"))
        let v = try c.load()
        let signer = SigV4Signer(service: v.service, region: v.region)
        let s = signer.signing(v.request, credentials: Credentials(accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey), time: v.time)
        let ours = s.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        let theirs = v.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(ours.count == theirs.count)
        let differing = zip(ours, theirs).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(differing == [1])
        #expect(theirs[1] == Substring(uriEncode(v.request.path.utf8, keepSlash: true)))
    }
}
