import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Slots written by concurrent workers, each index by exactly one worker.
final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = Mutex(())
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.withLock { _ in storage[i] = value } }
    func get(_ i: Int) -> T? { lock.withLock { _ in storage[i] } }
}

final class AtomicCounter: Sendable {
    private let value = Atomic<Int>(0)
    /// Adds `n` and returns the value before.
    func add(_ n: Int) -> Int { value.wrappingAdd(n, ordering: .relaxed).oldValue }
}

enum System {
    static var activeProcessorCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

/// `items.map(transform)` on every core, in order.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    let count = items.count
    if count < 64 { return items.map(transform) }
    let slots = ResultSlots<R>(count: count)
    let next = AtomicCounter()
    DispatchQueue.concurrentPerform(iterations: min(count, max(1, System.activeProcessorCount))) { _ in
        while true {
            let start = next.add(32)
            if start >= count { break }
            for i in start..<min(start + 32, count) { slots.set(i, transform(items[i])) }
        }
    }
    return (0..<count).map { slots.get($0)! }
}
