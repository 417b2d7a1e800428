import Synchronization

/// How a failed attempt is treated.
public enum RetryClass: Sendable, Equatable {
    /// Retried with backoff until `maxAttempts`, each retry paid from the retry quota:
    /// HTTP 500/502/503/504, the transient codes, connection errors and timeouts.
    case transient(timeout: Bool)
    /// Retried until the spec's deadline, paced by the adaptive rate limiter; not counted
    /// against `maxAttempts` nor the quota.
    case throttling
    /// Not retried: every other error, including Service Catalog's modeled exceptions
    /// (InvalidParametersException, ResourceNotFoundException, InvalidStateException)
    /// and any other 4xx.
    case permanent
}

/// The AWS SDKs' standard retry rules (botocore `retries/standard.py`), with throttling
/// split off for the adaptive rate limiter.
public struct RetryPolicy: Sendable {
    /// All attempts of one call that may end in a transient error, the first included.
    public var maxAttempts: Int
    /// Full-jitter backoff: before retry i (1 for the first), `random() × min(base × 2^(i−1), cap)`.
    public var baseDelay: Double
    public var maxDelay: Double

    public init(maxAttempts: Int = 5, baseDelay: Double = 1, maxDelay: Double = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"]
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// Classifies an error response. A throttling code wins over a 5xx status (a 503
    /// `SlowDown` is throttling) and over the transient list (`PriorRequestNotComplete` is
    /// on both, as in botocore); a transient code or status is transient; the rest is
    /// permanent.
    public static func classify(_ error: ServiceErrorResponse) -> RetryClass {
        if throttlingCodes.contains(error.code) { return .throttling }
        if transientCodes.contains(error.code) || transientStatuses.contains(error.status) { return .transient(timeout: false) }
        return .permanent
    }

    public static func classify(_ error: TransportError) -> RetryClass {
        switch error {
        case .timeout: return .transient(timeout: true)
        case .connection: return .transient(timeout: false)
        }
    }

    /// The full-jitter delay before retry `retry` (1-based), for a uniform `random` in [0, 1).
    public func backoff(retry: Int, random: Double) -> Double {
        let exponent = Double(max(0, min(retry - 1, 62)))
        let ceiling = min(baseDelay * pow2(exponent), maxDelay)
        return max(0, min(random, 1)) * ceiling
    }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        var i = 0.0
        while i < e, r < 1e12 { r *= 2; i += 1 }
        return r
    }
}

/// The standard mode's retry quota (botocore `retries/quota.py`): a bucket of 500 tokens
/// shared by every call of a run. A transient retry takes 5 tokens (10 after a timeout);
/// when fewer are left the call fails instead of retrying. A success gives back 1 token,
/// or what its last retry took; the bucket never exceeds its capacity.
public final class RetryQuota: Sendable {
    public static let initialTokens = 500
    public static let retryCost = 5
    public static let timeoutRetryCost = 10
    public static let noRetryIncrement = 1

    private let state: Mutex<Int>
    public let capacity: Int

    public init(capacity: Int = RetryQuota.initialTokens) {
        self.capacity = capacity
        state = Mutex(capacity)
    }

    public var available: Int { state.withLock { $0 } }

    /// Takes the cost of one retry; nil (nothing taken) when the quota cannot pay it.
    public func acquire(timeout: Bool) -> Int? {
        let cost = timeout ? RetryQuota.timeoutRetryCost : RetryQuota.retryCost
        return state.withLock { tokens -> Int? in
            guard tokens >= cost else { return nil }
            tokens -= cost
            return cost
        }
    }

    /// After a successful response: `lastRetryCost` is what the last retry of the call took
    /// (nil when it succeeded at once).
    public func release(lastRetryCost: Int?) {
        let amount = lastRetryCost ?? RetryQuota.noRetryIncrement
        state.withLock { $0 = min(capacity, $0 + amount) }
    }
}
