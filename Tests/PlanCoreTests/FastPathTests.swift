import Testing
@testable import PlanCore
import PlanSyntax

/// The byte-level shortcuts in the checks must answer exactly what the Unicode definitions
/// they stand in for answer. These compare the two on every ASCII character and on mixed
/// strings, so a shortcut that drifts fails here rather than in a user's pipeline.
@Suite struct FastPathTests {
    /// Every ASCII scalar, alone and inside otherwise valid text.
    static let ascii: [String] = (0..<128).map { String(Character(Unicode.Scalar(UInt8($0)))) }

    @Test func tagCharactersMatchTheScalarDefinition() {
        for c in Self.ascii + ["é", "日", "\u{00A0}", "\u{2028}", "🇨🇭", "\u{200B}"] {
            for s in [c, "team" + c, c + "team", "a b" + c + "c"] {
                let slow = s.unicodeScalars.first { !ServiceModel.isTagScalar($0) }
                #expect(ServiceModel.tagViolation(s) == slow, "\(s.debugDescription)")
            }
        }
    }

    @Test func idNameAndTokenCharactersMatchTheScalarDefinition() {
        func alnum(_ u: Unicode.Scalar) -> Bool { u.isASCIIAlnum }
        for c in Self.ascii + ["é", "٣"] {
            for s in [c, "prod-" + c, c + "abc", "a" + c + "b"] {
                let id = s.unicodeScalars.first { !(alnum($0) || $0 == "_" || $0 == "-") }
                #expect(ServiceModel.idViolation(s) == id, "\(s.debugDescription)")
                let first = s.unicodeScalars.first!
                let name = !alnum(first) ? first : s.unicodeScalars.dropFirst().first { !(alnum($0) || $0 == "." || $0 == "_" || $0 == "-") }
                #expect(ServiceModel.provisionedProductNameViolation(s) == name, "\(s.debugDescription)")
                let token = !alnum(first) ? first : s.unicodeScalars.dropFirst().first { !(alnum($0) || $0 == "_" || $0 == "-") }
                #expect(ServiceModel.tokenViolation(s) == token, "\(s.debugDescription)")
            }
        }
        #expect(ServiceModel.idViolation("") == nil)
        #expect(ServiceModel.provisionedProductNameViolation("") == nil)
    }

    @Test func asciiCaseFoldingMatchesLowercased() {
        let keys = ["Team", "team", "TEAM", "t-e", "T-E", "[a]", "{a}", "@x", "`x", "Owner", "owner ", "0", "Z", "z"]
        #expect(asciiCaseInsensitiveDuplicates(keys).map { [$0.index, $0.first] } == duplicates(keys.map { $0.lowercased() }).map { [$0.index, $0.first] })
        // '[' and '{', '@' and '`' differ by the same bit as case does, but are not letters.
        #expect(asciiCaseInsensitiveDuplicates(["[a]", "{a}", "@x", "`x"]).isEmpty)
    }

    @Test func lengthLimitsAtTheEdges() {
        func ids(_ name: String) -> [String] {
            let yaml = Example.spec(["ProvisionedProductName": name])
            let file = analyzeFile(Array(yaml.utf8), file: "x.yaml")
            return file.diagnostics.map(\.ruleID)
        }
        #expect(!ids(String(repeating: "a", count: 128)).contains("PC2001"))
        #expect(ids(String(repeating: "a", count: 129)).contains("PC2001"))
        // 128 two-byte scalars are 256 bytes but 128 characters: allowed (PC2002 reports the
        // characters themselves, PC2001 must not).
        #expect(!ids(String(repeating: "é", count: 128)).contains("PC2001"))
        #expect(ids(String(repeating: "é", count: 129)).contains("PC2001"))
        #expect(ids("''").contains("PC2001"))
    }

    @Test func requestMembersAreFoundByName() {
        for m in RequestMember.allCases { #expect(RequestMember.named(m.rawValue) == m) }
        for name in ["", "Tag", "tags", "PlanNames", "ProvisioningParameter", "ProvisioningParametersX", String(repeating: "x", count: 40)] {
            #expect(RequestMember.named(name) == nil, "\(name)")
        }
    }

    @Test func snsTopicArns() {
        #expect(isSNSTopicArn("arn:aws:sns:us-east-1:123456789012:deploys"))
        #expect(isSNSTopicArn("arn:aws-us-gov:sns:us-gov-west-1:123456789012:a_B-9"))
        for bad in ["arn:aws:sqs:us-east-1:123456789012:q", "arn:axs:sns:us-east-1:123456789012:t", "arn:aw:sns:us-east-1:123456789012:t",
                    "arn:aws:sns:us-east-1:12345678901:t", "arn:aws:sns:us-east-1:123456789012:", "arn:aws:sns::123456789012:t",
                    "arn:aws:sns:us-east-1:123456789012:t.x", "xrn:aws:sns:us-east-1:123456789012:t"] {
            #expect(!isSNSTopicArn(bad), "\(bad)")
        }
    }
}
