import PlanSyntax

/// Tag keys must not start with `aws:` in any letter case.
struct TagReservedPrefix: SpecRule {
    static let description = RuleDescription(
        id: "PC3001", name: "tag-reserved-prefix", severity: .error,
        summary: "no tag key starts with 'aws:' in any letter case",
        rationale: "The aws: prefix is reserved for AWS in any case combination (aws:, AWS:, Aws:). cfn-lint's check catches only lowercase 'aws:'.",
        fix: "Rename the tag key, e.g. 'team' instead of 'aws:team'.",
        source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
        badExample: Example.spec([:], "Tags:\n  AWS:team: web"),
        goodExample: Example.spec([:], "Tags:\n  company:team: web"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        guard let tags = spec.tags?.items else { return }
        for i in tags.indices where hasAWSPrefix(tags[i].key.value) {
            let tag = tags[i]
            context.report("tag key \(quoted(tag.key.value)) starts with 'aws:', which AWS reserves in any letter case", in: spec, at: tag.key.location)
        }
    }
}

/// A tag value that starts with `aws:` is suspicious: some services reserve it for values too.
struct TagValueReservedPrefix: SpecRule {
    static let description = RuleDescription(
        id: "PC3004", name: "tag-value-reserved-prefix", severity: .warning,
        summary: "no tag value starts with 'aws:' in any letter case",
        rationale: "Some AWS documentation extends the aws: reservation to tag values, and tags propagate to every resource the product creates, so the strictest service decides.",
        fix: "Change the value so it does not start with 'aws:'.",
        source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
        badExample: Example.spec([:], "Tags:\n  owner: aws:platform"),
        goodExample: Example.spec([:], "Tags:\n  owner: platform"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        guard let tags = spec.tags?.items else { return }
        for i in tags.indices where hasAWSPrefix(tags[i].value.value) {
            let tag = tags[i]
            context.report("tag \(quoted(tag.key.value)) value \(quoted(tag.value.value)) starts with 'aws:', which AWS reserves in some services", in: spec, at: tag.value.location)
        }
    }
}

func hasAWSPrefix(_ s: String) -> Bool {
    s.withBytes { b in
        b.count >= 4 && b[0] | 0x20 == UInt8(ascii: "a") && b[1] | 0x20 == UInt8(ascii: "w")
            && b[2] | 0x20 == UInt8(ascii: "s") && b[3] == UInt8(ascii: ":")
    }
}

/// Each tag key appears once, whichever form the tags were written in.
struct TagDuplicateKey: SpecRule {
    static let description = RuleDescription(
        id: "PC3002", name: "tag-duplicate-key", severity: .error,
        summary: "each tag key appears once",
        rationale: "A resource has one value per tag key. In the list form nothing stops a key from appearing twice, and the service would reject the request or keep one value at random.",
        fix: "Remove one of the tags, or give them different keys.",
        source: ServiceModel.tagDoc,
        badExample: Example.spec([:], "Tags:\n  - {Key: team, Value: web}\n  - {Key: team, Value: data}"),
        goodExample: Example.spec([:], "Tags:\n  - {Key: team, Value: web}\n  - {Key: owner, Value: data}"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        guard let tags = spec.tags?.items, tags.count > 1 else { return }
        for (i, j) in duplicates(tags.map(\.key.value)) {
            let at = tags[j].key.location
            context.report("duplicate tag key \(quoted(tags[i].key.value)) (first at \(at.line):\(at.column))", in: spec, at: tags[i].key.location)
        }
    }
}

/// Tag keys that differ only by letter case.
struct TagKeyCase: SpecRule {
    static let description = RuleDescription(
        id: "PC3003", name: "tag-key-case", severity: .warning,
        summary: "no two tag keys differ only in letter case",
        rationale: "Tag keys are case-sensitive, so 'Team' and 'team' are two tags; that is almost always a mistake, and cost reports split them.",
        fix: "Use one spelling of the key.",
        source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
        badExample: Example.spec([:], "Tags:\n  team: web\n  Team: web"),
        goodExample: Example.spec([:], "Tags:\n  team: web"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        guard let tags = spec.tags?.items, tags.count > 1 else { return }
        // ASCII keys (nearly all) are compared case-insensitively in place; any other key
        // set goes through full Unicode lowercasing.
        let keys = tags.map(\.key.value)
        let pairs = keys.count <= 24 && keys.allSatisfy({ $0.allBytes { $0 < 0x80 } })
            ? asciiCaseInsensitiveDuplicates(keys)
            : duplicates(keys.map { $0.lowercased() })
        for (i, j) in pairs where tags[i].key.value != tags[j].key.value {
            let other = tags[j].key
            context.report("tag key \(quoted(tags[i].key.value)) differs from \(quoted(other.value)) (at \(other.location.line):\(other.location.column)) only in letter case", in: spec, at: tags[i].key.location)
        }
    }
}

/// `duplicates(keys.map { $0.lowercased() })` for ASCII keys, without building new strings.
func asciiCaseInsensitiveDuplicates(_ keys: [String]) -> [(index: Int, first: Int)] {
    var out: [(Int, Int)] = []
    let counts = keys.map(\.utf8.count)
    for i in keys.indices {
        for j in 0..<i where counts[j] == counts[i] && asciiEqualIgnoringCase(keys[i], keys[j]) {
            out.append((i, j))
            break
        }
    }
    return out
}

private func asciiEqualIgnoringCase(_ a: String, _ b: String) -> Bool {
    a.withBytes { x in
        b.withBytes { y in
            guard x.count == y.count else { return false }
            for k in 0..<x.count {
                let p = x[k], q = y[k]
                if p == q { continue }
                let lp = p &- 65 < 26 ? p | 0x20 : p, lq = q &- 65 < 26 ? q | 0x20 : q
                if lp != lq { return false }
            }
            return true
        }
    }
}
