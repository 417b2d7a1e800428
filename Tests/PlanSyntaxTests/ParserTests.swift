import Testing
@testable import PlanSyntax

private func parse(_ text: String, limits: ParseLimits = .default) -> YAMLFile {
    parseYAML(Array(text.utf8), file: "t.yaml", limits: limits)
}

private func rendered(_ file: YAMLFile) -> [String] { file.diagnostics.map(\.rendered) }

@Suite struct ParserTests {
    @Test func locationsAreOneBased() throws {
        let file = parse("a: 1\nlist:\n  - x\n  - {k: v}\n")
        #expect(file.diagnostics.isEmpty)
        let root = try #require(file.documents.first?.root?.mapping)
        #expect(root[0].key.location == SourceLocation(line: 1, column: 1))
        #expect(root[0].value.location == SourceLocation(line: 1, column: 4))
        let list = try #require(root[1].value.sequence)
        #expect(list[0].location == SourceLocation(line: 3, column: 5))
        #expect(list[1].mapping?[0].value.location == SourceLocation(line: 4, column: 9))
    }

    @Test func scalarsKeepTheirText() throws {
        let file = parse("a: 010\nb: no\nc: 'it''s'\nd: \"tab\\there\"\ne: |\n  line1\n  line2\nf: >\n  one\n  two\ng: 1.50\n")
        let m = try #require(file.documents.first?.root?.mapping)
        let texts = m.map { $0.value.scalar!.text }
        #expect(texts == ["010", "no", "it's", "tab\there", "line1\nline2\n", "one two\n", "1.50"])
        #expect(m.map { $0.value.scalar!.style } == [.plain, .plain, .singleQuoted, .doubleQuoted, .literal, .folded, .plain])
    }

    @Test func nullsAndBooleans() throws {
        let m = try #require(parse("a:\nb: ~\nc: null\nd: ''\ne: true\nf: 'true'\ng: yes\n").documents.first?.root?.mapping)
        #expect(m.map { $0.value.scalar!.isNull } == [true, true, true, false, false, false, false])
        #expect(m.map { $0.value.scalar!.bool } == [nil, nil, nil, nil, true, nil, nil])
    }

    @Test func severalDocuments() {
        let file = parse("a: 1\n---\nb: 2\n---\n- x\n")
        #expect(file.documents.count == 3)
        #expect(file.documents.map(\.index) == [0, 1, 2])
        #expect(file.documents[1].location.line == 2)
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let text = """
            base: &b {x: 1, y: 2}
            other: &o {z: 3}
            m:
              <<: [*b, *o]
              y: 9
            s: *b
            """
        let file = parse(text)
        #expect(file.diagnostics.isEmpty)
        let root = try #require(file.documents.first?.root?.mapping)
        let merged = try #require(root[2].value.mapping)
        #expect(merged.map { $0.key.scalar!.text } == ["y", "x", "z"])
        #expect(merged.map { $0.value.scalar!.text } == ["9", "1", "3"])
        // Merged values keep the location of their anchor.
        #expect(merged[1].value.location == SourceLocation(line: 1, column: 14))
        #expect(root[3].value.mapping?.count == 2)
    }

    @Test func crlfAndBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1\r\nb: two\r\n".utf8)
        let file = parseYAML(bytes, file: "t.yaml")
        #expect(file.diagnostics.isEmpty)
        let m = try #require(file.documents.first?.root?.mapping)
        try #require(m.count == 2)
        #expect(m[0].key.scalar?.text == "a")
        #expect(m[1].value.scalar?.text == "two")
        #expect(m[1].key.location == SourceLocation(line: 2, column: 1))
    }

    @Test func duplicateKeys() {
        #expect(rendered(parse("a: 1\nb: 2\na: 3\n")) == [
            "t.yaml:3:1: error: duplicate key 'a' (first defined at 1:1) [PC0002]",
        ])
    }

    @Test func duplicateKeysInLargeMappings() {
        let text = (0..<100).map { "k\($0): v" }.joined(separator: "\n") + "\nk7: again\n"
        #expect(rendered(parse(text)) == ["t.yaml:101:1: error: duplicate key 'k7' (first defined at 8:1) [PC0002]"])
    }

    @Test func undefinedAlias() {
        #expect(rendered(parse("a: *nope\n")) == [
            "t.yaml:1:4: error: alias '*nope' refers to no anchor '&nope' defined before it in this document [PC0003]",
        ])
    }

    @Test func anchorsDoNotCrossDocuments() {
        #expect(parse("a: &x 1\n---\nb: *x\n").diagnostics.map(\.ruleID) == ["PC0003"])
    }

    @Test func mergeKeyNeedsAMapping() {
        #expect(rendered(parse("m:\n  <<: text\n")) == [
            "t.yaml:2:7: error: merge key '<<' takes a mapping or a list of mappings, found a scalar [PC0005]",
        ])
    }

    @Test func unterminatedQuote() {
        #expect(rendered(parse("a: \"open\nb: 2\n")) == [
            "t.yaml:3:1: error: invalid YAML: found unexpected end of stream while scanning a quoted scalar (started at 1:4) [PC0001]",
        ])
    }

    @Test func tabIndentation() {
        #expect(rendered(parse("a: 1\n\tb: 2\n")) == [
            "t.yaml:2:1: error: tab character where YAML expects indentation or a token; indent with spaces [PC0001]",
        ])
    }

    @Test func invalidUTF8() {
        let file = parseYAML(Array("a: 1\nb: caf".utf8) + [0xE9, 0x0A], file: "t.yaml")
        #expect(rendered(file) == ["t.yaml:2:7: error: file is not valid UTF-8: incomplete UTF-8 octet sequence [PC0001]"])
        #expect(!file.complete)
    }

    @Test func aliasBombIsRejectedQuickly() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1...9 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        let clock = ContinuousClock()
        var file: YAMLFile!
        let elapsed = clock.measure { file = parse(lines.joined(separator: "\n")) }
        #expect(file.diagnostics.map(\.ruleID) == ["PC0004"])
        #expect(file.diagnostics[0].message.contains("alias bomb"))
        #expect(elapsed < .seconds(2))
    }

    @Test func nestingLimit() {
        let file = parse("a: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
        #expect(rendered(file) == ["t.yaml:1:67: error: nesting is deeper than the limit of 64 levels [PC0004]"])
    }

    @Test func fileSizeLimit() {
        let file = parse(String(repeating: "#", count: 200), limits: ParseLimits(maxFileBytes: 100))
        #expect(rendered(file) == ["t.yaml:1:1: error: file is 200 bytes, larger than the limit of 100 bytes [PC0004]"])
    }

    @Test func emptyFileHasNoDocuments() {
        #expect(rendered(parse("# just a comment\n")) == ["t.yaml:1:1: warning: file has no YAML documents [PC0006]"])
        #expect(rendered(parse("")) == ["t.yaml:1:1: warning: file has no YAML documents [PC0006]"])
    }

    @Test func invalidTrailingOctetPointsAtTheCharacter() {
        let file = parseYAML(Array("a: caf".utf8) + [0xC3, 0x28] + Array(" x\n".utf8), file: "t.yaml")
        #expect(rendered(file) == ["t.yaml:1:7: error: file is not valid UTF-8: invalid trailing UTF-8 octet [PC0001]"])
    }

    @Test func snippetDrawsACaret() {
        let text = SourceText(bytes: Array("a: 1\r\nkey: välue\n".utf8))
        #expect(text.snippet(at: SourceLocation(line: 2, column: 7)) == "key: välue\n      ^")
        #expect(text.line(3) == "")
        #expect(text.line(4) == nil)
    }
}
