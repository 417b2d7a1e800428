import Testing
@testable import PlanCore
import PlanSyntax

private func request(_ yaml: String, salt: String = "") throws -> CreateProvisionedProductPlanRequest {
    let file = analyzeFile(Array(yaml.utf8), file: "x.yaml")
    #expect(file.diagnostics.filter { $0.severity == .error }.isEmpty, "\(file.diagnostics.map(\.rendered))")
    let spec = try #require(file.specs.first)
    return renderRequest(spec, tokenSalt: salt)
}

@Suite struct EmitTests {
    @Test func canonicalBytes() throws {
        let r = try request("""
            PlanName: p
            PlanType: CLOUDFORMATION
            ProductId: prod-1
            ProvisioningArtifactId: pa-1
            ProvisionedProductName: pp
            ProvisioningParameters: {b: '2', a: 1, c: {UsePreviousValue: true}}
            Tags: [{Key: z, Value: "1"}, {Key: Z, Value: "2"}, {Key: é, Value: "ü"}]
            NotificationArns: [arn:aws:sns:us-east-1:123456789012:b, arn:aws:sns:us-east-1:123456789012:a]
            IdempotencyToken: tok-1
            """)
        #expect(r.json.canonicalString == #"{"IdempotencyToken":"tok-1","NotificationArns":["arn:aws:sns:us-east-1:123456789012:b","arn:aws:sns:us-east-1:123456789012:a"],"PlanName":"p","PlanType":"CLOUDFORMATION","ProductId":"prod-1","ProvisionedProductName":"pp","ProvisioningArtifactId":"pa-1","ProvisioningParameters":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"},{"Key":"c","UsePreviousValue":true}],"Tags":[{"Key":"Z","Value":"2"},{"Key":"z","Value":"1"},{"Key":"é","Value":"ü"}]}"#)
        #expect(!r.tokenDerived)
    }

    @Test func minimalEscaping() {
        let s = JSONValue.string("q\" b\\ \u{8}\u{c}\n\r\t \u{1} \u{1f} \u{7f} é \u{2028} 😀 /")
        #expect(s.canonicalString == "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001 \\u001f \u{7f} é \u{2028} 😀 /\"")
    }

    @Test func keysSortByUTF16() {
        // U+FF61 sorts after U+1F600's high surrogate (D83D) in UTF-16 order, before it in scalar order.
        let o = JSONValue.object([("\u{FF61}", .bool(true)), ("\u{1F600}", .bool(false)), ("a", .array([]))])
        #expect(o.canonicalString == "{\"a\":[],\"\u{1F600}\":false,\"\u{FF61}\":true}")
    }

    @Test func emptyCollectionsAreSent() throws {
        let r = try request(Example.spec([:], "Tags: []\nProvisioningParameters: {}\nNotificationArns: []"))
        let s = r.json.canonicalString
        #expect(s.contains(#""Tags":[]"#) && s.contains(#""ProvisioningParameters":[]"#) && s.contains(#""NotificationArns":[]"#))
    }

    @Test func scalarsKeepTheirSourceText() throws {
        let r = try request(Example.spec([:], "ProvisioningParameters:\n  A: '010'\n  B: 8080\n  C: \"no\"\n  D: ''\nTags:\n  n: \"007\""))
        let s = r.json.canonicalString
        #expect(s.contains(#"{"Key":"A","Value":"010"}"#) && s.contains(#"{"Key":"B","Value":"8080"}"#))
        #expect(s.contains(#"{"Key":"C","Value":"no"}"#) && s.contains(#"{"Key":"D","Value":""}"#) && s.contains(#"{"Key":"n","Value":"007"}"#))
    }

    @Test func derivedTokenIsDeterministicAndValid() throws {
        let yaml = Example.spec()
        let a = try request(yaml), b = try request(yaml)
        #expect(a.tokenDerived && a.idempotencyToken == b.idempotencyToken)
        #expect(a.body == b.body)
        #expect(a.idempotencyToken.count == 64 && a.idempotencyToken.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        // Any change to the spec, or a different salt, gives a new token.
        let changed = try request(Example.spec(["PlanName": "other"]))
        #expect(changed.idempotencyToken != a.idempotencyToken)
        let salted = try request(yaml, salt: "commit-abc")
        #expect(salted.idempotencyToken != a.idempotencyToken)
        // Form does not matter: map and list forms of the same tags give the same token.
        let map = try request(Example.spec([:], "Tags:\n  b: '2'\n  a: '1'"))
        let list = try request(Example.spec([:], "Tags: [{Key: a, Value: '1'}, {Key: b, Value: '2'}]"))
        #expect(map.idempotencyToken == list.idempotencyToken && map.body == list.body)
    }

    /// The body is written once, with the token spliced in; it must equal the canonical form of
    /// the whole request, and a derived token must hash exactly the request without it.
    @Test func bodyIsTheCanonicalRequest() throws {
        let shapes = [
            Example.spec(),
            Example.spec(["AcceptLanguage": "jp"]),
            Example.spec(["AcceptLanguage": "en", "IdempotencyToken": "pinned-1"]),
            Example.spec(["IdempotencyToken": "pinned-2"], "Tags:\n  é: ü\nProvisioningParameters:\n  P: \"q\\\" \\\\ \\n\"\nNotificationArns: [arn:aws:sns:us-east-1:123456789012:t]"),
            Example.spec(["AcceptLanguage": "zh", "PathId": "lpv2-1"], "ProvisioningParameters:\n  - {Key: K, UsePreviousValue: true}"),
        ]
        for yaml in shapes {
            let r = try request(yaml)
            #expect(r.body == r.json.canonicalBytes, "\(yaml)")
            guard case .object(let members) = r.json else { Issue.record("not an object"); continue }
            if r.tokenDerived {
                let without = JSONValue.object(members.filter { $0.0 != "IdempotencyToken" }).canonicalBytes
                #expect(r.idempotencyToken == deriveIdempotencyToken(requestWithoutToken: without, salt: ""))
            }
        }
    }

    /// Short lists (insertion sort) and long ones (the library sort) come out in the same
    /// UTF-16 key order.
    @Test func keyOrderShortAndLong() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = ["a", "B", "z", "é", "\u{FF61}", "\u{1F600}", "0", "-"]
        for count in [0, 1, 2, 7, 32, 33, 100] {
            let keys = (0..<count).map { _ in (0..<3).map { _ in alphabet.randomElement(using: &generator)! }.joined() }
            let order = keyOrder(count) { keys[$0] }
            #expect(order.sorted() == Array(0..<count))
            for (a, b) in zip(order, order.dropFirst()) {
                #expect(!utf16Less(keys[b], keys[a]), "\(keys[a]) before \(keys[b])")
                if keys[a] == keys[b] { #expect(a < b) }
            }
        }
    }
}
