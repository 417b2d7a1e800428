/// `--shard K/N`: this run plans the specs whose shard is K (1-based) of N.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 1, index <= count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (1 ≤ K ≤ N).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(String(parts[0]).trimmingWhitespace()), let n = Int(String(parts[1]).trimmingWhitespace()) else { return nil }
        self.init(index: k, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// The shard (1-based) of a spec key: FNV-1a (64-bit) of the key's UTF-8 bytes, modulo N,
    /// plus 1. Stable across runs, machines and argument order.
    public static func shard(of key: String, count: Int) -> Int {
        Int(fnv1a64(key) % UInt64(max(1, count))) + 1
    }

    public func contains(key: String) -> Bool { Shard.shard(of: key, count: count) == index }
}

/// FNV-1a, 64-bit.
public func fnv1a64(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01B3
    }
    return h
}
