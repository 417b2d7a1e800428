import PlanApply
import Testing

@Suite struct RetryPolicyTests {
    func error(_ code: String, _ status: Int = 400) -> ServiceErrorResponse {
        ServiceErrorResponse(code: code, message: "", status: status)
    }

    @Test(arguments: ["InvalidParametersException", "ResourceNotFoundException", "InvalidStateException",
                      "AccessDeniedException", "UnrecognizedClientException", "ValidationException", "429"])
    func permanent(code: String) {
        #expect(RetryPolicy.classify(error(code, code == "429" ? 429 : 400)) == .permanent)
    }

    @Test(arguments: ["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown",
                      "ProvisionedThroughputExceededException", "LimitExceededException"])
    func throttling(code: String) {
        #expect(RetryPolicy.classify(error(code)) == .throttling)
        #expect(RetryPolicy.classify(error(code, 503)) == .throttling)
    }

    @Test(arguments: [500, 502, 503, 504])
    func transientStatus(status: Int) {
        #expect(RetryPolicy.classify(error("InternalFailure", status)) == .transient(timeout: false))
        #expect(RetryPolicy.classify(error(String(status), status)) == .transient(timeout: false))
    }

    @Test func transientCodesAndTransport() {
        #expect(RetryPolicy.classify(error("RequestTimeoutException")) == .transient(timeout: false))
        #expect(RetryPolicy.classify(error("PriorRequestNotComplete")) == .throttling) // both lists: throttling wins
        #expect(RetryPolicy.classify(TransportError.timeout) == .transient(timeout: true))
        #expect(RetryPolicy.classify(TransportError.connection("reset")) == .transient(timeout: false))
        #expect(RetryPolicy.classify(error("NotAnError", 501)) == .permanent)
    }

    @Test func fullJitterBackoff() {
        let p = RetryPolicy()
        #expect(p.backoff(retry: 1, random: 0.5) == 0.5)
        #expect(p.backoff(retry: 2, random: 0.5) == 1)
        #expect(p.backoff(retry: 3, random: 0.25) == 1)
        #expect(p.backoff(retry: 5, random: 1.0) == 16)
        #expect(p.backoff(retry: 6, random: 1.0) == 20) // capped at 20 s
        #expect(p.backoff(retry: 60, random: 0.5) == 10)
        #expect(p.backoff(retry: 3, random: 0) == 0)
    }

    @Test func quotaCostsAndRefunds() {
        let q = RetryQuota()
        #expect(q.available == 500)
        #expect(q.acquire(timeout: false) == 5)
        #expect(q.acquire(timeout: true) == 10)
        #expect(q.available == 485)
        q.release(lastRetryCost: 10)
        #expect(q.available == 495)
        q.release(lastRetryCost: nil)
        #expect(q.available == 496)
        for _ in 0..<10 { q.release(lastRetryCost: 5) }
        #expect(q.available == 500) // never above the capacity
    }

    @Test func quotaRunsDry() {
        let q = RetryQuota()
        var granted = 0
        while q.acquire(timeout: false) != nil { granted += 1 }
        #expect(granted == 100)
        #expect(q.available == 0)
        #expect(q.acquire(timeout: true) == nil)
        q.release(lastRetryCost: nil)
        #expect(q.acquire(timeout: false) == nil) // 1 token is not enough for a retry
    }
}
