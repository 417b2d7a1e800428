import Testing
@testable import PlanCore
import PlanSyntax

private func diagnostics(_ yaml: String) -> [Diagnostic] {
    let file = analyzeFile(Array(yaml.utf8), file: "example.yaml")
    return file.diagnostics + analyzeProject([file])
}

/// Each rule's documented examples are tests: the bad one reports the rule, the good one
/// reports nothing at all (so examples in `plancc explain` are always true).
@Suite struct RuleExampleTests {
    @Test(arguments: RuleRegistry.all.map(\.id))
    func examples(_ id: String) throws {
        let rule = try #require(RuleRegistry.describe(id))
        if let bad = rule.badExample {
            let found = diagnostics(bad)
            #expect(found.contains { $0.ruleID == id && $0.severity == rule.severity }, "bad example of \(id) must report it: \(found.map(\.rendered))")
        }
        if let good = rule.goodExample {
            #expect(diagnostics(good).map(\.rendered) == [], "good example of \(id) must be clean")
        }
    }

    @Test func rulesHaveUniqueIdsAndNames() {
        let all = RuleRegistry.all
        #expect(Set(all.map(\.id)).count == all.count)
        #expect(Set(all.map(\.name)).count == all.count)
        for rule in all {
            #expect(rule.id.count == 6 && rule.id.hasPrefix("PC"))
            #expect(!rule.summary.isEmpty && !rule.rationale.isEmpty && !rule.fix.isEmpty && rule.source.hasPrefix("https://"))
        }
    }

    @Test func everySpecRuleHasExamples() {
        for rule in RuleRegistry.all where rule.id >= "PC2" {
            #expect(rule.badExample != nil && rule.goodExample != nil, "\(rule.id)")
        }
    }

    @Test func disabledRulesAreSkipped() {
        let yaml = RuleRegistry.describe("PC2003")!.badExample!
        let file = analyzeFile(Array(yaml.utf8), file: "x.yaml", options: CompileOptions(disabledRules: ["PC2003"]))
        #expect(file.diagnostics.isEmpty)
    }

    @Test func didYouMean() {
        let found = diagnostics("planName: x\nPlanType: CLOUDFORMATION\nProductId: p\nProvisioningArtifactId: a\nProvisionedProductName: n\nPlanName: y\nTgas: {}\nXyzzy: 1\n")
        #expect(found.map(\.message) == [
            "unknown request member 'planName' (did you mean 'PlanName'?)",
            "unknown request member 'Tgas' (did you mean 'Tags'?)",
            "unknown request member 'Xyzzy'; expected one of AcceptLanguage, IdempotencyToken, NotificationArns, PathId, PlanName, PlanType, ProductId, ProvisionedProductName, ProvisioningArtifactId, ProvisioningParameters, Tags",
        ])
    }

    @Test func lengthsCountUnicodeScalars() {
        // 128 scalars of 2 UTF-8 bytes each: fine; 129: too long.
        let ok = String(repeating: "é", count: 128), long = String(repeating: "é", count: 129)
        #expect(diagnostics(Example.spec(["ProvisionedProductName": nil], "ProvisionedProductName: a\nTags:\n  \(ok): v")).isEmpty)
        #expect(diagnostics(Example.spec([:], "Tags:\n  \(long): v")).map(\.ruleID) == ["PC2001"])
        // A flag emoji is one grapheme but two scalars.
        let flags = String(repeating: "🇨🇭", count: 64)
        #expect(diagnostics(Example.spec([:], "Tags:\n  k: \"\(flags)\"")).map(\.ruleID).contains("PC2002"))
    }

    @Test func ambiguousScalars() {
        for text in ["yes", "No", "on", "010", "0o17", "0x1F", "1_000", "1:30", "1.50", ".5", "1e3", "+1"] {
            #expect(diagnostics(Example.spec([:], "ProvisioningParameters:\n  P: \(text)")).map(\.ruleID) == ["PC4004"], "\(text)")
            #expect(diagnostics(Example.spec([:], "ProvisioningParameters:\n  P: '\(text)'")).isEmpty, "'\(text)'")
        }
        for text in ["8080", "1.5", "0", "t3.large", "10.0.0.0/16", "rate(5 minutes)", "-1"] {
            #expect(diagnostics(Example.spec([:], "ProvisioningParameters:\n  P: \(text)")).isEmpty, "\(text)")
        }
    }
}
