import Foundation
import Testing

@Suite struct CompileCommandTests {
    @Test func examplesCompileToGoldenJSON() throws {
        let r = try PlanCC.run(["compile", "examples"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        if let d = PlanCC.golden(r.stdout, "examples.jsonl") { Issue.record(Comment(rawValue: d)) }
        // One object per line, in path order then document order.
        let names = r.stdout.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["ProvisionedProductName"] as? String
        }
        #expect(names == ["data-pipeline", "network-baseline-zrh", "web-staging", "web-dev", "web-prod"])
    }

    @Test func outputIsDeterministicAndSaltable() throws {
        let a = try PlanCC.run(["compile", "--emit", "json", "examples/web"])
        let b = try PlanCC.run(["compile", "examples/web/web-prod.plan.yaml", "examples/web"])
        #expect(a.stdout == b.stdout)
        let salted = try PlanCC.run(["compile", "--token-salt", "abc123", "examples/web/web-prod.plan.yaml"])
        let env = try PlanCC.run(["compile", "examples/web/web-prod.plan.yaml"], environment: ["PLANCC_TOKEN_SALT": "abc123"])
        #expect(salted.stdout == env.stdout)
        #expect(salted.stdout != a.stdout.split(separator: "\n").last.map { $0 + "\n" })
    }

    @Test func outDirectoryHoldsOneFilePerDocument() throws {
        let dir = try PlanCC.temporaryDirectory() + "/out/nested"
        let r = try PlanCC.run(["compile", "examples", "--out", dir])
        #expect(r.status == 0 && r.stdout == "")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["data-pipeline.json", "network-baseline-zrh.json", "web-dev.json", "web-prod.json", "web-staging.json"])
        let lines = try PlanCC.run(["compile", "examples"]).stdout.split(separator: "\n")
        let prod = try String(contentsOfFile: dir + "/web-prod.json", encoding: .utf8)
        #expect(prod == lines.last! + "\n")
    }

    @Test func refusesToEmitForSpecsWithErrors() throws {
        let r = try PlanCC.run(["compile", "examples", "Tests/PlanCoreTests/Fixtures/bad/limits.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("Tests/PlanCoreTests/Fixtures/bad/limits.yaml:2:11: error: 'PlanType' 'cloudformation' is not a plan type"))
        #expect(r.stderr.hasSuffix("; nothing emitted\n"))
    }
}

@Suite struct ExplainCommandTests {
    @Test func explainsARule() throws {
        let r = try PlanCC.run(["explain", "PC3001"])
        #expect(r.status == 0)
        if let d = PlanCC.golden(r.stdout, "explain-PC3001.txt") { Issue.record(Comment(rawValue: d)) }
        #expect(try PlanCC.run(["explain", "tag-reserved-prefix"]).stdout == r.stdout)
    }

    @Test func listsEveryRule() throws {
        let r = try PlanCC.run(["explain"])
        #expect(r.status == 0)
        if let d = PlanCC.golden(r.stdout, "explain-list.txt") { Issue.record(Comment(rawValue: d)) }
    }

    @Test func unknownRule() throws {
        let r = try PlanCC.run(["explain", "PC0999"])
        #expect(r.status == 2)
        #expect(r.stderr == "plancc: error: unknown rule 'PC0999'; `plancc explain` lists the rules\n")
    }

    /// The README's rule table is generated from the registry; it must not fall behind.
    @Test func readmeRuleTableIsCurrent() throws {
        let readme = try String(contentsOfFile: PlanCC.root + "/README.md", encoding: .utf8)
        let table = try PlanCC.run(["explain", "--markdown"]).stdout
        let begin = try #require(readme.range(of: "<!-- rules:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- rules:end -->"))
        #expect(String(readme[begin.upperBound..<end.lowerBound]) == table,
                "README rule table is stale: replace it with `plancc explain --markdown`")
        let listed = try PlanCC.run(["explain"]).stdout.split(separator: "\n").count
        #expect(table.split(separator: "\n").count == listed + 2)
    }
}
