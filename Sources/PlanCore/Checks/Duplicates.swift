import PlanSyntax

/// For each repeated key (after the first), its index and the index of its first occurrence.
/// A linear scan for the usual handful of keys; a dictionary beyond, so a hostile file with
/// thousands of keys stays linear.
func duplicates(_ keys: [String]) -> [(index: Int, first: Int)] {
    var out: [(Int, Int)] = []
    if keys.count <= 24 {
        for i in keys.indices {
            for j in 0..<i where keys[j] == keys[i] {
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
