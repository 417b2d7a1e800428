import Foundation
import Testing
@testable import SigV4

/// Fixtures/botocore.json: CreateProvisionedProductPlan requests signed by botocore's
/// SigV4Auth (scripts/sigv4/gen_botocore_fixtures.py). Every step must be byte-equal.
struct BotocoreFixture: Decodable, Sendable, CustomTestStringConvertible {
    struct Input: Decodable, Sendable {
        struct Creds: Decodable, Sendable {
            var access_key_id: String
            var secret_access_key: String
            var session_token: String?
        }
        var method: String
        var url: String
        var path: String
        var query: String
        var headers: [[String]]
        var body_base64: String
        var body_utf8: String
        var credentials: Creds
        var region: String
        var service: String
        var time: String
    }
    struct Output: Decodable, Sendable {
        var canonical_request: String
        var string_to_sign: String
        var signature: String
        var signed_headers: String
        var authorization: String
        var headers: [[String]]
    }
    var name: String
    var input: Input
    var output: Output

    var testDescription: String { name }

    struct File: Decodable {
        var botocore_version: String
        var cases: [BotocoreFixture]
    }

    static let file: File? = try? JSONDecoder().decode(
        File.self, from: Data(contentsOf: TestPaths.fixtures.appendingPathComponent("botocore.json")))
    static let all: [BotocoreFixture] = file?.cases ?? []

    var body: [UInt8] { [UInt8](Data(base64Encoded: input.body_base64) ?? Data()) }
    var credentials: Credentials {
        Credentials(
            accessKeyId: input.credentials.access_key_id,
            secretAccessKey: input.credentials.secret_access_key,
            sessionToken: input.credentials.session_token)
    }
    var request: SignableRequest {
        SignableRequest(
            method: input.method, path: input.path, query: input.query,
            headers: input.headers.map { HTTPHeader($0[0], $0[1]) }, body: body)
    }
}

@Suite("botocore fixtures")
struct BotocoreFixtureTests {
    @Test func fixtureFileIsComplete() throws {
        let file = try #require(BotocoreFixture.file)
        #expect(file.cases.count >= 60)
        #expect(Set(file.cases.map(\.input.region)).isSuperset(of: ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"]))
        #expect(file.cases.contains { $0.input.credentials.session_token != nil })
        #expect(file.cases.contains { $0.input.credentials.session_token == nil })
        #expect(file.cases.contains { $0.input.path == "/custom/" })
        #expect(file.cases.contains { $0.input.headers.contains(["Host", "127.0.0.1:4566"]) })
        #expect(file.cases.contains { $0.input.headers.contains(["Host", "servicecatalog-fips.us-east-1.amazonaws.com"]) })
        #expect(file.cases.contains { $0.input.headers.contains(["Host", "servicecatalog.cn-north-1.amazonaws.com.cn"]) })
        #expect(Set(file.cases.map(\.input.time)).count >= 3)
        for c in file.cases {
            #expect(c.body == Array(c.input.body_utf8.utf8), "\(c.name): body_base64 and body_utf8 disagree")
        }
    }

    @Test("botocore signature", arguments: BotocoreFixture.all)
    func matchesBotocore(_ c: BotocoreFixture) throws {
        let time = try #require(SigningTime(iso8601: c.input.time))
        let signer = SigV4Signer(service: c.input.service, region: c.input.region)
        let s = signer.signing(c.request, credentials: c.credentials, time: time)

        var atSigningTime = s.request
        atSigningTime.removeHeaders(named: ["authorization"])
        let names = signer.headersToSign(atSigningTime)
        #expect(names.joined(separator: ";") == c.output.signed_headers)
        let canonical = signer.canonicalRequest(atSigningTime, signedHeaders: names)
        #expect(canonical == c.output.canonical_request)
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, time: time)
        #expect(stringToSign == c.output.string_to_sign)
        let key = signer.signingKey(secretAccessKey: c.input.credentials.secret_access_key, time: time)
        #expect(signer.signature(stringToSign: stringToSign, signingKey: key) == c.output.signature)
        #expect(s.canonicalRequest == c.output.canonical_request)
        #expect(s.stringToSign == c.output.string_to_sign)
        #expect(s.signature == c.output.signature)
        #expect(s.authorization == c.output.authorization)
        #expect(s.request.headerValue("Authorization") == c.output.authorization)

        // botocore's headers after add_auth are ours too (botocore adds Host later, in its HTTP layer).
        var ours = s.request
        ours.removeHeaders(named: ["host"])
        #expect(ours.headers.map { [$0.name, $0.value] } == c.output.headers)

        // Headers that go on the wire but are never signed do not change the signature.
        var wire = c.request
        wire.headers.append(HTTPHeader("User-Agent", "plancc/9.9"))
        wire.headers.append(HTTPHeader("amz-sdk-invocation-id", "3e6f0b4e-0000-4000-8000-000000000000"))
        wire.headers.append(HTTPHeader("amz-sdk-request", "attempt=1; max=3"))
        wire.headers.append(HTTPHeader("Content-Length", String(c.body.count)))
        let signedWire = signer.signing(wire, credentials: c.credentials, time: time)
        #expect(signedWire.authorization == c.output.authorization)

        // And the emulator's verifier accepts it.
        let verdict = SigV4Signer.verify(
            signedWire.request,
            lookupSecret: { $0 == c.input.credentials.access_key_id ? (c.input.credentials.secret_access_key, c.input.credentials.session_token) : nil },
            now: time)
        #expect(verdict.isValid, "\(verdict.message)")
    }
}
