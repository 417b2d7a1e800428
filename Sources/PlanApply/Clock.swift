import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Time for the apply engine: a monotonic clock in seconds and a sleep. Tests inject a
/// virtual clock whose `sleep` advances time at once.
public protocol ApplyClock: Sendable {
    /// Seconds on a monotonic clock (any origin).
    func now() -> Double
    /// Sleeps, throwing `CancellationError` when the task is cancelled.
    func sleep(seconds: Double) async throws
}

/// The system's monotonic clock and `Task.sleep`.
public struct SystemApplyClock: ApplyClock {
    public init() {}
    public func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { try Task.checkCancellation(); return }
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 1e6) * 1e9))
    }
}

/// A virtual clock for tests: `sleep` advances `now` by the amount slept (and records it).
public final class VirtualApplyClock: ApplyClock {
    private let state = Mutex<(now: Double, slept: [Double])>((0, []))
    public init(start: Double = 0) { state.withLock { $0.now = start } }
    public func now() -> Double { state.withLock { $0.now } }
    public func advance(_ seconds: Double) { state.withLock { $0.now += seconds } }
    public var sleeps: [Double] { state.withLock { $0.slept } }
    public func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.slept.append(seconds)
            $0.now += max(0, seconds)
        }
        await Task.yield()
    }
}

/// Uniform random numbers in [0, 1), for jitter. Injectable so that backoff is testable.
public protocol RandomSource: Sendable {
    func next() -> Double
}

/// The system generator.
public struct SystemRandomSource: RandomSource {
    public init() {}
    public func next() -> Double { Double.random(in: 0..<1) }
}

/// A fixed sequence (cycled), for tests.
public final class SequenceRandomSource: RandomSource {
    private let values: [Double]
    private let index = Mutex(0)
    public init(_ values: [Double]) { self.values = values.isEmpty ? [0.5] : values }
    public func next() -> Double {
        index.withLock { i in
            defer { i += 1 }
            return values[i % values.count]
        }
    }
}

/// SplitMix64: a deterministic generator for reproducible runs and tests.
public final class SeededRandomSource: RandomSource {
    private let state: Mutex<UInt64>
    public init(seed: UInt64) { state = Mutex(seed) }
    public func next() -> Double {
        let x = state.withLock { s -> UInt64 in
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return Double(x >> 11) / Double(1 << 53)
    }
}
