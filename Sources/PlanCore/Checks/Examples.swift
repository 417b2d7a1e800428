/// Builds rule examples: a minimal valid spec with some members replaced or added.
enum Example {
    static let base: [(String, String)] = [
        ("PlanName", "web-prod"),
        ("PlanType", "CLOUDFORMATION"),
        ("ProductId", "prod-abcdefgh1234"),
        ("ProvisioningArtifactId", "pa-abcdefgh1234"),
        ("ProvisionedProductName", "web-prod"),
    ]

    /// `set` replaces base members (or removes them when the value is nil); `extra` is YAML
    /// appended as written.
    static func spec(_ set: [String: String?] = [:], _ extra: String = "") -> String {
        var lines: [String] = []
        for (k, v) in base {
            if let override = set[k] {
                if let override { lines.append("\(k): \(override)") }
            } else {
                lines.append("\(k): \(v)")
            }
        }
        for (k, v) in set where !base.contains(where: { $0.0 == k }) {
            if let v { lines.append("\(k): \(v)") }
        }
        var text = lines.joined(separator: "\n") + "\n"
        if !extra.isEmpty { text += extra.hasSuffix("\n") ? extra : extra + "\n" }
        return text
    }
}
