import Synchronization

/// Settings of the adaptive rate limiter. The defaults are the AWS SDKs' (botocore
/// `retries/adaptive.py`, `bucket.py`, `throttling.py`) plus plancc's two rules for fleets.
public struct RateLimiterSettings: Sendable {
    /// CUBIC's multiplicative decrease: the rate falls to `beta` × the measured rate.
    public var beta: Double = 0.7
    /// CUBIC's scale constant C: rate(t) = C·(t − K)³ + Wmax, t seconds since the decrease.
    public var scale: Double = 0.4
    /// The lowest fill rate, in requests per second.
    public var minimumRate: Double = 0.5
    /// The measured rate is the number of responses in this many seconds, over that time.
    public var measurementWindow: Double = 1
    /// Before one window has passed, the time since the first response, but at least this.
    public var minimumMeasurementSpan: Double = 0.005
    /// Throttling is "severe" when more than this share of at least `severeMinimumResponses`
    /// responses (to requests sent since the last decrease) were throttled.
    public var severeShare: Double = 0.5
    public var severeMinimumResponses: Int = 20
    /// A throttle after the recovery period lowers the rate only when the measured rate is
    /// back to at least this share of Wmax.
    public var recoveredShare: Double = 0.9
    public init() {}
}

/// Client-side rate limiting, after the AWS SDKs' adaptive retry mode.
///
/// Off until the first throttling error. From then on every attempt takes a token from a
/// bucket that fills at `rate` tokens per second (holding at most max(1, rate)); a caller
/// that finds it empty waits for its turn (first come, first served).
///
/// The rate follows CUBIC, as in the SDKs: a throttling response records Wmax = the
/// measured response rate (capped by the current rate), sets the rate to 0.7 × Wmax and
/// restarts the curve; every other response sets the rate to 0.4·(t − K)³ + Wmax, where
/// t is the time since that decrease and K = ∛(Wmax × 0.3 / 0.4) (so the curve is back at
/// Wmax after K seconds and probes above it after that), but never above twice the
/// measured rate. The rate never falls below 0.5 per second.
///
/// Two rules differ from the SDKs, which lower the rate on *every* throttling response
/// and so collapse to the minimum rate when a share of requests is throttled whatever the
/// rate (as a large fleet sees): (1) a throttling response to a request sent before the
/// last decrease says nothing about the new rate and is ignored; (2) the rate is lowered
/// again only once the curve has recovered (t ≥ K) and the measured rate is back to at
/// least 0.9 × Wmax (so a lull in demand does not ratchet the rate down), unless
/// throttling is severe: more than half of at least 20 responses since the last decrease.
/// Under a server-side limit the rate settles just under that limit; under
/// rate-independent throttling it oscillates between 0.7 and 1 times the rate it had,
/// instead of collapsing.
public final class AdaptiveRateLimiter: Sendable {
    public let settings: RateLimiterSettings

    struct State {
        var enabled = false
        var rate = 0.0
        var capacity = 1.0
        var tokens = 0.0
        var lastRefill: Double?
        var wMax = 0.0
        var k = 0.0
        var lastDecrease = -Double.infinity
        var epochResponses = 0
        var epochThrottles = 0
        var responses: [Double] = []
        var responsesHead = 0
        var firstResponse: Double?
        var decreases = 0
    }

    private let state = Mutex(State())

    public init(settings: RateLimiterSettings = RateLimiterSettings()) {
        self.settings = settings
    }

    /// The fill rate in requests per second, or nil while the limiter is off.
    public var currentRate: Double? { state.withLock { $0.enabled ? $0.rate : nil } }
    /// How many times the rate was lowered.
    public var decreases: Int { state.withLock { $0.decreases } }

    /// Takes a token at `now`; returns how long the caller must wait before sending (0 when
    /// the limiter is off or a token was there).
    public func reserve(now: Double) -> Double {
        state.withLock { s -> Double in
            guard s.enabled else { return 0 }
            refill(&s, now)
            s.tokens -= 1
            return s.tokens >= 0 ? 0 : -s.tokens / s.rate
        }
    }

    /// Records a response (any answer, error or not, but not a transport failure) to a
    /// request sent at `sentAt`, received at `now`.
    public func record(throttled: Bool, sentAt: Double, now: Double) {
        state.withLock { s in
            let measured = measure(&s, now)
            let current = sentAt >= s.lastDecrease
            if current {
                s.epochResponses += 1
                if throttled { s.epochThrottles += 1 }
            }
            if !throttled {
                if s.enabled {
                    let t = now - s.lastDecrease
                    let cubic = settings.scale * (t - s.k) * (t - s.k) * (t - s.k) + s.wMax
                    setRate(&s, now, min(cubic, 2 * measured))
                }
                return
            }
            guard current else { return }
            let recovered = !s.enabled
                || (now - s.lastDecrease >= s.k && measured >= settings.recoveredShare * s.wMax)
            let severe = s.epochResponses >= settings.severeMinimumResponses
                && Double(s.epochThrottles) > settings.severeShare * Double(s.epochResponses)
            guard recovered || severe else { return }
            let rateToUse = s.enabled ? min(measured, s.rate) : measured
            s.wMax = rateToUse
            s.k = cubeRoot(rateToUse * (1 - settings.beta) / settings.scale)
            s.lastDecrease = now
            s.epochResponses = 0
            s.epochThrottles = 0
            s.decreases += 1
            if !s.enabled {
                s.enabled = true
                s.lastRefill = now
                s.tokens = 0
            }
            setRate(&s, now, rateToUse * settings.beta)
        }
    }

    /// The measured response rate at `now`, counting this response.
    private func measure(_ s: inout State, _ now: Double) -> Double {
        if s.firstResponse == nil { s.firstResponse = now }
        s.responses.append(now)
        let horizon = now - settings.measurementWindow
        while s.responsesHead < s.responses.count, s.responses[s.responsesHead] < horizon { s.responsesHead += 1 }
        if s.responsesHead > 4096, s.responsesHead * 2 > s.responses.count {
            s.responses.removeFirst(s.responsesHead)
            s.responsesHead = 0
        }
        let count = Double(s.responses.count - s.responsesHead)
        let span = min(settings.measurementWindow, max(now - s.firstResponse!, settings.minimumMeasurementSpan))
        return count / span
    }

    private func refill(_ s: inout State, _ now: Double) {
        guard let last = s.lastRefill else { s.lastRefill = now; return }
        if now > last {
            s.tokens = min(s.capacity, s.tokens + (now - last) * s.rate)
            s.lastRefill = now
        }
    }

    private func setRate(_ s: inout State, _ now: Double, _ value: Double) {
        refill(&s, now)
        s.rate = max(value.isFinite ? value : settings.minimumRate, settings.minimumRate)
        s.capacity = max(1, s.rate)
        s.tokens = min(s.tokens, s.capacity)
    }
}

func cubeRoot(_ x: Double) -> Double {
    guard x > 0 else { return 0 }
    var r = x > 1 ? x / 3 : 1.0
    for _ in 0..<100 {
        let next = r - (r * r * r - x) / (3 * r * r)
        if abs(next - r) <= 1e-12 * max(1, r) { return next }
        r = next
    }
    return r
}
