import Testing
import Synchronization
@testable import AWSConfig

@Suite struct RefreshTests {
    /// A fetch that hands out numbered credentials valid for `lifetime` seconds from the clock.
    static func fetcher(_ clock: TestClock, lifetime: Double?, counter: Counter, delay: Double = 0, fail: Flag? = nil) -> @Sendable () async throws -> Credentials {
        return {
            let n = counter.next()
            if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
            if fail?.isSet == true {
                throw AWSConfigError.credentials(source: "test", failure: .httpStatus(500, url: "http://127.0.0.1/", detail: nil))
            }
            return Credentials(accessKeyId: "ASIA\(n)", secretAccessKey: "s\(n)", sessionToken: "t\(n)", expiration: lifetime.map { clock.now + $0 })
        }
    }

    @Test func refreshesWhenLessThanFiveMinutesRemain() async throws {
        let clock = TestClock(t0)
        let counter = Counter()
        let provider = RefreshingCredentialsProvider(source: "test", clock: { clock.now }, fetch: Self.fetcher(clock, lifetime: 3600, counter: counter))
        #expect(try await provider.credentials().accessKeyId == "ASIA1")
        clock.set(t0 + 3600 - 300 - 1)
        #expect(try await provider.credentials().accessKeyId == "ASIA1")
        clock.set(t0 + 3600 - 300)
        #expect(try await provider.credentials().accessKeyId == "ASIA2")
        #expect(await provider.fetchCount == 2)
    }

    @Test func windowIsConfigurable() async throws {
        let clock = TestClock(t0)
        let counter = Counter()
        let provider = RefreshingCredentialsProvider(source: "test", refreshWindow: 900, clock: { clock.now }, fetch: Self.fetcher(clock, lifetime: 3600, counter: counter))
        _ = try await provider.resolve()
        clock.set(t0 + 2701)
        #expect(try await provider.credentials().accessKeyId == "ASIA2")
    }

    @Test func longTermCredentialsAreFetchedOnce() async throws {
        let clock = TestClock(t0)
        let counter = Counter()
        let provider = RefreshingCredentialsProvider(source: "test", clock: { clock.now }, fetch: Self.fetcher(clock, lifetime: Double?.none, counter: counter))
        for _ in 0..<5 { _ = try await provider.resolve(); clock.advance(86400) }
        #expect(counter.current == 1)
    }

    @Test func shortLivedCredentialsAreNotRefetchedOnEveryCall() async throws {
        let clock = TestClock(t0)
        let counter = Counter()
        let provider = RefreshingCredentialsProvider(source: "test", clock: { clock.now }, fetch: Self.fetcher(clock, lifetime: 120, counter: counter))
        _ = try await provider.resolve()
        _ = try await provider.resolve()
        clock.advance(59)
        _ = try await provider.resolve()
        #expect(counter.current == 1)
        clock.advance(2)   // past halfway
        _ = try await provider.resolve()
        #expect(counter.current == 2)
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let clock = TestClock(t0)
        let counter = Counter()
        let provider = RefreshingCredentialsProvider(source: "test", clock: { clock.now }, fetch: Self.fetcher(clock, lifetime: 3600, counter: counter, delay: 0.1))
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await provider.credentials().accessKeyId } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["ASIA1"])
        #expect(counter.current == 1)
        // And again for a refresh.
        clock.set(t0 + 3500)
        let refreshed = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await provider.credentials().accessKeyId } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(refreshed == ["ASIA2"])
        #expect(counter.current == 2)
    }

    @Test func failedRefreshKeepsStillValidCredentials() async throws {
        let clock = TestClock(t0)
        let counter = Counter()
        let fail = Flag()
        let provider = RefreshingCredentialsProvider(source: "test", clock: { clock.now }, fetch: Self.fetcher(clock, lifetime: 3600, counter: counter, fail: fail))
        _ = try await provider.resolve()
        fail.set(true)
        clock.set(t0 + 3400)   // in the refresh window, 200 s left
        #expect(try await provider.credentials().accessKeyId == "ASIA1")
        clock.set(t0 + 3570)   // 30 s left: no longer good enough
        await #expect(throws: AWSConfigError.credentials(source: "test", failure: .httpStatus(500, url: "http://127.0.0.1/", detail: nil))) {
            _ = try await provider.resolve()
        }
        fail.set(false)
        #expect(try await provider.credentials().accessKeyId == "ASIA4")
    }

    @Test func expiredOrEmptyCredentialsFromASourceAreErrors() async throws {
        let clock = TestClock(t0)
        let expired = RefreshingCredentialsProvider(source: "web-identity", clock: { clock.now }) {
            Credentials(accessKeyId: "A", secretAccessKey: "s", sessionToken: "t", expiration: t0 - 10)
        }
        await #expect(throws: AWSConfigError.credentials(source: "web-identity", failure: .expired(expiration: t0 - 10, now: t0))) {
            _ = try await expired.resolve()
        }
        let empty = RefreshingCredentialsProvider(source: "x", clock: { clock.now }) { Credentials(accessKeyId: "", secretAccessKey: "s") }
        await #expect(throws: AWSConfigError.credentials(source: "x", failure: .malformedResponse("the access key id or secret access key is empty"))) {
            _ = try await empty.resolve()
        }
    }

    @Test func chainSearchesOnceForConcurrentCallers() async throws {
        let counter = Counter()
        let server = try await StandIn.start { _ in
            _ = counter.next()
            return StandInResponse(body: credentialsJSON(keyId: "ASIACONT", secret: "s", token: "t", expiration: t0 + 3600), delay: 0.1)
        }
        defer { Task { await server.stop() } }
        let sandbox = Sandbox()
        let configuration = try sandbox.configuration(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL], clock: TestClock(t0))
        let chain = DefaultCredentialsChain(configuration: configuration, region: nil, options: testOptions())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 { group.addTask { _ = try await chain.resolve() } }
            try await group.waitForAll()
        }
        #expect(counter.current == 1)
    }
}
