import Testing
import Synchronization
@testable import AWSConfig
import SigV4

/// Web identity and assume-role profiles against a loopback STS stand-in
/// (AWS_ENDPOINT_URL_STS points at it).
@Suite struct STSCredentialsTests {
    /// An STS stand-in answering both actions; each answer gets a numbered key id.
    static func sts(expiration: Double = t0 + 3600, _ override: (@Sendable (RecordedRequest) -> StandInResponse?)? = nil) async throws -> StandIn {
        let counter = Counter()
        return try await StandIn.start { request in
            if let response = override?(request) { return response }
            let n = counter.next()
            let action = request.form["Action"] ?? "?"
            return StandInResponse(body: stsSuccess(
                action: action, keyId: "ASIASTS\(n)", secret: "sts-secret-\(n)", token: "sts-token-\(n)", expiration: expiration))
        }
    }

    // MARK: Web identity

    @Test func webIdentityFromEnvironment() async throws {
        let server = try await Self.sts()
        defer { Task { await server.stop() } }
        let sandbox = Sandbox()
        let tokenFile = sandbox.write("token", "header.payload.signature\n")
        let clock = TestClock(t0)
        let configuration = try sandbox.configuration([
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci",
            "AWS_ROLE_SESSION_NAME": "gitlab-42",
            "AWS_ENDPOINT_URL_STS": server.baseURL,
        ], clock: clock)
        let resolved = try await DefaultCredentialsChain(configuration: configuration, region: "eu-west-1", options: testOptions()).resolve()
        #expect(resolved.source == "web-identity")
        #expect(resolved.credentials == Credentials(accessKeyId: "ASIASTS1", secretAccessKey: "sts-secret-1", sessionToken: "sts-token-1", expiration: t0 + 3600))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/")
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8")
        #expect(request.header("Authorization") == nil, "AssumeRoleWithWebIdentity is unsigned")
        #expect(request.form == [
            "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
            "RoleArn": "arn:aws:iam::123456789012:role/ci", "RoleSessionName": "gitlab-42",
            "WebIdentityToken": "header.payload.signature",
        ])
        #expect(request.bodyText.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fci"))
    }

    @Test func webIdentityFromProfileAndTokenReadForEachRefresh() async throws {
        let server = try await Self.sts(expiration: t0 + 900)
        defer { Task { await server.stop() } }
        let sandbox = Sandbox()
        sandbox.write("token", "first-token")
        sandbox.config("""
            [profile oidc]
            web_identity_token_file = ~/token
            role_arn = arn:aws:iam::123456789012:role/oidc
            """)
        let clock = TestClock(t0)
        let configuration = try sandbox.configuration(profile: "oidc", ["AWS_ENDPOINT_URL_STS": server.baseURL, "AWS_WEB_IDENTITY_TOKEN_FILE": "/ignored/with/--profile"], clock: clock)
        let chain = DefaultCredentialsChain(configuration: configuration, region: nil, options: testOptions())
        #expect(try await chain.resolve().source == "web-identity (profile oidc)")
        #expect(server.requests.last?.form["WebIdentityToken"] == "first-token")
        #expect(server.requests.last?.form["RoleSessionName"] == "plancc-test")
        sandbox.write("token", "rotated-token")
        clock.set(t0 + 900 - 301)      // more than 5 minutes left: cached
        #expect(try await chain.resolve().credentials.accessKeyId == "ASIASTS1")
        #expect(server.requests.count == 1)
        clock.set(t0 + 900 - 299)      // less than 5 minutes left: refreshed with the new token
        #expect(try await chain.resolve().credentials.accessKeyId == "ASIASTS2")
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.form["WebIdentityToken"] == "rotated-token")
    }

    @Test func webIdentityProblems() async throws {
        let sandbox = Sandbox()
        // No role ARN.
        let noRole = await thrownError {
            _ = try await DefaultCredentialsChain(configuration: try sandbox.configuration(["AWS_WEB_IDENTITY_TOKEN_FILE": "/x"]), region: nil, options: testOptions()).resolve()
        }
        #expect(noRole?.description == "credentials from web-identity: a web identity token file is configured but no role ARN; set AWS_ROLE_ARN or role_arn in profile 'default'")
        // Missing and empty token files.
        let env = ["AWS_WEB_IDENTITY_TOKEN_FILE": sandbox.directory + "/missing", "AWS_ROLE_ARN": "arn:aws:iam::1:role/r", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"]
        let missing = await thrownError {
            _ = try await DefaultCredentialsChain(configuration: try sandbox.configuration(env), region: nil, options: testOptions()).resolve()
        }
        #expect(missing == .credentials(source: "web-identity", failure: .invalidConfiguration("the web identity token file \(sandbox.directory)/missing does not exist")))
        let empty = sandbox.write("empty", "\n")
        let emptyError = await thrownError {
            _ = try await DefaultCredentialsChain(configuration: try sandbox.configuration(env.merging(["AWS_WEB_IDENTITY_TOKEN_FILE": empty]) { $1 }), region: nil, options: testOptions()).resolve()
        }
        #expect(emptyError == .credentials(source: "web-identity", failure: .invalidConfiguration("the web identity token file \(empty) is empty")))
    }

    @Test func stsErrorsMalformedAnswersAndHTTPFailures() async throws {
        let sandbox = Sandbox()
        let tokenFile = sandbox.write("token", "jwt")
        func run(_ response: StandInResponse, attempts: Int = 1, timeout: Double = 5) async throws -> (AWSConfigError?, Int) {
            let server = try await StandIn.start { _ in response }
            defer { Task { await server.stop() } }
            let configuration = try sandbox.configuration([
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r", "AWS_ENDPOINT_URL": server.baseURL,
            ])
            let options = testOptions { $0.stsAttempts = attempts; $0.stsTimeout = timeout }
            let error = await thrownError { _ = try await DefaultCredentialsChain(configuration: configuration, region: "us-east-1", options: options).resolve() }
            return (error, server.requests.count)
        }
        let (denied, _) = try await run(StandInResponse(status: 403, body: stsError(code: "AccessDenied", message: "Not authorized to perform sts:AssumeRoleWithWebIdentity")))
        #expect(denied == .credentials(source: "web-identity", failure: .service(code: "AccessDenied", message: "Not authorized to perform sts:AssumeRoleWithWebIdentity", status: 403)))
        #expect(denied?.description == "credentials from web-identity: AccessDenied (HTTP 403): Not authorized to perform sts:AssumeRoleWithWebIdentity")

        let (malformed, _) = try await run(StandInResponse(body: "<AssumeRoleWithWebIdentityResponse><Unclosed>"))
        #expect(malformed == .credentials(source: "web-identity", failure: .malformedResponse("STS answer is not XML (unclosed element <Unclosed>)")))
        let (wrongRoot, _) = try await run(StandInResponse(body: "<Other/>"))
        #expect(wrongRoot == .credentials(source: "web-identity", failure: .malformedResponse("STS answered <Other>, expected <AssumeRoleWithWebIdentityResponse>")))
        let (noSecret, _) = try await run(StandInResponse(body: "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"))
        #expect(noSecret == .credentials(source: "web-identity", failure: .malformedResponse("STS answer has no Credentials/Expiration")))

        // HTTP 500 is retried (stsAttempts) and then reported.
        let (serverError, count) = try await run(StandInResponse(status: 500, body: "internal"), attempts: 3)
        #expect(count == 3)
        guard case .credentials(_, .httpStatus(500, let url, nil))? = serverError else {
            Issue.record("expected HTTP 500, got \(String(describing: serverError))")
            return
        }
        #expect(url.hasPrefix("http://127.0.0.1:"))
        // An access error is not retried.
        let (_, deniedCount) = try await run(StandInResponse(status: 403, body: stsError(code: "AccessDenied", message: "no")), attempts: 3)
        #expect(deniedCount == 1)
        // Timeout.
        let (timeout, _) = try await run(StandInResponse(body: "", delay: 2), timeout: 0.3)
        guard case .credentials("web-identity", .timeout(_, 0.3))? = timeout else {
            Issue.record("expected a timeout, got \(String(describing: timeout))")
            return
        }
        // Expired credentials from STS.
        let (expired, _) = try await run(StandInResponse(body: stsSuccess(action: "AssumeRoleWithWebIdentity", keyId: "A", secret: "s", token: "t", expiration: 1_000_000)))
        guard case .credentials("web-identity", .expired(1_000_000, _))? = expired else {
            Issue.record("expected expired, got \(String(describing: expired))")
            return
        }
    }

    // MARK: Assume role

    @Test func assumeRoleWithSourceProfileIsSigned() async throws {
        let server = try await Self.sts()
        defer { Task { await server.stop() } }
        let sandbox = Sandbox()
        sandbox.config("""
            [profile deploy]
            role_arn = arn:aws:iam::123456789012:role/deploy
            source_profile = base
            external_id = ext-123
            role_session_name = pipeline
            duration_seconds = 1800
            region = eu-west-1
            """)
        sandbox.credentials("[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret\n")
        let configuration = try sandbox.configuration(profile: "deploy", ["AWS_ENDPOINT_URL_STS": server.baseURL])
        let resolved = try await DefaultCredentialsChain(configuration: configuration, region: "eu-west-1", options: testOptions()).resolve()
        #expect(resolved.source == "assume-role (profile deploy)")
        #expect(resolved.credentials.accessKeyId == "ASIASTS1")
        let request = try #require(server.requests.first)
        #expect(request.form == [
            "Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "arn:aws:iam::123456789012:role/deploy",
            "RoleSessionName": "pipeline", "ExternalId": "ext-123", "DurationSeconds": "1800",
        ])
        let authorization = try #require(request.header("Authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIABASE/"))
        #expect(authorization.contains("/eu-west-1/sts/aws4_request"))
        #expect(request.header("X-Amz-Date") == "20260101T000000Z")
        #expect(request.header("X-Amz-Security-Token") == nil)
        // The signature checks out with the SigV4 verifier (same key, region and service).
        let verification = SigV4Signer.verify(
            request.signable, lookupKey: { $0 == "AKIABASE" ? SigV4KeyRecord(secretAccessKey: "base-secret") : nil },
            now: SigningTime(secondsSince1970: Int64(t0)), expectedRegion: "eu-west-1", expectedService: "sts")
        #expect(verification.isValid, "\(verification)")
        let wrongKey = SigV4Signer.verify(
            request.signable, lookupKey: { _ in SigV4KeyRecord(secretAccessKey: "other") },
            now: SigningTime(secondsSince1970: Int64(t0)))
        #expect(!wrongKey.isValid)
    }

    @Test func chainedRolesUseThePreviousCredentials() async throws {
        let server = try await Self.sts()
        defer { Task { await server.stop() } }
        let sandbox = Sandbox()
        sandbox.config("""
            [profile a]
            role_arn = arn:aws:iam::111111111111:role/a
            source_profile = b
            [profile b]
            role_arn = arn:aws:iam::222222222222:role/b
            source_profile = c
            [profile c]
            aws_access_key_id = AKIAC
            aws_secret_access_key = c-secret
            """)
        let configuration = try sandbox.configuration(profile: "a", ["AWS_ENDPOINT_URL_STS": server.baseURL])
        let resolved = try await DefaultCredentialsChain(configuration: configuration, region: "us-east-1", options: testOptions()).resolve()
        #expect(resolved.credentials.accessKeyId == "ASIASTS2")
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests[0].form["RoleArn"] == "arn:aws:iam::222222222222:role/b")
        #expect(requests[0].header("Authorization")?.contains("Credential=AKIAC/") == true)
        #expect(requests[1].form["RoleArn"] == "arn:aws:iam::111111111111:role/a")
        #expect(requests[1].header("Authorization")?.contains("Credential=ASIASTS1/") == true)
        #expect(requests[1].header("X-Amz-Security-Token") == "sts-token-1")
        let verification = SigV4Signer.verify(
            requests[1].signable,
            lookupKey: { $0 == "ASIASTS1" ? SigV4KeyRecord(secretAccessKey: "sts-secret-1", sessionToken: "sts-token-1") : nil },
            now: SigningTime(secondsSince1970: Int64(t0)), expectedRegion: "us-east-1", expectedService: "sts")
        #expect(verification.isValid, "\(verification)")
    }

    @Test func selfReferenceWithStaticKeysWorks() async throws {
        let server = try await Self.sts()
        defer { Task { await server.stop() } }
        let sandbox = Sandbox()
        sandbox.config("[profile me]\nrole_arn = arn:aws:iam::1:role/me\nsource_profile = me\naws_access_key_id = AKIAME\naws_secret_access_key = s\n")
        let configuration = try sandbox.configuration(profile: "me", ["AWS_ENDPOINT_URL_STS": server.baseURL])
        #expect(try await DefaultCredentialsChain(configuration: configuration, region: nil, options: testOptions()).resolve().source == "assume-role (profile me)")
        #expect(server.requests.first?.header("Authorization")?.contains("Credential=AKIAME/") == true)
        // Signed for us-east-1 when no region is set (the global endpoint's scope).
        #expect(server.requests.first?.header("Authorization")?.contains("/us-east-1/sts/aws4_request") == true)
    }

    @Test func configurationErrors() async throws {
        let sandbox = Sandbox()
        func error(_ config: String, profile: String = "a") async throws -> String? {
            sandbox.config(config)
            return await thrownError {
                _ = try await DefaultCredentialsChain(configuration: try sandbox.configuration(profile: profile), region: nil, options: testOptions()).resolve()
            }?.description
        }
        #expect(try await error("[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = a\n")
            == "credentials from assume-role (profile b): source_profile loop: 'a' -> 'b' -> 'a'")
        #expect(try await error("[profile a]\nrole_arn = r\nsource_profile = a\n")
            == "credentials from assume-role (profile a): source_profile loop: 'a' -> 'a'")
        #expect(try await error("[profile a]\nrole_arn = r\nsource_profile = b\ncredential_source = Environment\n[profile b]\n")
            == "credentials from assume-role (profile a): profile 'a' has both source_profile and credential_source; keep one")
        #expect(try await error("[profile a]\nrole_arn = r\n")
            == "credentials from assume-role (profile a): profile 'a' has role_arn but neither source_profile nor credential_source")
        #expect(try await error("[profile a]\nrole_arn = r\nsource_profile = ghost\n")
            == "credentials from assume-role (profile a): the source_profile 'ghost' of profile 'a' does not exist")
        #expect(try await error("[profile a]\nrole_arn = r\ncredential_source = environment\n")
            == "credentials from assume-role (profile a): credential_source 'environment' in profile 'a' is not one of Environment, Ec2InstanceMetadata, EcsContainer")
        let noCreds = try await error("[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nregion = x\n")
        #expect(noCreds?.hasPrefix("credentials from assume-role (profile a): the source_profile 'b' of profile 'a' has no credentials (web-identity: profile 'b' has no web_identity_token_file;") == true)
        #expect(try await error("[profile a]\nrole_arn = r\nsource_profile = b\nmfa_serial = arn:aws:iam::1:mfa/u\n[profile b]\naws_access_key_id = A\naws_secret_access_key = s\n")
            == "credentials from assume-role (profile a): profile 'a' needs an MFA code (mfa_serial), and plancc cannot ask for one here; use credentials obtained beforehand")
        let noSource = try await error("[profile a]\nrole_arn = r\ncredential_source = Environment\n")
        #expect(noSource == "credentials from assume-role (profile a): credential_source Environment of profile 'a' has no credentials: AWS_ACCESS_KEY_ID is not set")
    }

    @Test func credentialSourceEnvironmentAndMFA() async throws {
        let server = try await Self.sts()
        defer { Task { await server.stop() } }
        let sandbox = Sandbox()
        sandbox.config("[profile a]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Environment\nmfa_serial = arn:aws:iam::1:mfa/me\n")
        let configuration = try sandbox.configuration(profile: "a", [
            "AWS_ENDPOINT_URL_STS": server.baseURL, "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
        ])
        let options = testOptions { $0.mfaTokenProvider = { serial in serial.hasSuffix("mfa/me") ? "123456" : "000000" } }
        let resolved = try await DefaultCredentialsChain(configuration: configuration, region: "us-east-1", options: options).resolve()
        #expect(resolved.source == "assume-role (profile a)")
        let request = try #require(server.requests.first)
        #expect(request.header("Authorization")?.contains("Credential=AKIAENV/") == true)
        #expect(request.form["SerialNumber"] == "arn:aws:iam::1:mfa/me")
        #expect(request.form["TokenCode"] == "123456")
    }

    @Test func credentialSourceEcsContainer() async throws {
        let server = try await Self.sts()
        let container = try await StandIn.start { _ in
            StandInResponse(body: credentialsJSON(keyId: "ASIACONTAINER", secret: "c-secret", token: "c-token", expiration: t0 + 3600))
        }
        defer { Task { await server.stop(); await container.stop() } }
        let sandbox = Sandbox()
        sandbox.config("[default]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = EcsContainer\n")
        let configuration = try sandbox.configuration([
            "AWS_ENDPOINT_URL_STS": server.baseURL, "AWS_CONTAINER_CREDENTIALS_FULL_URI": container.baseURL + "/creds",
        ], clock: TestClock(t0))
        #expect(try await DefaultCredentialsChain(configuration: configuration, region: nil, options: testOptions()).resolve().source == "assume-role (profile default)")
        #expect(server.requests.first?.header("X-Amz-Security-Token") == "c-token")
    }

    @Test func stsEndpointFollowsRegionAndPartition() throws {
        let sandbox = Sandbox()
        func endpoint(_ region: String?, _ env: [String: String] = [:]) throws -> ResolvedEndpoint {
            let context = ChainContext(configuration: try sandbox.configuration(env), region: region, options: testOptions())
            return try STS.endpoint(context)
        }
        #expect(try endpoint("eu-west-1").endpoint.url() == "https://sts.eu-west-1.amazonaws.com/")
        #expect(try endpoint("cn-north-1").endpoint.url() == "https://sts.cn-north-1.amazonaws.com.cn/")
        #expect(try endpoint(nil).endpoint.url() == "https://sts.amazonaws.com/")
        #expect(try endpoint(nil).signingRegion == "us-east-1")
        #expect(try endpoint("us-gov-west-1", ["AWS_USE_FIPS_ENDPOINT": "true"]).endpoint.url() == "https://sts.us-gov-west-1.amazonaws.com/")
        let custom = try endpoint(nil, ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:4566/sts"])
        #expect(custom.endpoint.url() == "http://127.0.0.1:4566/sts/")
        #expect(custom.signingRegion == "us-east-1")
        #expect(throws: AWSConfigError.insecureEndpoint(url: "http://sts.example.com", source: "AWS_ENDPOINT_URL_STS")) {
            try endpoint("us-east-1", ["AWS_ENDPOINT_URL_STS": "http://sts.example.com"])
        }
    }

    @Test func formEncoding() {
        #expect(formEncode("arn:aws:iam::1:role/a b+c~d_e.f-g") == "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b%2Bc~d_e.f-g")
        #expect(formEncode("ü") == "%C3%BC")
    }
}

final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
    var current: Int { value.withLock { $0 } }
}
