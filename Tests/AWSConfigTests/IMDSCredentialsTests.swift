import Testing
import Synchronization
@testable import AWSConfig

/// EC2 instance metadata against a loopback IMDS stand-in
/// (AWS_EC2_METADATA_SERVICE_ENDPOINT points at it).
@Suite struct IMDSCredentialsTests {
    struct Behaviour: Sendable {
        var tokenStatus = 200
        var roleStatus = 200
        var roleBody = "deploy-role\n"
        var credentialsStatus = 200
        var credentialsBody = credentialsJSON(keyId: "ASIAIMDS", secret: "imds-secret", token: "imds-token", expiration: t0 + 6 * 3600)
        var delay: Double = 0
    }

    static func imds(_ behaviour: Behaviour) async throws -> StandIn {
        try await StandIn.start { request in
            let d = behaviour.delay
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"):
                guard request.header("x-aws-ec2-metadata-token-ttl-seconds") == "21600" else { return StandInResponse(status: 400, delay: d) }
                return StandInResponse(status: behaviour.tokenStatus, body: behaviour.tokenStatus == 200 ? "IMDS-TOKEN" : "", delay: d)
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                if behaviour.tokenStatus == 200, request.header("x-aws-ec2-metadata-token") != "IMDS-TOKEN" { return StandInResponse(status: 401, delay: d) }
                return StandInResponse(status: behaviour.roleStatus, body: behaviour.roleStatus == 200 ? behaviour.roleBody : "", delay: d)
            case ("GET", "/latest/meta-data/iam/security-credentials/deploy-role"):
                if behaviour.tokenStatus == 200, request.header("x-aws-ec2-metadata-token") != "IMDS-TOKEN" { return StandInResponse(status: 401, delay: d) }
                return StandInResponse(status: behaviour.credentialsStatus, body: behaviour.credentialsBody, delay: d)
            default:
                return StandInResponse(status: 404)
            }
        }
    }

    func resolve(_ server: StandIn, _ env: [String: String] = [:], config: String = "", options: CredentialsOptions = testOptions()) async throws -> ResolvedCredentials {
        let sandbox = Sandbox()
        sandbox.config(config)
        let configuration = try sandbox.configuration(
            // A generous timeout (botocore's default is 1 s) so a busy machine cannot fail the
            // tests that expect an answer; tests of the timeout set their own.
            ["AWS_METADATA_SERVICE_TIMEOUT": "10"].merging(env) { $1 }
                .merging(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL]) { $1 }, clock: TestClock(t0), keepIMDS: true)
        return try await DefaultCredentialsChain(configuration: configuration, region: nil, options: options).resolve()
    }

    @Test func v2TokenFlow() async throws {
        let server = try await Self.imds(Behaviour())
        defer { Task { await server.stop() } }
        let resolved = try await resolve(server)
        #expect(resolved.source == "imds (role deploy-role)")
        #expect(resolved.credentials == Credentials(accessKeyId: "ASIAIMDS", secretAccessKey: "imds-secret", sessionToken: "imds-token", expiration: t0 + 6 * 3600))
        let requests = server.requests
        #expect(requests.map { "\($0.method) \($0.path)" } == [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/deploy-role",
        ])
        #expect(requests[1].header("x-aws-ec2-metadata-token") == "IMDS-TOKEN")
        #expect(requests[2].header("x-aws-ec2-metadata-token") == "IMDS-TOKEN")
    }

    @Test(arguments: [403, 404, 405])
    func tokenRefusalFallsBackToV1(status: Int) async throws {
        let server = try await Self.imds(Behaviour(tokenStatus: status))
        defer { Task { await server.stop() } }
        let resolved = try await resolve(server)
        #expect(resolved.credentials.accessKeyId == "ASIAIMDS")
        let requests = server.requests
        #expect(requests.count == 3)
        #expect(requests[1].header("x-aws-ec2-metadata-token") == nil)
        #expect(requests[2].header("x-aws-ec2-metadata-token") == nil)
    }

    @Test func tokenBadRequestIsFatal() async throws {
        let server = try await Self.imds(Behaviour(tokenStatus: 400))
        defer { Task { await server.stop() } }
        let error = await thrownError { _ = try await resolve(server) }
        #expect(error == .credentials(source: "imds", failure: .httpStatus(400, url: server.baseURL + "/latest/api/token", detail: "the IMDSv2 token request was rejected")))
        #expect(server.requests.count == 1)
    }

    @Test func v1CanBeDisabled() async throws {
        let server = try await Self.imds(Behaviour(tokenStatus: 405))
        defer { Task { await server.stop() } }
        let error = await thrownError { _ = try await resolve(server, ["AWS_EC2_METADATA_V1_DISABLED": "true"]) }
        #expect(error == .credentials(source: "imds", failure: .invalidConfiguration("no IMDSv2 token (HTTP 405) and IMDSv1 is disabled by AWS_EC2_METADATA_V1_DISABLED")))
        let fromProfile = await thrownError { _ = try await resolve(server, config: "[default]\nec2_metadata_v1_disabled = true\n") }
        #expect(fromProfile?.description.contains("IMDSv1 is disabled by ec2_metadata_v1_disabled in profile 'default'") == true)
        #expect(server.requests.allSatisfy { $0.method == "PUT" })
    }

    @Test func disabledAndUnreachableAreNotErrorsOfTheirOwn() async throws {
        let sandbox = Sandbox()
        let disabled = try await imdsLookup(ChainContext(configuration: try sandbox.configuration(), region: nil, options: testOptions()))
        guard case .notConfigured("disabled by AWS_EC2_METADATA_DISABLED") = disabled else {
            Issue.record("expected disabled")
            return
        }
        // Nothing listens on the port: the chain goes on and reports it.
        let url = "http://127.0.0.1:1"
        let configuration = try sandbox.configuration(["AWS_EC2_METADATA_SERVICE_ENDPOINT": url], keepIMDS: true)
        let error = await thrownError { _ = try await DefaultCredentialsChain(configuration: configuration, region: nil, options: testOptions()).resolve() }
        guard case .noCredentials(let tried)? = error else {
            Issue.record("expected noCredentials, got \(String(describing: error))")
            return
        }
        #expect(tried.last?.source == "imds")
        #expect(tried.last?.reason.contains("cannot connect to \(url)/latest/meta-data/iam/security-credentials/") == true)
    }

    @Test func timeoutMeansNoMetadataService() async throws {
        let server = try await Self.imds(Behaviour(delay: 8))
        defer { Task { await server.stop() } }
        let started = AWSEnvironment.systemClock()
        let error = await thrownError { _ = try await resolve(server, ["AWS_METADATA_SERVICE_TIMEOUT": "0.2"]) }
        guard case .noCredentials(let tried)? = error else {
            Issue.record("expected noCredentials, got \(String(describing: error))")
            return
        }
        #expect(tried.last?.reason == "no response from \(server.baseURL)/latest/meta-data/iam/security-credentials/ within 0.2 s")
        #expect(AWSEnvironment.systemClock() - started < 6)
    }

    @Test func noRoleAttached() async throws {
        let server = try await Self.imds(Behaviour(roleStatus: 404))
        defer { Task { await server.stop() } }
        let error = await thrownError { _ = try await resolve(server) }
        guard case .noCredentials(let tried)? = error else {
            Issue.record("expected noCredentials")
            return
        }
        #expect(tried.last?.reason == "no IAM role is attached to this instance (HTTP 404 from \(server.baseURL)/latest/meta-data/iam/security-credentials/)")
    }

    @Test func brokenAnswersAreErrors() async throws {
        let cases: [(Behaviour, String)] = [
            (Behaviour(credentialsBody: "{\"AccessKeyId\": "), "credentials from imds: malformed response: the answer from BASE/latest/meta-data/iam/security-credentials/deploy-role is not JSON (unexpected end of input)"),
            (Behaviour(credentialsStatus: 500), "credentials from imds: HTTP 500 from BASE/latest/meta-data/iam/security-credentials/deploy-role"),
            (Behaviour(roleStatus: 500), "credentials from imds: HTTP 500 from BASE/latest/meta-data/iam/security-credentials/"),
            (Behaviour(credentialsBody: #"{"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role"}"#), "credentials from imds: AssumeRoleUnauthorizedAccess (HTTP 200): EC2 cannot assume the role"),
            (Behaviour(credentialsBody: credentialsJSON(keyId: "A", secret: "s", token: "t", expiration: t0 - 1)), "credentials from imds (role deploy-role): returned credentials that expired at 2025-12-31T23:59:59Z (now 2026-01-01T00:00:00Z)"),
        ]
        for (behaviour, expected) in cases {
            let server = try await Self.imds(behaviour)
            let error = await thrownError { _ = try await resolve(server) }
            await server.stop()
            #expect(error?.description == expected.replacingFirst("BASE", with: server.baseURL, all: false))
        }
    }

    @Test func attemptsSetting() async throws {
        let server = try await Self.imds(Behaviour(credentialsStatus: 500))
        defer { Task { await server.stop() } }
        _ = await thrownError { _ = try await resolve(server, config: "[default]\nmetadata_service_num_attempts = 3\n") }
        #expect(server.requests.filter { $0.path.hasSuffix("deploy-role") }.count == 3)
    }

    @Test func settings() throws {
        let sandbox = Sandbox()
        func settings(_ env: [String: String], config: String = "") throws -> IMDSSettings {
            sandbox.config(config)
            return try imdsSettings(ChainContext(configuration: try sandbox.configuration(env, keepIMDS: true), region: nil, options: testOptions()))
        }
        let defaults = try settings([:])
        #expect(defaults == IMDSSettings(disabled: false, baseURL: "http://169.254.169.254/", timeout: 1, attempts: 1, v1Disabled: false, v1DisabledBy: ""))
        #expect(try settings(["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"]).baseURL == "http://[fd00:ec2::254]/")
        #expect(try settings([:], config: "[default]\nec2_metadata_service_endpoint_mode = ipv6\n").baseURL == "http://[fd00:ec2::254]/")
        #expect(try settings(["AWS_IMDS_USE_IPV6": "true"]).baseURL == "http://[fd00:ec2::254]/")
        #expect(try settings(["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://10.0.0.1:1338"]).baseURL == "http://10.0.0.1:1338")
        #expect(try settings(["AWS_EC2_METADATA_DISABLED": "TRUE"]).disabled)
        #expect(try !settings(["AWS_EC2_METADATA_DISABLED": "1"]).disabled)
        #expect(throws: AWSConfigError.credentials(source: "imds", failure: .invalidConfiguration("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is 'ipv5'; use IPv4 or IPv6"))) {
            try settings(["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv5"])
        }
        #expect(throws: AWSConfigError.self) { try settings(["AWS_METADATA_SERVICE_TIMEOUT": "soon"]) }
        #expect(throws: AWSConfigError.self) { try settings(["AWS_METADATA_SERVICE_NUM_ATTEMPTS": "0"]) }
        #expect(throws: AWSConfigError.self) { try settings(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "not a url"]) }
    }
}
