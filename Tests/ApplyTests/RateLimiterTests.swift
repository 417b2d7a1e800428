import PlanApply
import Testing

@Suite struct RateLimiterTests {
    /// Feeds `count` successful responses evenly over `seconds`, starting at `start`.
    func successes(_ l: AdaptiveRateLimiter, count: Int, from start: Double, over seconds: Double) {
        for i in 0..<count {
            let t = start + seconds * Double(i + 1) / Double(count)
            l.record(throttled: false, sentAt: t - 0.001, now: t)
        }
    }

    @Test func offUntilTheFirstThrottle() {
        let l = AdaptiveRateLimiter()
        successes(l, count: 500, from: 0, over: 1)
        #expect(l.currentRate == nil)
        #expect(l.reserve(now: 1) == 0)
        #expect(l.reserve(now: 1) == 0)
    }

    @Test func firstThrottleSetsSeventyPercentOfTheMeasuredRate() throws {
        let l = AdaptiveRateLimiter()
        successes(l, count: 99, from: 0, over: 1) // 100 responses in the last second with the throttle
        l.record(throttled: true, sentAt: 1.0, now: 1.0)
        let rate = try #require(l.currentRate)
        #expect(abs(rate - 70) < 1)
        #expect(l.decreases == 1)
    }

    @Test func bucketMakesCallersWait() throws {
        let l = AdaptiveRateLimiter()
        successes(l, count: 9, from: 0, over: 1)
        l.record(throttled: true, sentAt: 1, now: 1) // about 10/s measured → 7/s
        let rate = try #require(l.currentRate)
        #expect(rate > 5 && rate < 10)
        // The bucket starts empty: callers queue at 1/rate intervals.
        let waits = (0..<3).map { _ in l.reserve(now: 1) }
        #expect(abs(waits[0] - 1 / rate) < 1e-9)
        #expect(abs(waits[1] - 2 / rate) < 1e-9)
        #expect(abs(waits[2] - 3 / rate) < 1e-9)
    }

    @Test func staleThrottlesAreIgnored() {
        let l = AdaptiveRateLimiter()
        successes(l, count: 99, from: 0, over: 1)
        l.record(throttled: true, sentAt: 1.0, now: 1.0)
        // Answers to requests sent before the decrease say nothing about the new rate.
        for i in 0..<30 { l.record(throttled: true, sentAt: 0.99, now: 1.01 + Double(i) * 0.001) }
        #expect(l.decreases == 1)
    }

    @Test func oneDecreasePerRecoveryUnlessSevere() throws {
        let l = AdaptiveRateLimiter()
        successes(l, count: 99, from: 0, over: 1)
        l.record(throttled: true, sentAt: 1, now: 1)
        // Wmax ≈ 101/s, K = ∛(101 × 0.3 / 0.4) ≈ 4.2 s: a few throttles (under half of the answers) do nothing.
        var t = 1.0
        for i in 0..<40 {
            t += 0.02
            l.record(throttled: i % 4 == 0, sentAt: t - 0.01, now: t)
        }
        #expect(l.decreases == 1)
        // After K seconds the curve is back at Wmax and a throttle lowers the rate again.
        l.record(throttled: true, sentAt: 4.9, now: 4.9)
        #expect(l.decreases == 1)
        // After K seconds, but with demand low (few responses in the last second): no decrease.
        l.record(throttled: true, sentAt: 5.5, now: 5.5)
        #expect(l.decreases == 1)
        // Back at Wmax (about 100 responses a second) a throttle lowers the rate again.
        successes(l, count: 110, from: 5.5, over: 1)
        l.record(throttled: true, sentAt: 6.5, now: 6.5)
        #expect(l.decreases == 2)
    }

    @Test func severeThrottlingDecreasesAtOnce() {
        let l = AdaptiveRateLimiter()
        successes(l, count: 99, from: 0, over: 1)
        l.record(throttled: true, sentAt: 1, now: 1)
        var t = 1.0
        for _ in 0..<25 {
            t += 0.01
            l.record(throttled: true, sentAt: t - 0.005, now: t)
        }
        #expect(l.decreases >= 2)
    }

    @Test func cubicRecovery() throws {
        var settings = RateLimiterSettings()
        settings.minimumRate = 0.5
        let l = AdaptiveRateLimiter(settings: settings)
        successes(l, count: 99, from: 0, over: 1)
        l.record(throttled: true, sentAt: 1, now: 1)
        let wMax = 100.0
        let k = cbrt(wMax * 0.3 / 0.4)
        // Keep the measured rate high so the 2× cap does not bind, then look at the curve.
        successes(l, count: 400, from: 1, over: k)
        let atK = try #require(l.currentRate)
        #expect(abs(atK - wMax) < 2)
        successes(l, count: 200, from: 1 + k, over: 1)
        #expect(try #require(l.currentRate) > atK)
    }

    @Test func neverBelowTheMinimumRate() throws {
        let l = AdaptiveRateLimiter()
        var t = 0.0
        for _ in 0..<200 {
            t += 5
            l.record(throttled: true, sentAt: t, now: t)
        }
        #expect(try #require(l.currentRate) >= 0.5)
    }

    @Test func rateIndependentThrottlingDoesNotCollapse() throws {
        // 30% of answers throttled whatever the rate, 200 responses per second offered:
        // the SDKs' rule (decrease on every throttle) ends near 0.5/s; plancc's stays high.
        let l = AdaptiveRateLimiter()
        var t = 0.0
        var n = 0
        let rng = SeededRandomSource(seed: 7)
        while t < 30 {
            let gap = max(1.0 / 200, l.reserve(now: t))
            t += gap
            n += 1
            l.record(throttled: rng.next() < 0.3, sentAt: t - 0.002, now: t)
        }
        let rate = try #require(l.currentRate)
        #expect(rate > 20, "rate collapsed to \(rate)/s after \(n) requests")
    }
}

func cbrt(_ x: Double) -> Double {
    var r = 1.0
    for _ in 0..<200 { r = r - (r * r * r - x) / (3 * r * r) }
    return r
}
