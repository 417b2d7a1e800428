import Testing
@testable import AWSConfig

@Suite struct ContainerCredentialsTests {
    /// A container endpoint that answers only requests carrying `Authorization: <token>`.
    static func endpoint(token: String?, answer: StandInResponse? = nil) async throws -> StandIn {
        try await StandIn.start { request in
            if let token, request.header("Authorization") != token {
                return StandInResponse(status: 401, body: #"{"code":"Unauthorized","message":"bad token"}"#)
            }
            return answer ?? StandInResponse(body: credentialsJSON(keyId: "ASIACONT", secret: "cont-secret", token: "cont-token", expiration: t0 + 3600))
        }
    }

    func resolve(_ env: [String: String], sandbox: Sandbox = Sandbox(), options: CredentialsOptions = testOptions()) async throws -> ResolvedCredentials {
        let configuration = try sandbox.configuration(env, clock: TestClock(t0))
        return try await DefaultCredentialsChain(configuration: configuration, region: nil, options: options).resolve()
    }

    @Test func relativeURIWithAuthorizationToken() async throws {
        let server = try await Self.endpoint(token: "Bearer abc")
        defer { Task { await server.stop() } }
        let options = testOptions { $0.containerBaseURL = server.baseURL }
        let resolved = try await resolve([
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/1234-abcd", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer abc",
        ], options: options)
        #expect(resolved.source == "container")
        #expect(resolved.credentials == Credentials(accessKeyId: "ASIACONT", secretAccessKey: "cont-secret", sessionToken: "cont-token", expiration: t0 + 3600))
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.uri == "/v2/credentials/1234-abcd")
        #expect(request.header("Accept") == "application/json")
    }

    @Test func fullURIWithTokenFileWinningOverToken() async throws {
        let server = try await Self.endpoint(token: "from-file")
        defer { Task { await server.stop() } }
        let sandbox = Sandbox()
        let file = sandbox.write("eks-token", "from-file\n")
        let resolved = try await resolve([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/get-credentials?a=1",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": file,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "from-env",
        ], sandbox: sandbox)
        #expect(resolved.credentials.accessKeyId == "ASIACONT")
        #expect(server.requests.first?.uri == "/get-credentials?a=1")
        // A wrong token gets the endpoint's 401, reported with its message.
        let error = await thrownError {
            _ = try await resolve(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/x", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong"])
        }
        #expect(error == .credentials(source: "container", failure: .httpStatus(401, url: server.baseURL + "/x", detail: "Unauthorized: bad token")))
    }

    @Test func relativeURIPathIsNotShownInErrors() async throws {
        let options = testOptions { $0.containerBaseURL = "http://127.0.0.1:1" }
        let error = await thrownError { _ = try await resolve(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/SECRET-ID"], options: options) }
        guard case .credentials("container", .connection(let url, _))? = error else {
            Issue.record("expected a connection error, got \(String(describing: error))")
            return
        }
        #expect(url == "http://127.0.0.1:1 + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        #expect(error?.description.contains("SECRET-ID") == false)
    }

    @Test func fullURIHostRestrictions() throws {
        for allowed in ["http://127.0.0.1:8080/creds", "http://localhost/x", "http://169.254.170.2/v1", "http://169.254.170.23/v1/credentials",
                        "http://[fd00:ec2::23]/v1", "http://[::1]:9/x", "https://example.com/creds", "http://127.1.2.3/"] {
            #expect(throws: Never.self) { try validateContainerURL(allowed, source: "container") }
        }
        for refused in ["http://example.com/creds", "http://169.254.169.254/latest", "http://10.0.0.8/", "http://[fd00:ec2::24]/"] {
            let error = #expect(throws: AWSConfigError.self) { try validateContainerURL(refused, source: "container") }
            #expect(error?.description.contains("is not allowed over http") == true)
        }
        #expect(throws: AWSConfigError.self) { try validateContainerURL("not a url", source: "container") }
    }

    @Test func tokenWithLineBreakIsRefused() async throws {
        let server = try await Self.endpoint(token: nil)
        defer { Task { await server.stop() } }
        let error = await thrownError {
            _ = try await resolve(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "a\r\nX-Evil: 1"])
        }
        #expect(error == .credentials(source: "container", failure: .invalidConfiguration("the container authorization token contains a line break")))
        #expect(server.requests.isEmpty)
    }

    @Test func failuresNameTheSource() async throws {
        let cases: [(StandInResponse, CredentialsFailure?)] = [
            (StandInResponse(status: 500, body: "boom"), nil),
            (StandInResponse(body: "{not json"), .malformedResponse("PLACEHOLDER")),
            (StandInResponse(body: #"{"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"2026-01-01T01:00:00Z"}"#), .malformedResponse("the JSON document has no Token")),
            (StandInResponse(body: #"{"AccessKeyId":"A","SecretAccessKey":"s","Token":"t","Expiration":"2025-01-01T00:00:00Z"}"#), .expired(expiration: t0 - 365 * 86400, now: t0)),
            (StandInResponse(body: #"["array"]"#), .malformedResponse("the JSON document is not an object")),
        ]
        for (answer, expected) in cases {
            let server = try await Self.endpoint(token: nil, answer: answer)
            let error = await thrownError { _ = try await resolve(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/c"]) }
            await server.stop()
            switch expected {
            case nil:
                #expect(error == .credentials(source: "container", failure: .httpStatus(500, url: server.baseURL + "/c", detail: nil)))
            case .malformedResponse("PLACEHOLDER")?:
                #expect(error?.description.hasPrefix("credentials from container: malformed response: the answer from \(server.baseURL)/c is not JSON") == true)
            case let failure?:
                #expect(error == .credentials(source: "container", failure: failure))
            }
        }
    }

    @Test func retriesThenTimesOut() async throws {
        let server = try await Self.endpoint(token: nil, answer: StandInResponse(status: 503, body: ""))
        defer { Task { await server.stop() } }
        let options = testOptions { $0.containerAttempts = 3 }
        _ = await thrownError { _ = try await resolve(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL], options: options) }
        #expect(server.requests.count == 3)

        let slow = try await Self.endpoint(token: nil, answer: StandInResponse(body: "{}", delay: 2))
        defer { Task { await slow.stop() } }
        let quick = testOptions { $0.containerTimeout = 0.2 }
        let error = await thrownError { _ = try await resolve(["AWS_CONTAINER_CREDENTIALS_FULL_URI": slow.baseURL + "/"], options: quick) }
        #expect(error == .credentials(source: "container", failure: .timeout(url: slow.baseURL + "/", seconds: 0.2)))
        #expect(error?.description == "credentials from container: no response from \(slow.baseURL)/ within 0.2 s")
    }

    @Test func relativeURIWinsOverFullURI() async throws {
        let server = try await Self.endpoint(token: nil)
        defer { Task { await server.stop() } }
        let options = testOptions { $0.containerBaseURL = server.baseURL }
        _ = try await resolve(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/full"], options: options)
        #expect(server.requests.map(\.uri) == ["/rel"])
    }
}
