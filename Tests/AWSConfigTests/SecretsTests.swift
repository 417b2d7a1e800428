import Testing
@testable import AWSConfig

/// No secret (secret access key, session token, web identity token, container authorization
/// token) appears in any error message or `description` that plancc can print.
@Suite struct SecretsTests {
    static let secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
    static let sessionToken = "FwoGZXIvYXdzSESSIONTOKENxyz"
    static let webToken = "eyJhbGciOiJSUzI1NiJ9.WEBIDENTITYTOKEN.sig"
    static let authToken = "CONTAINERAUTHORIZATIONTOKEN"
    static let all = [secretKey, sessionToken, webToken, authToken]

    func expectClean(_ value: Any?, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let value else {
            Issue.record("\(label): nothing to check", sourceLocation: sourceLocation)
            return
        }
        for text in [String(describing: value), String(reflecting: value)] {
            for secret in Self.all {
                #expect(!text.contains(secret), "\(label) leaks a secret: \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func descriptionsOfValues() throws {
        let sandbox = Sandbox()
        sandbox.config("[default]\naws_access_key_id = AKIA\naws_secret_access_key = \(Self.secretKey)\naws_session_token = \(Self.sessionToken)\n")
        sandbox.credentials("[default]\naws_secret_access_key = \(Self.secretKey)\n")
        let env = ["AWS_SECRET_ACCESS_KEY": Self.secretKey, "AWS_SESSION_TOKEN": Self.sessionToken, "AWS_CONTAINER_AUTHORIZATION_TOKEN": Self.authToken]
        let configuration = try sandbox.configuration(env)
        expectClean(configuration, "AWSConfiguration")
        expectClean(configuration.environment, "AWSEnvironment")
        expectClean(configuration.files, "AWSSharedConfig")
        expectClean(try INIFile.parse("[default]\nsecret = \(Self.secretKey)\n", path: "p"), "INIFile")
        expectClean(configuration.files.profiles["default"]?["aws_secret_access_key"], "INIValue")
        let credentials = Credentials(accessKeyId: "ASIA", secretAccessKey: Self.secretKey, sessionToken: Self.sessionToken, expiration: t0)
        expectClean(credentials, "Credentials")
        expectClean(ResolvedCredentials(credentials: credentials, source: "environment"), "ResolvedCredentials")
        expectClean(StaticCredentialsProvider(credentials), "StaticCredentialsProvider")
        let request = CredentialsHTTPRequest(
            method: "POST", url: "https://sts.amazonaws.com/",
            headers: [HTTPHeaderField("Authorization", Self.authToken), HTTPHeaderField("X-Amz-Security-Token", Self.sessionToken)],
            body: Array("WebIdentityToken=\(Self.webToken)".utf8), timeout: 1)
        expectClean(request, "CredentialsHTTPRequest")
    }

    @Test func errorsOfEverySource() async throws {
        var errors: [(String, AWSConfigError?)] = []
        let sandbox = Sandbox()
        let clock = TestClock(t0)
        func chainError(_ env: [String: String], profile: String? = nil, config: String = "", options: CredentialsOptions = testOptions(), keepIMDS: Bool = false) async -> AWSConfigError? {
            sandbox.config(config)
            return await thrownError {
                let configuration = try sandbox.configuration(profile: profile, env, clock: clock, keepIMDS: keepIMDS)
                _ = try await DefaultCredentialsChain(configuration: configuration, region: "us-east-1", options: options).resolve()
            }
        }
        let secretJSON = #"{"AccessKeyId":"A","SecretAccessKey":"\#(Self.secretKey)","Expiration":"\#(iso(t0 + 3600))"}"#

        // Environment: expired, and no credentials at all while secrets are set.
        errors.append(("env expired", await chainError([
            "AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": Self.secretKey, "AWS_SESSION_TOKEN": Self.sessionToken,
            "AWS_CREDENTIAL_EXPIRATION": iso(t0 - 1),
        ])))
        errors.append(("no credentials", await chainError(["AWS_SECRET_ACCESS_KEY": Self.secretKey, "AWS_SESSION_TOKEN": Self.sessionToken])))
        // Files.
        errors.append(("config syntax", await chainError([:], config: "[default]\naws_secret_access_key \(Self.secretKey)\n")))
        errors.append(("config nested", await chainError([:], config: "[services s]\nsts =\n  \(Self.secretKey)\n")))
        errors.append(("config duplicate", await chainError([:], config: "[default]\naws_secret_access_key = \(Self.secretKey)\naws_secret_access_key = \(Self.secretKey)\n")))
        errors.append(("config incomplete", await chainError([:], config: "[default]\naws_access_key_id = \n aws_secret_access_key = \(Self.secretKey)\n")))

        // STS (web identity): refusal, malformed answer echoing secrets, expired answer.
        let tokenFile = sandbox.write("token", Self.webToken)
        for answer in [
            StandInResponse(status: 400, body: stsError(code: "InvalidIdentityToken", message: "Incorrect token audience")),
            StandInResponse(body: "<AssumeRoleWithWebIdentityResponse><SecretAccessKey>\(Self.secretKey)</SecretAccessKey>"),
            StandInResponse(body: stsSuccess(action: "AssumeRoleWithWebIdentity", keyId: "A", secret: Self.secretKey, token: Self.sessionToken, expiration: t0 - 5)),
            StandInResponse(status: 500, body: "\(Self.secretKey) \(Self.webToken)"),
        ] {
            let server = try await StandIn.start { _ in answer }
            errors.append(("sts \(answer.status)", await chainError([
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r", "AWS_ENDPOINT_URL_STS": server.baseURL,
            ])))
            await server.stop()
        }
        // Container: missing Token, error body with secrets, expired.
        for answer in [
            StandInResponse(body: secretJSON),
            StandInResponse(status: 500, body: #"{"message":"nope","detail":"\#(Self.secretKey)"}"#),
            StandInResponse(body: credentialsJSON(keyId: "A", secret: Self.secretKey, token: Self.sessionToken, expiration: t0 - 5)),
        ] {
            let server = try await StandIn.start { _ in answer }
            errors.append(("container", await chainError([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN": Self.authToken,
            ])))
            await server.stop()
        }
        errors.append(("container token", await chainError([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN": Self.authToken + "\n",
        ])))
        // IMDS: malformed JSON carrying a secret.
        let imds = try await StandIn.start { request in
            request.method == "PUT" ? StandInResponse(body: "T")
                : request.path.hasSuffix("/") ? StandInResponse(body: "role")
                : StandInResponse(body: "{\"SecretAccessKey\": \"\(Self.secretKey)\", \"Token\": \"\(Self.sessionToken)\"")
        }
        errors.append(("imds", await chainError(["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.baseURL], keepIMDS: true)))
        await imds.stop()
        // credential_process printing secrets without a Version, and failing with them on stdout.
        let script = sandbox.write("p.sh", "#!/bin/sh\necho '{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"\(Self.secretKey)\"}'\nexit ${FAIL:-0}\n", mode: 0o755)
        errors.append(("process", await chainError([:], config: "[default]\ncredential_process = \(script)\n")))
        errors.append(("process exit", await chainError(["FAIL": "4"], config: "[default]\ncredential_process = \(script)\n")))
        // Endpoint URL carrying a password.
        errors.append(("endpoint", await thrownError {
            _ = try sandbox.configuration(["AWS_ENDPOINT_URL": "https://user:\(Self.secretKey)@example.com"]).resolveEndpoint(region: "us-east-1")
        }))
        errors.append(("insecure endpoint", await thrownError {
            _ = try sandbox.configuration(["AWS_ENDPOINT_URL": "http://user:\(Self.secretKey)@example.com"]).resolveEndpoint(region: "us-east-1")
        }))

        for (label, error) in errors {
            expectClean(error, label)
        }
        #expect(errors.allSatisfy { $0.1 != nil })
    }
}
