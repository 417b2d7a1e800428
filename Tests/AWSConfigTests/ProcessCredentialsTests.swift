import Testing
@testable import AWSConfig

@Suite struct ProcessCredentialsTests {
    /// A profile whose credential_process is a shell script printing `output` (and `stderr`)
    /// and exiting with `status`.
    func chain(_ sandbox: Sandbox, _ output: String, status: Int = 0, stderr: String = "", extraArgs: String = "", clock: TestClock? = nil,
               options: CredentialsOptions = testOptions()) throws -> DefaultCredentialsChain {
        sandbox.write("out.json", output)
        let script = sandbox.write("proc.sh", """
            #!/bin/sh
            cat "\(sandbox.directory)/out.json"
            printf '%s' '\(stderr)' >&2
            exit \(status)
            """, mode: 0o755)
        sandbox.config("[profile p]\ncredential_process = \(script) \(extraArgs)\n")
        let configuration = try sandbox.configuration(profile: "p", clock: clock)
        return DefaultCredentialsChain(configuration: configuration, region: nil, options: options)
    }

    let source = "credential-process (profile p)"

    @Test func versionOneWithExpiration() async throws {
        let clock = TestClock(t0)
        let sandbox = Sandbox()
        let chain = try chain(sandbox, #"{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2026-01-01T01:00:00+00:00"}"#, clock: clock)
        let resolved = try await chain.resolve()
        #expect(resolved.source == source)
        #expect(resolved.credentials == Credentials(accessKeyId: "AKIAPROC", secretAccessKey: "s", sessionToken: "t", expiration: t0 + 3600))
        withExtendedLifetime(sandbox) {}
    }

    @Test func argumentsAreSplitLikeAShell() async throws {
        let sandbox = Sandbox()
        let script = sandbox.write("args.sh", """
            #!/bin/sh
            printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"%s"}' "$1" "$2"
            """, mode: 0o755)
        sandbox.config("[default]\ncredential_process = \(script) 'AKIA WITH SPACE' \"sec ret\"\n")
        let chain = DefaultCredentialsChain(configuration: try sandbox.configuration(), region: nil, options: testOptions())
        let credentials = try await chain.credentials()
        #expect(credentials.accessKeyId == "AKIA WITH SPACE")
        #expect(credentials.secretAccessKey == "sec ret")
    }

    @Test func failuresAreClear() async throws {
        let cases: [(output: String, status: Int, stderr: String, failure: CredentialsFailure)] = [
            ("", 3, "token expired, run login", .process("'PROC' exited with status 3: token expired, run login")),
            ("not json", 0, "", .malformedResponse("output is not JSON (unexpected character)")),
            (#"{"AccessKeyId": "A", "SecretAccessKey": "s"}"#, 0, "", .malformedResponse("the output has no Version (expected 1)")),
            (#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s"}"#, 0, "", .malformedResponse("unsupported Version 2; plancc reads Version 1")),
            (#"{"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "s"}"#, 0, "", .malformedResponse("Version must be the number 1")),
            (#"{"Version": 1, "AccessKeyId": "A"}"#, 0, "", .malformedResponse("the JSON document has no SecretAccessKey")),
            (#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "soon"}"#, 0, "", .malformedResponse("Expiration 'soon' is not an ISO 8601 time")),
        ]
        for c in cases {
            let sandbox = Sandbox()
            let chain = try chain(sandbox, c.output, status: c.status, stderr: c.stderr)
            let error = await thrownError { _ = try await chain.resolve() }
            var failure = c.failure
            if case .process(let text) = failure {
                failure = .process(text.replacingFirst("PROC", with: sandbox.directory + "/proc.sh", all: false))
            }
            #expect(error == .credentials(source: source, failure: failure))
            withExtendedLifetime(sandbox) {}
        }
    }

    @Test func expiredCredentialsAreRejected() async throws {
        let clock = TestClock(t0)
        let sandbox = Sandbox()
        let chain = try chain(sandbox, #"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "2025-12-31T23:00:00Z"}"#, clock: clock)
        let error = await thrownError { _ = try await chain.resolve() }
        #expect(error == .credentials(source: source, failure: .expired(expiration: t0 - 3600, now: t0)))
        #expect(error?.description == "credentials from credential-process (profile p): returned credentials that expired at 2025-12-31T23:00:00Z (now 2026-01-01T00:00:00Z)")
        withExtendedLifetime(sandbox) {}
    }

    @Test func missingCommandAndTimeout() async throws {
        let sandbox = Sandbox()
        sandbox.config("[default]\ncredential_process = /nonexistent/get-creds --flag\n")
        let chain = DefaultCredentialsChain(configuration: try sandbox.configuration(), region: nil, options: testOptions())
        let error = await thrownError { _ = try await chain.resolve() }
        #expect(error?.description.hasPrefix("credentials from credential-process (profile default): cannot run '/nonexistent/get-creds'") == true)

        let slow = sandbox.write("slow.sh", "#!/bin/sh\nsleep 10\n", mode: 0o755)
        sandbox.config("[default]\ncredential_process = \(slow)\n")
        let options = testOptions { $0.processTimeout = 0.3 }
        let started = AWSEnvironment.systemClock()
        let timeout = await thrownError {
            _ = try await DefaultCredentialsChain(configuration: try sandbox.configuration(), region: nil, options: options).resolve()
        }
        #expect(timeout == .credentials(source: "credential-process (profile default)", failure: .process("'\(slow)' did not finish within 0.3 s and was killed")))
        #expect(AWSEnvironment.systemClock() - started < 5)
    }

    @Test func unclosedQuote() async throws {
        let sandbox = Sandbox()
        sandbox.config("[default]\ncredential_process = /bin/echo 'oops\n")
        let error = await thrownError {
            _ = try await DefaultCredentialsChain(configuration: try sandbox.configuration(), region: nil, options: testOptions()).resolve()
        }
        #expect(error == .credentials(source: "credential-process (profile default)", failure: .invalidConfiguration("credential_process has an unclosed quote")))
    }
}

extension ProcessCredentialsTests {
    /// A helper that leaves a background process holding its stdout must not make plancc wait
    /// for that process.
    @Test func backgroundChildDoesNotHoldUsUp() async throws {
        let sandbox = Sandbox()
        let script = sandbox.write("bg.sh", """
            #!/bin/sh
            sleep 30 &
            echo '{"Version": 1, "AccessKeyId": "AKIABG", "SecretAccessKey": "s"}'
            """, mode: 0o755)
        sandbox.config("[default]\ncredential_process = \(script)\n")
        let started = AWSEnvironment.systemClock()
        let chain = DefaultCredentialsChain(configuration: try sandbox.configuration(), region: nil, options: testOptions())
        #expect(try await chain.credentials().accessKeyId == "AKIABG")
        #expect(AWSEnvironment.systemClock() - started < 15)
    }
}
