import PlanSyntax

/// For each repeated key (after the first), its index and the index of its first occurrence.
/// A linear scan for the usual handful of keys; a dictionary beyond, so a hostile file with
/// thousands of keys stays linear.
func duplicates(_ keys: [String]) -> [(index: Int, first: Int)] {
    var out: [(Int, Int)] = []
    if keys.count <= 24 {
        // Lengths first: most keys differ in length, and comparing them is nearly free.
        let counts = keys.map(\.utf8.count)
        for i in keys.indices {
            for j in 0..<i where counts[j] == counts[i] && keys[j] == keys[i] {
                out.append((i, j))
                break
            }
        }
        return out
    }
    var first: [String: Int] = [:]
    first.reserveCapacity(keys.count)
    for (i, k) in keys.enumerated() {
        if let j = first[k] { out.append((i, j)) } else { first[k] = i }
    }
    return out
}
