import Synchronization

/// The run's limit on calls in flight (`--concurrency`) and its stop switch (Ctrl-C,
/// `--fail-fast`): once stopped, no new call starts and waits end early.
public final class CallGate: Sendable {
    public let permits: Int

    struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Bool, Never>
    }
    struct State {
        var available: Int
        var inFlight = 0
        var waiters: [Waiter] = []
        var nextId: UInt64 = 0
        var stopped = false
    }
    private let state: Mutex<State>

    public init(permits: Int) {
        self.permits = max(1, permits)
        state = Mutex(State(available: max(1, permits)))
    }

    public var isStopped: Bool { state.withLock { $0.stopped } }
    public var inFlight: Int { state.withLock { $0.inFlight } }

    /// Stops the run: wakes every waiter (they see `StopError`), and later acquires fail.
    public func stop() {
        let waiters = state.withLock { s -> [Waiter] in
            s.stopped = true
            let w = s.waiters
            s.waiters = []
            return w
        }
        for w in waiters { w.continuation.resume(returning: false) }
    }

    /// Waits for a call slot. Throws `StopError` when the run stops, `CancellationError`
    /// when the task is cancelled.
    public func acquire() async throws {
        let id = state.withLock { s -> UInt64 in s.nextId += 1; return s.nextId }
        let granted: Bool = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { s in
                    if s.stopped || Task.isCancelled { return false }
                    if s.available > 0 {
                        s.available -= 1
                        s.inFlight += 1
                        return true
                    }
                    s.waiters.append(Waiter(id: id, continuation: c))
                    return nil
                }
                if let immediate { c.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: i)
            }
            waiter?.continuation.resume(returning: false)
        }
        if !granted {
            if Task.isCancelled { throw CancellationError() }
            throw StopError()
        }
    }

    /// Gives a slot back (to the longest waiter, if any).
    public func release() {
        let next = state.withLock { s -> Waiter? in
            s.inFlight -= 1
            if !s.stopped, !s.waiters.isEmpty {
                s.inFlight += 1
                return s.waiters.removeFirst()
            }
            s.available += 1
            return nil
        }
        next?.continuation.resume(returning: true)
    }

    /// Sleeps on `clock` in slices of at most 50 ms, ending early with `StopError` when the
    /// run stops.
    public func sleep(_ seconds: Double, clock: any ApplyClock) async throws {
        var remaining = seconds
        while remaining > 0 {
            if isStopped { throw StopError() }
            let slice = min(remaining, 0.05)
            try await clock.sleep(seconds: slice)
            remaining -= slice
        }
        if isStopped { throw StopError() }
    }
}

/// The run was stopped (interrupt or --fail-fast) before this work could start.
public struct StopError: Error, Sendable {}
