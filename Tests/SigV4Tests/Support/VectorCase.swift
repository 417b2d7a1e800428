import Foundation
import Testing
@testable import SigV4

/// One case of AWS's SigV4 test suite, in either of its two layouts (see Vectors/sigv4/README.md).
struct VectorCase: Sendable, CustomTestStringConvertible {
    enum Suite: String, Sendable {
        /// `Vectors/sigv4/<case>/`: aws-c-auth's `tests/aws-signing-test-suite/v4`.
        case awsCAuth = "aws-c-auth"
        /// `Vectors/sigv4-aws4_testsuite/…/<case>/<case>.req`: botocore's copy of the older suite.
        case aws4TestSuite = "aws4_testsuite"
    }

    var suite: Suite
    var name: String
    var directory: URL

    var id: String { suite.rawValue + "/" + name }
    var testDescription: String { id }

    /// Cases that do not apply to a non-S3 service signed with the Authorization header.
    /// (The `query-*` files of every aws-c-auth case, for presigned URLs, are not used at all:
    /// plancc only signs with the Authorization header.)
    /// `get-space-unnormalized` also says `normalize: false`, but its path has nothing to
    /// normalise, so it applies and runs.
    static let skipped: [String: String] = [
        "aws-c-auth/get-relative-unnormalized": unnormalizedReason,
        "aws-c-auth/get-relative-relative-unnormalized": unnormalizedReason,
        "aws-c-auth/get-slash-unnormalized": unnormalizedReason,
        "aws-c-auth/get-slash-dot-slash-unnormalized": unnormalizedReason,
        "aws-c-auth/get-slash-pointless-dot-unnormalized": unnormalizedReason,
        "aws-c-auth/get-slashes-unnormalized": unnormalizedReason,
    ]
    static let unnormalizedReason =
        "normalize: false is S3's rule; botocore (and plancc) always normalise the path for other services"

    /// Known defects in the copied data, worked around (not edited) in `load()`.
    static let knownDataDefects: [String: String] = [
        "aws4_testsuite/get-vanilla-with-session-token":
            "the .sreq file's Signature is a garbled piece of the session token; the .authz file has the right one",
    ]

    /// aws-c-auth cases that sign `Content-Length`, which plancc never signs (botocore never sees
    /// it at signing time). They are checked step by step with `content-length` added to the
    /// signed header list by hand, after checking that `headersToSign` leaves it out.
    static let signsContentLength: Set<String> = [
        "aws-c-auth/post-x-www-form-urlencoded",
        "aws-c-auth/post-x-www-form-urlencoded-parameters",
    ]

    static let all: [VectorCase] = discover()
    static let applicable: [VectorCase] = all.filter { skipped[$0.id] == nil }

    private static func discover() -> [VectorCase] {
        let fm = FileManager.default
        var cases: [VectorCase] = []
        let newRoot = TestPaths.vectors.appendingPathComponent("sigv4")
        for name in (try? fm.contentsOfDirectory(atPath: newRoot.path)) ?? [] {
            let dir = newRoot.appendingPathComponent(name)
            if fm.fileExists(atPath: dir.appendingPathComponent("context.json").path) {
                cases.append(VectorCase(suite: .awsCAuth, name: name, directory: dir))
            }
        }
        let oldRoot = TestPaths.vectors.appendingPathComponent("sigv4-aws4_testsuite")
        if let walker = fm.enumerator(atPath: oldRoot.path) {
            for case let relative as String in walker where relative.hasSuffix(".req") {
                let file = oldRoot.appendingPathComponent(relative)
                let name = file.deletingPathExtension().lastPathComponent
                // Name nested cases by their folder path, e.g. normalize-path/get-space.
                let folder = file.deletingLastPathComponent().path.dropFirst(oldRoot.path.count + 1)
                cases.append(VectorCase(suite: .aws4TestSuite, name: String(folder.isEmpty ? Substring(name) : folder), directory: file.deletingLastPathComponent()))
            }
        }
        return cases.sorted { $0.id < $1.id }
    }

    struct Loaded {
        var request: SignableRequest
        var accessKeyId: String
        var secretAccessKey: String
        /// The session token the server knows, if any.
        var token: String?
        /// True when the token is signed (added before signing); false when it is added after.
        var tokenSigned: Bool
        var region: String
        var service: String
        var time: SigningTime
        var signBody: Bool
        var canonicalRequest: String
        var stringToSign: String
        var signature: String
        var authorization: String
        var signedRequest: SignableRequest
    }

    func load() throws -> Loaded {
        switch suite {
        case .awsCAuth: return try loadNew()
        case .aws4TestSuite: return try loadOld()
        }
    }

    private func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    private func loadNew() throws -> Loaded {
        let context = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file("context.json"))) as? [String: Any])
        let credentials = try #require(context["credentials"] as? [String: Any])
        let signedRequest = parseRawRequest(try readBytes(file("header-signed-request.txt")))
        let timestamp = try #require(context["timestamp"] as? String)
        return Loaded(
            request: parseRawRequest(try readBytes(file("request.txt"))),
            accessKeyId: try #require(credentials["access_key_id"] as? String),
            secretAccessKey: try #require(credentials["secret_access_key"] as? String),
            token: credentials["token"] as? String,
            tokenSigned: !((context["omit_session_token"] as? Bool) ?? false),
            region: try #require(context["region"] as? String),
            service: try #require(context["service"] as? String),
            time: try #require(SigningTime(iso8601: timestamp)),
            signBody: (context["sign_body"] as? Bool) ?? false,
            canonicalRequest: try readText(file("header-canonical-request.txt")),
            stringToSign: try readText(file("header-string-to-sign.txt")),
            signature: try readText(file("header-signature.txt")),
            authorization: try #require(signedRequest.headerValue("Authorization")),
            signedRequest: signedRequest)
    }

    private func loadOld() throws -> Loaded {
        let base = directory.lastPathComponent
        func part(_ ext: String) throws -> String { try readText(file(base + "." + ext)) }
        let canonical = try part("creq")
        // The old layout has no context file: the fixed inputs are the suite's, and the token
        // is signed exactly when it appears in the canonical request. post-sts-header-after
        // adds it only to the signed request.
        var signedRequest = parseRawRequest(Array(try part("sreq").utf8))
        let authorization = try part("authz")
        if VectorCase.knownDataDefects[id] != nil {
            #expect(signedRequest.headerValue("Authorization").map(trimAll) != authorization)
            signedRequest.removeHeaders(named: ["authorization"])
            signedRequest.headers.append(HTTPHeader("Authorization", authorization))
        }
        let signedToken = canonical.split(separator: "\n").first { $0.hasPrefix("x-amz-security-token:") }
            .map { String($0.dropFirst("x-amz-security-token:".count)) }
        return Loaded(
            request: parseRawRequest(Array(try part("req").utf8)),
            accessKeyId: ExampleKeys.accessKeyId,
            secretAccessKey: ExampleKeys.secretAccessKey,
            token: signedToken ?? signedRequest.headerValue("X-Amz-Security-Token"),
            tokenSigned: signedToken != nil,
            region: "us-east-1",
            service: "service",
            time: ExampleKeys.time,
            signBody: false,
            canonicalRequest: canonical,
            stringToSign: try part("sts"),
            signature: String(try part("authz").split(separator: "=").last ?? ""),
            authorization: authorization,
            signedRequest: signedRequest)
    }
}
