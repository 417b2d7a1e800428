import Testing
@testable import AWSConfig

/// Order and precedence of the default chain (botocore's), with static sources.
@Suite struct CredentialsChainTests {
    func resolve(_ sandbox: Sandbox, profile: String? = nil, _ env: [String: String] = [:], options: CredentialsOptions = testOptions()) async throws -> ResolvedCredentials {
        let configuration = try sandbox.configuration(profile: profile, env)
        return try await DefaultCredentialsChain(configuration: configuration, region: "us-east-1", options: options).resolve()
    }

    static let envKeys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]

    @Test func environmentComesFirst() async throws {
        let sandbox = Sandbox()
        sandbox.credentials("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret\n")
        let resolved = try await resolve(sandbox, Self.envKeys.merging(["AWS_SESSION_TOKEN": "tok"]) { $1 })
        #expect(resolved.source == "environment")
        #expect(resolved.credentials == Credentials(accessKeyId: "AKIAENV", secretAccessKey: "env-secret", sessionToken: "tok"))
    }

    @Test func securityTokenIsReadBeforeSessionToken() async throws {
        let resolved = try await resolve(Sandbox(), Self.envKeys.merging(["AWS_SESSION_TOKEN": "session", "AWS_SECURITY_TOKEN": "security"]) { $1 })
        #expect(resolved.credentials.sessionToken == "security")
    }

    @Test func environmentExpiration() async throws {
        let clock = TestClock(t0)
        let sandbox = Sandbox()
        let env = Self.envKeys.merging(["AWS_CREDENTIAL_EXPIRATION": iso(t0 + 3600)]) { $1 }
        let chain = DefaultCredentialsChain(configuration: try sandbox.configuration(env, clock: clock), region: nil, options: testOptions())
        #expect(try await chain.resolve().credentials.expiration == t0 + 3600)
        clock.set(t0 + 3601)
        let error = await thrownError { _ = try await chain.resolve() }
        #expect(error == .credentials(source: "environment", failure: .expired(expiration: t0 + 3600, now: t0 + 3601)))
        let bad = await thrownError { _ = try await resolve(sandbox, Self.envKeys.merging(["AWS_CREDENTIAL_EXPIRATION": "tomorrow"]) { $1 }) }
        #expect(bad == .credentials(source: "environment", failure: .invalidConfiguration("AWS_CREDENTIAL_EXPIRATION 'tomorrow' is not an ISO 8601 time")))
    }

    @Test func incompleteEnvironmentIsAnError() async throws {
        let error = await thrownError { _ = try await resolve(Sandbox(), ["AWS_ACCESS_KEY_ID": "AKIAENV"]) }
        #expect(error == .credentials(source: "environment", failure: .incomplete("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")))
        // A secret without a key id is not "configured" (botocore looks at the key id only).
        let sandbox = Sandbox()
        sandbox.credentials("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n")
        #expect(try await resolve(sandbox, ["AWS_SECRET_ACCESS_KEY": "x"]).source == "shared-credentials-file (profile default)")
    }

    @Test func commandLineProfileDisablesEnvironmentEvenWithAllThree() async throws {
        // botocore 1.43.11 removes the environment provider whenever the profile is given
        // explicitly (checked with `aws configure list --profile x`).
        let sandbox = Sandbox()
        sandbox.credentials("[x]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret\n")
        let all = Self.envKeys.merging(["AWS_SESSION_TOKEN": "tok"]) { $1 }
        #expect(try await resolve(sandbox, profile: "x", all).source == "shared-credentials-file (profile x)")
        // AWS_PROFILE does not disable the environment.
        #expect(try await resolve(sandbox, all.merging(["AWS_PROFILE": "x"]) { $1 }).source == "environment")
    }

    @Test func sharedCredentialsBeforeProcessBeforeConfigFile() async throws {
        let sandbox = Sandbox()
        let script = sandbox.write("creds.sh", "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROC\", \"SecretAccessKey\": \"p\"}'\n", mode: 0o755)
        sandbox.config("[default]\ncredential_process = \(script)\naws_access_key_id = AKIACONFIG\naws_secret_access_key = c\n")
        sandbox.credentials("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = f\naws_session_token = t\n")
        let first = try await resolve(sandbox)
        #expect(first.source == "shared-credentials-file (profile default)")
        #expect(first.credentials.sessionToken == "t")
        sandbox.credentials("")
        #expect(try await resolve(sandbox).source == "credential-process (profile default)")
        sandbox.config("[default]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = c\n")
        let last = try await resolve(sandbox)
        #expect(last.source == "config-file (profile default)")
        #expect(last.credentials.accessKeyId == "AKIACONFIG")
    }

    @Test func credentialsFileNeedsTheSecretToo() async throws {
        let sandbox = Sandbox()
        sandbox.credentials("[default]\naws_access_key_id = AKIAFILE\n")
        let error = await thrownError { _ = try await resolve(sandbox) }
        #expect(error == .credentials(
            source: "shared-credentials-file (profile default)",
            failure: .incomplete("[default] of \(sandbox.credentialsPath) has aws_access_key_id but no aws_secret_access_key")))
    }

    @Test func ssoProfilesAreRefusedClearly() async throws {
        let sandbox = Sandbox()
        sandbox.config("[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n")
        let error = await thrownError { _ = try await resolve(sandbox, profile: "dev") }
        #expect(error?.description.contains("IAM Identity Center") == true)
        #expect(error?.description.contains("aws configure export-credentials --profile dev") == true)
    }

    @Test func noCredentialsListsEverySource() async throws {
        let sandbox = Sandbox()
        let error = await thrownError { _ = try await resolve(sandbox) }
        guard case .noCredentials(let tried)? = error else {
            Issue.record("expected noCredentials, got \(String(describing: error))")
            return
        }
        #expect(tried.map(\.source) == [
            "environment", "assume-role", "web-identity", "sso", "shared-credentials-file",
            "credential-process", "config-file", "container", "imds",
        ])
        #expect(tried[0].reason == "AWS_ACCESS_KEY_ID is not set")
        #expect(tried[4].reason == "\(sandbox.credentialsPath) does not exist")
        #expect(tried[7].reason == "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        #expect(tried[8].reason == "disabled by AWS_EC2_METADATA_DISABLED")
        let text = error!.description
        #expect(text.hasPrefix("no AWS credentials found; tried, in order:\n  - environment: AWS_ACCESS_KEY_ID is not set\n  - assume-role: profile 'default' has no role_arn\n"))

        // With --profile the environment line says why it was skipped.
        sandbox.config("[profile ci]\nregion = us-east-1\n")
        let explicit = await thrownError { _ = try await resolve(sandbox, profile: "ci") }
        guard case .noCredentials(let tried2)? = explicit else {
            Issue.record("expected noCredentials")
            return
        }
        #expect(tried2[0] == CredentialsAttempt(source: "environment", reason: "not used because --profile was given"))
        #expect(tried2[2].reason == "profile 'ci' has no web_identity_token_file")
    }

    @Test func chainSticksToTheSourceItFound() async throws {
        let sandbox = Sandbox()
        sandbox.credentials("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = f\n")
        let chain = DefaultCredentialsChain(configuration: try sandbox.configuration(), region: nil, options: testOptions())
        #expect(await chain.selectedSource == nil)
        _ = try await chain.resolve()
        #expect(await chain.selectedSource == "shared-credentials-file (profile default)")
        sandbox.credentials("")   // files were read at load time; the chain keeps its answer
        #expect(try await chain.resolve().credentials.accessKeyId == "AKIAFILE")
    }

    @Test func convenienceConstructor() async throws {
        let sandbox = Sandbox()
        let chain = try defaultCredentialsProvider(profile: nil, region: "us-east-1", environment: sandbox.environment(Self.envKeys), options: testOptions())
        #expect(try await chain.credentials().accessKeyId == "AKIAENV")
        #expect(throws: AWSConfigError.self) {
            _ = try defaultCredentialsProvider(profile: "missing", region: nil, environment: sandbox.environment())
        }
    }
}

extension CredentialsChainTests {
    @Test func httpClientConvenience() async throws {
        let server = try await StandIn.start { _ in
            StandInResponse(body: credentialsJSON(keyId: "ASIAVIAHTTPCLIENT", secret: "s", token: "t", expiration: t0 + 3600))
        }
        defer { Task { await server.stop() } }
        let sandbox = Sandbox()
        let chain = try defaultCredentialsProvider(
            profile: nil, region: nil, environment: sandbox.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL]),
            httpClient: credentialsHTTPClient)
        #expect(try await chain.resolve().credentials.accessKeyId == "ASIAVIAHTTPCLIENT")
    }
}
