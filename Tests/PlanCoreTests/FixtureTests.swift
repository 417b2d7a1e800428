import Testing
import PlanCore
import PlanSyntax

private func analyzeDirectory(_ dir: String) -> [FileAnalysis] {
    Golden.list(Golden.fixtures + "/" + dir).filter { $0.hasSuffix(".yaml") }.map { name in
        analyzeFile(Golden.read(Golden.fixtures + "/\(dir)/\(name)")!, file: "\(dir)/\(name)")
    }
}

@Suite struct FixtureTests {
    /// Every good fixture lints without a single finding.
    @Test func goodFixturesAreClean() {
        let files = analyzeDirectory("good")
        #expect(files.count >= 4)
        let diagnostics = files.flatMap(\.diagnostics) + analyzeProject(files)
        #expect(diagnostics.map(\.rendered) == [])
        #expect(files.allSatisfy { $0.complete })
    }

    /// Each bad fixture reports exactly the diagnostics in its golden file.
    @Test(arguments: Golden.list(Golden.fixtures + "/bad").filter { $0.hasSuffix(".yaml") })
    func badFixture(_ name: String) {
        let files = analyzeDirectory("bad")
        let all = (files.flatMap(\.diagnostics) + analyzeProject(files)).sorted(by: Diagnostic.ordered)
        let mine = all.filter { $0.file == "bad/\(name)" }
        #expect(!mine.isEmpty, "a bad fixture must report something")
        let golden = Golden.fixtures + "/bad/" + name.replacingSuffix(".yaml", with: ".diagnostics")
        let text = mine.map(\.rendered).joined(separator: "\n") + "\n"
        if let difference = Golden.check(text, against: golden) { Issue.record(Comment(rawValue: difference)) }
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with other: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + other : self
    }
}
