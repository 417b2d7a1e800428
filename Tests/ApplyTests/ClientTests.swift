import PlanApply
import SigV4
import Synchronization
import Testing

@Suite struct ClientTests {
    /// A signing clock that moves one second per signature.
    func tickingTime() -> @Sendable () -> SigningTime {
        let t = Mutex<Int64>(1_700_000_000)
        return { SigningTime(secondsSince1970: t.withLock { $0 += 1; return $0 }) }
    }

    @Test func sameBodyFreshSignatureEveryAttempt() async throws {
        let transport = ScriptedTransport { _, n in n < 3 ? errorResponse("InternalFailure", status: 500) : okResponse(#"{"PlanId":"pp-1"}"#) }
        let client = makeClient(transport, signingTime: tickingTime())
        let body = Array(#"{"IdempotencyToken":"tok-1","PlanName":"p"}"#.utf8)
        let out = try await client.call(.createProvisionedProductPlan, body: body, deadline: 1e9)
        #expect(out["PlanId"]?.string == "pp-1")
        let sent = transport.requests
        #expect(sent.count == 3)
        #expect(Set(sent.map(\.body)).count == 1)
        #expect(sent[0].body == body)
        #expect(Set(sent.compactMap { $0.header("X-Amz-Date") }).count == 3)
        #expect(Set(sent.compactMap { $0.header("Authorization") }).count == 3)
        #expect(Set(sent.compactMap { $0.header("amz-sdk-invocation-id") }).count == 1)
        #expect(sent.map { $0.header("amz-sdk-request") } == ["attempt=1", "attempt=2; max=3", "attempt=3; max=3"])
        #expect(sent[0].header("X-Amz-Target") == "AWS242ServiceCatalogService.CreateProvisionedProductPlan")
        #expect(sent[0].header("Content-Type") == "application/x-amz-json-1.1")
        #expect(sent[0].header("Host") == "127.0.0.1:4566")
        #expect(client.quota.available == 500 - 10 + 5) // two retries at 5, the last one's cost given back
        for r in sent {
            let auth = r.header("Authorization") ?? ""
            #expect(auth.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEMULATOREXAMPLE/"))
            #expect(!auth.contains("EXAMPLEKEY"))
        }
    }

    @Test(arguments: ["InvalidParametersException", "ResourceNotFoundException", "InvalidStateException", "AccessDeniedException"])
    func modeledAndOther4xxErrorsAreNotRetried(code: String) async {
        let transport = ScriptedTransport { _, _ in errorResponse(code, "no") }
        let client = makeClient(transport)
        await #expect {
            _ = try await client.call(.describeProvisionedProductPlan, body: Array("{}".utf8), deadline: 1e9)
        } throws: { error in
            (error as? CallError)?.serviceCode == code
        }
        #expect(transport.requests.count == 1)
    }

    @Test func transientErrorsStopAtMaxAttempts() async {
        let transport = ScriptedTransport { _, n in
            n % 2 == 0 ? .failure(.connection("reset by peer")) : errorResponse("ServiceUnavailable", status: 503)
        }
        let client = makeClient(transport, maxAttempts: 4)
        await #expect {
            _ = try await client.call(.listLaunchPaths, body: Array("{}".utf8), deadline: 1e9)
        } throws: { error in
            guard case .attemptsExhausted(_, let attempts) = error as? CallError else { return false }
            return attempts == 4
        }
        #expect(transport.requests.count == 4)
    }

    @Test func throttlingIsRetriedPastMaxAttemptsUntilSuccess() async throws {
        let transport = ScriptedTransport { _, n in n <= 7 ? errorResponse("ThrottlingException", "Rate exceeded") : okResponse() }
        let clock = VirtualApplyClock()
        let client = makeClient(transport, maxAttempts: 3, clock: clock)
        _ = try await client.call(.describeRecord, body: Array("{}".utf8), deadline: 1e9)
        #expect(transport.requests.count == 8)
        #expect(client.statistics.throttled == 7)
        #expect(client.quota.available == 500) // throttling does not draw on the quota
        #expect(client.limiter.currentRate != nil) // and switched the rate limiter on
    }

    @Test func throttlingStopsAtTheDeadline() async {
        let transport = ScriptedTransport { _, _ in errorResponse("ThrottlingException") }
        let clock = VirtualApplyClock()
        let client = makeClient(transport, clock: clock)
        await #expect {
            _ = try await client.call(.describeRecord, body: Array("{}".utf8), deadline: 120)
        } throws: { error in
            guard case .deadline(let last) = error as? CallError else { return false }
            return last?.contains("ThrottlingException") == true
        }
        #expect(transport.requests.count > 3)
        #expect(clock.now() <= 120)
    }

    @Test func quotaExhaustionStopsRetries() async {
        let quota = RetryQuota(capacity: 12) // two retries at 5
        let transport = ScriptedTransport { _, _ in errorResponse("InternalFailure", status: 500) }
        let client = makeClient(transport, maxAttempts: 10, quota: quota)
        await #expect {
            _ = try await client.call(.describeRecord, body: Array("{}".utf8), deadline: 1e9)
        } throws: { error in
            guard case .retryQuotaExhausted(_, let attempts) = error as? CallError else { return false }
            return attempts == 3
        }
        #expect(transport.requests.count == 3)
    }

    @Test func timeoutsCostTen() async throws {
        let transport = ScriptedTransport { _, n in n == 1 ? .failure(.timeout) : okResponse() }
        let client = makeClient(transport)
        _ = try await client.call(.describeRecord, body: Array("{}".utf8), deadline: 1e9)
        #expect(client.quota.available == 500) // 10 taken, 10 given back on success
        #expect(transport.requests.count == 2)
    }

    @Test func backoffUsesTheRandomSource() async throws {
        let transport = ScriptedTransport { _, n in n <= 3 ? errorResponse("InternalFailure", status: 500) : okResponse() }
        let clock = VirtualApplyClock()
        let client = makeClient(transport, maxAttempts: 5, clock: clock, random: SequenceRandomSource([0.5]))
        _ = try await client.call(.describeRecord, body: Array("{}".utf8), deadline: 1e9)
        // 0.5 × 1, 0.5 × 2, 0.5 × 4 seconds.
        #expect(abs(clock.now() - 3.5) < 1e-9)
    }

    @Test func malformedSuccessBody() async {
        let transport = ScriptedTransport { _, _ in okResponse("not json") }
        let client = makeClient(transport)
        await #expect(throws: CallError.self) {
            _ = try await client.call(.describeRecord, body: Array("{}".utf8), deadline: 1e9)
        }
        let empty = makeClient(ScriptedTransport { _, _ in okResponse("") })
        let out = try? await empty.call(.deleteProvisionedProductPlan, body: Array("{}".utf8), deadline: 1e9)
        #expect(out == .object([]))
    }

    @Test func stoppedGateMakesNoCall() async {
        let transport = ScriptedTransport { _, _ in okResponse() }
        let client = makeClient(transport)
        client.gate.stop()
        await #expect {
            _ = try await client.call(.describeRecord, body: Array("{}".utf8), deadline: 1e9)
        } throws: { error in
            if case .stopped = error as? CallError { return true }
            return false
        }
        #expect(transport.requests.isEmpty)
    }
}
