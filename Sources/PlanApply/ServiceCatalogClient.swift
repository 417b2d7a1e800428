public import AWSConfig
public import SigV4
import PlanWire
import Synchronization

/// The Service Catalog operations `plancc apply` calls.
public enum ServiceCatalogOperation: String, Sendable, CaseIterable {
    case createProvisionedProductPlan = "CreateProvisionedProductPlan"
    case describeProvisionedProductPlan = "DescribeProvisionedProductPlan"
    case executeProvisionedProductPlan = "ExecuteProvisionedProductPlan"
    case deleteProvisionedProductPlan = "DeleteProvisionedProductPlan"
    case listProvisionedProductPlans = "ListProvisionedProductPlans"
    case listLaunchPaths = "ListLaunchPaths"
    case describeProvisionedProduct = "DescribeProvisionedProduct"
    case describeRecord = "DescribeRecord"
}

/// Why a call failed, after any retries. Descriptions never contain credentials.
public enum CallError: Error, Sendable, CustomStringConvertible {
    /// A service error that is not retried (e.g. InvalidParametersException).
    case service(ServiceErrorResponse)
    /// Transient errors on every one of `attempts` attempts (`--max-attempts`).
    case attemptsExhausted(last: String, attempts: Int)
    /// The retry quota had no tokens left for another retry.
    case retryQuotaExhausted(last: String, attempts: Int)
    /// The spec's deadline (`--spec-timeout`) passed.
    case deadline(last: String?)
    /// The run was stopped (Ctrl-C or --fail-fast) before the call could start.
    case stopped
    /// Credentials could not be had.
    case credentials(String)
    /// A 2xx response whose body is not a JSON object.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .service(let e): return e.description
        case .attemptsExhausted(let last, let attempts):
            return "\(last) (gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"))"
        case .retryQuotaExhausted(let last, let attempts):
            return "\(last) (not retried: the retry quota is used up, after \(attempts) attempt\(attempts == 1 ? "" : "s"))"
        case .deadline(let last):
            return "the spec's deadline passed" + (last.map { " (last problem: \($0))" } ?? "")
        case .stopped: return "stopped before the call was made"
        case .credentials(let text): return "credentials: \(text)"
        case .malformedResponse(let text): return "malformed response: \(text)"
        }
    }

    /// The service error code, when the service answered with one.
    public var serviceCode: String? {
        if case .service(let e) = self { return e.code }
        return nil
    }
}

/// Counters of one run, for progress lines and tests.
public final class CallStatistics: Sendable {
    struct Counts {
        var attempts = 0
        var throttled = 0
        var transientRetries = 0
        var byOperation: [String: Int] = [:]
    }
    private let state = Mutex(Counts())
    public init() {}
    func attempt(_ op: ServiceCatalogOperation) { state.withLock { $0.attempts += 1; $0.byOperation[op.rawValue, default: 0] += 1 } }
    func throttle() { state.withLock { $0.throttled += 1 } }
    func transientRetry() { state.withLock { $0.transientRetries += 1 } }
    public var attempts: Int { state.withLock { $0.attempts } }
    public var throttled: Int { state.withLock { $0.throttled } }
    public var transientRetries: Int { state.withLock { $0.transientRetries } }
    public var attemptsByOperation: [String: Int] { state.withLock { $0.byOperation } }
}

/// A Service Catalog client over awsJson1_1: builds, signs (afresh for every attempt,
/// same body), sends and retries calls, sharing one retry quota, one rate limiter and one
/// call gate across a run.
public final class ServiceCatalogClient: Sendable {
    public let transport: any HTTPTransport
    public let endpoint: Endpoint
    public let signingRegion: String
    public let credentials: any CredentialsProvider
    public let policy: RetryPolicy
    public let quota: RetryQuota
    public let limiter: AdaptiveRateLimiter
    public let gate: CallGate
    public let clock: any ApplyClock
    public let random: any RandomSource
    /// Seconds one attempt may take, from sending to the last byte of the response.
    public let callTimeout: Double
    public let statistics = CallStatistics()
    public let userAgent: String
    let target: RequestTarget
    /// Signing time; the wall clock unless a test fixes it.
    let signingTime: @Sendable () -> SigningTime

    public init(
        transport: any HTTPTransport, endpoint: Endpoint, signingRegion: String, credentials: any CredentialsProvider,
        policy: RetryPolicy = RetryPolicy(), quota: RetryQuota = RetryQuota(), limiter: AdaptiveRateLimiter = AdaptiveRateLimiter(),
        gate: CallGate, clock: any ApplyClock = SystemApplyClock(), random: any RandomSource = SystemRandomSource(),
        callTimeout: Double = 30, userAgent: String = "plancc/0.1.0",
        signingTime: @escaping @Sendable () -> SigningTime = { SigningTime.now() }
    ) {
        self.transport = transport
        self.endpoint = endpoint
        self.signingRegion = signingRegion
        self.credentials = credentials
        self.policy = policy
        self.quota = quota
        self.limiter = limiter
        self.gate = gate
        self.clock = clock
        self.random = random
        self.callTimeout = callTimeout
        self.userAgent = userAgent
        self.signingTime = signingTime
        target = RequestTarget(hostHeader: endpoint.hostHeader, path: endpoint.requestPath("/"))
    }

