import PlanApply
import Testing

@Suite struct ShardTests {
    @Test func parsing() {
        #expect(Shard(parsing: "1/1") == Shard(index: 1, count: 1))
        #expect(Shard(parsing: "3/4")?.description == "3/4")
        for bad in ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3", "", "-1/2"] {
            #expect(Shard(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func stableHash() {
        // FNV-1a 64 test vectors.
        #expect(fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(fnv1a64("foobar") == 0x8594_4171_f739_67e8)
        #expect(Shard.shard(of: "web-prod", count: 4) == Int(fnv1a64("web-prod") % 4) + 1)
    }

    @Test(arguments: [1, 2, 3, 4, 7, 16])
    func everySpecInExactlyOneShard(count: Int) {
        let keys = (0..<1000).map { "spec-\($0)" }
        var seen: [String: Int] = [:]
        var sizes = Array(repeating: 0, count: count + 1)
        for k in 1...count {
            let shard = Shard(index: k, count: count)!
            for key in keys where shard.contains(key: key) {
                seen[key, default: 0] += 1
                sizes[k] += 1
            }
        }
        #expect(seen.count == keys.count)
        #expect(seen.values.allSatisfy { $0 == 1 })
        // Roughly even: every shard within 40% of the mean.
        let mean = Double(keys.count) / Double(count)
        for k in 1...count { #expect(abs(Double(sizes[k]) - mean) < 0.4 * mean + 5, "shard \(k) has \(sizes[k])") }
    }
}
