import Foundation
import Testing

/// `plancc compile --emit http`: signed raw HTTP/1.1 messages, reproducible with --signing-time.
@Suite struct EmitHTTPCommandTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN/with+chars=="
    let keys = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_REGION": "us-east-1"]

    @Test func examplesAsSignedHTTP() throws {
        let r = try PlanCC.run(["compile", "examples", "--emit", "http", "--signing-time", "2026-01-01T00:00:00Z"], environment: keys)
        #expect(r.status == 0, "\(r.stderr)")
        if let d = PlanCC.golden(r.stdout, "examples.http") { Issue.record(Comment(rawValue: d)) }
        #expect(!r.stdout.contains(Self.secret) && !r.stderr.contains(Self.secret))
        // Same order and bodies as --emit json: each message's body is the JSON line.
        let json = try PlanCC.run(["compile", "examples"]).stdout.split(separator: "\n")
        let bodies = r.stdout.components(separatedBy: "\r\n\r\n").dropFirst().map { part in
            String(part.prefix(while: { $0 != "P" || !part.hasPrefix("POST") }))
        }
        #expect(bodies.count == json.count)
        for (body, line) in zip(bodies, json) { #expect(body.hasPrefix(String(line))) }
    }

    @Test func temporaryCredentialsSignTheToken() throws {
        var env = keys
        env["AWS_SESSION_TOKEN"] = Self.token
        let r = try PlanCC.run(["compile", "examples/web/web-prod.plan.yaml", "--emit", "http", "--signing-time", "20260101T000000Z", "--region", "cn-north-1"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Host: servicecatalog.cn-north-1.amazonaws.com.cn\r\n"))
        #expect(r.stdout.contains("X-Amz-Security-Token: \(Self.token)\r\n"))
        #expect(r.stdout.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="))
        #expect(!r.stdout.contains(Self.secret))
    }

    @Test func endpointURLKeepsItsPath() throws {
        let r = try PlanCC.run(["compile", "examples/web/web-prod.plan.yaml", "--emit", "http", "--endpoint-url", "http://127.0.0.1:4566/custom"], environment: keys)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("POST /custom/ HTTP/1.1\r\nHost: 127.0.0.1:4566\r\n"))
        let env = try PlanCC.run(["compile", "examples/web/web-prod.plan.yaml", "--emit", "http"], environment: keys.merging(["AWS_ENDPOINT_URL_SERVICE_CATALOG": "https://sc.example.com/x"]) { $1 })
        #expect(env.stdout.hasPrefix("POST /x/ HTTP/1.1\r\nHost: sc.example.com\r\n"))
    }

    @Test func plainHTTPNeedsLoopbackOrAnExplicitFlag() throws {
        let r = try PlanCC.run(["compile", "examples/web/web-prod.plan.yaml", "--emit", "http", "--endpoint-url", "http://sc.example.com"], environment: keys)
        #expect(r.status == 2)
        #expect(r.stderr.contains("http"))
        #expect(r.stdout == "")
        let allowed = try PlanCC.run(["compile", "examples/web/web-prod.plan.yaml", "--emit", "http", "--endpoint-url", "http://sc.example.com", "--allow-http"], environment: keys)
        #expect(allowed.status == 0)
    }

    @Test func noCredentialsListsWhatWasTried() throws {
        let r = try PlanCC.run(["compile", "examples", "--emit", "http", "--region", "us-east-1"])
        #expect(r.status == 3)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("plancc: error: no AWS credentials found; tried"))
        #expect(r.stderr.contains("environment: AWS_ACCESS_KEY_ID is not set"))
    }

    @Test func noRegion() throws {
        let r = try PlanCC.run(["compile", "examples", "--emit", "http"], environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": Self.secret])
        #expect(r.status == 3)
        #expect(r.stderr.contains("no region: tried --region, AWS_REGION, AWS_DEFAULT_REGION"))
    }

    @Test func credentialsFromAProfile() throws {
        let dir = try PlanCC.temporaryDirectory()
        try "[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = \(Self.secret)\n".write(toFile: dir + "/credentials", atomically: true, encoding: .utf8)
        try "[profile ci]\nregion = eu-central-1\n".write(toFile: dir + "/config", atomically: true, encoding: .utf8)
        let r = try PlanCC.run(["compile", "examples/web", "--emit", "http", "--profile", "ci", "--signing-time", "2026-01-01T00:00:00Z"],
                               environment: ["AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials", "AWS_CONFIG_FILE": dir + "/config"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Credential=AKIDPROFILE/20260101/eu-central-1/servicecatalog/aws4_request"))
        let missing = try PlanCC.run(["compile", "examples/web", "--emit", "http", "--profile", "nope"],
                                     environment: ["AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials", "AWS_CONFIG_FILE": dir + "/config"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope"))
    }

    @Test func badSigningTimeIsAUsageError() throws {
        let r = try PlanCC.run(["compile", "examples", "--emit", "http", "--signing-time", "yesterday"], environment: keys)
        #expect(r.status == 2)
        #expect(r.stderr.contains("--signing-time 'yesterday' is not an ISO 8601 time"))
        #expect(try PlanCC.run(["compile", "examples", "--region", "us-east-1"]).status == 2)
    }

    @Test func outDirectoryHoldsOneMessagePerDocument() throws {
        let dir = try PlanCC.temporaryDirectory()
        let r = try PlanCC.run(["compile", "examples", "--emit", "http", "--out", dir, "--signing-time", "2026-01-01T00:00:00Z"], environment: keys)
        #expect(r.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["data-pipeline.http", "network-baseline-zrh.http", "web-dev.http", "web-prod.http", "web-staging.http"])
    }
}