    /// Calls `operation` with a JSON body, retrying as the policy says until `deadline`
    /// (on `clock`). Returns the response body (`{}` when empty). Throws `CallError`.
    public func call(_ operation: ServiceCatalogOperation, body: [UInt8], deadline: Double) async throws(CallError) -> ResponseJSON {
        let unsigned = makeRequest(operation: operation.rawValue, body: body, target: target)
        let invocationId = makeInvocationId()
        var attempts = 0
        var transientAttempts = 0
        var throttles = 0
        var lastRetryCost: Int?
        var lastProblem: String?
        while true {
            if gate.isStopped { throw .stopped }
            if clock.now() >= deadline { throw .deadline(last: lastProblem) }
            do {
                try await gate.acquire()
            } catch {
                throw .stopped
            }
            let outcome: Result<TransportResponse, TransportError>
            let sentAt: Double
            do {
                defer { gate.release() }
                let wait = limiter.reserve(now: clock.now())
                if wait > 0 {
                    if clock.now() + wait >= deadline { throw CallError.deadline(last: lastProblem) }
                    do { try await gate.sleep(wait, clock: clock) } catch { throw CallError.stopped }
                }
                let creds: Credentials
                do {
                    creds = try await credentials.credentials()
                } catch {
                    throw CallError.credentials(String(describing: error))
                }
                attempts += 1
                statistics.attempt(operation)
                let signed = signRequest(unsigned, region: signingRegion, credentials: creds, time: signingTime())
                var headers = signed.headers.map { (name: $0.name, value: $0.value) }
                headers.append(("User-Agent", userAgent))
                headers.append(("amz-sdk-invocation-id", invocationId))
                headers.append(("amz-sdk-request", attempts == 1 ? "attempt=1" : "attempt=\(attempts); max=\(policy.maxAttempts)"))
                let request = TransportRequest(endpoint: endpoint, method: signed.method, path: signed.path, headers: headers, body: signed.body)
                sentAt = clock.now()
                let timeout = min(callTimeout, max(0.001, deadline - sentAt))
                do {
                    outcome = .success(try await transport.send(request, timeout: timeout))
                } catch let e as TransportError {
                    outcome = .failure(e)
                } catch {
                    throw CallError.stopped
                }
            } catch let e as CallError {
                throw e
            } catch {
                throw .stopped
            }

            let now = clock.now()
            let retryClass: RetryClass
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                limiter.record(throttled: false, sentAt: sentAt, now: now)
                quota.release(lastRetryCost: lastRetryCost)
                if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object([]) }
                guard let json = try? ResponseJSON.parse(response.body), json.isObject else {
                    throw .malformedResponse("\(operation.rawValue) answered HTTP \(response.status) with a body that is not a JSON object")
                }
                return json
            case .success(let response):
                let error = ServiceErrorResponse.parse(status: response.status, headers: response.headers, body: response.body)
                retryClass = RetryPolicy.classify(error)
                limiter.record(throttled: retryClass == .throttling, sentAt: sentAt, now: now)
                if retryClass == .permanent { throw .service(error) }
                lastProblem = "\(operation.rawValue): \(error)"
            case .failure(let error):
                retryClass = RetryPolicy.classify(error)
                lastProblem = "\(operation.rawValue): \(error)"
                if case .timeout = error, now >= deadline { throw .deadline(last: lastProblem) }
            }

            let delay: Double
            switch retryClass {
            case .throttling:
                throttles += 1
                statistics.throttle()
                delay = policy.backoff(retry: throttles, random: random.next())
            case .transient(let timeout):
                transientAttempts += 1
                if transientAttempts >= policy.maxAttempts {
                    throw .attemptsExhausted(last: lastProblem ?? operation.rawValue, attempts: attempts)
                }
                guard let cost = quota.acquire(timeout: timeout) else {
                    throw .retryQuotaExhausted(last: lastProblem ?? operation.rawValue, attempts: attempts)
                }
                lastRetryCost = cost
                statistics.transientRetry()
                delay = policy.backoff(retry: transientAttempts, random: random.next())
            case .permanent:
                throw .deadline(last: lastProblem) // not reached: permanent errors were thrown above
            }
            if clock.now() + delay >= deadline { throw .deadline(last: lastProblem) }
            do { try await gate.sleep(delay, clock: clock) } catch { throw .stopped }
        }
    }

    private func makeInvocationId() -> String {
        var bytes: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
