import Testing
@testable import SigV4

@Suite("canonicalisation")
struct CanonicalizationTests {
    let signer = SigV4Signer(service: "servicecatalog", region: "us-east-1")

    func request(_ headers: [(String, String)], path: String = "/", query: String = "", body: String = "") -> SignableRequest {
        SignableRequest(method: "post", path: path, query: query, headers: headers.map { HTTPHeader($0.0, $0.1) }, body: Array(body.utf8))
    }

    /// The header block of the canonical request (lines 4.. up to the blank line).
    func headerBlock(_ r: SignableRequest) -> [String] {
        let canonical = signer.canonicalRequest(r, signedHeaders: signer.headersToSign(r))
        let lines = canonical.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return Array(lines[3..<lines.firstIndex(of: "", after: 3)!])
    }

    @Test func headerValuesAreTrimmedAndCollapsed() {
        let r = request([
            ("Host", "  example.com  "),
            ("X-Tabs", "\ta\t\tb \r\n c\u{0B}d\u{0C}"),
            ("X-Quoted", #"  "a   b   c"  "#),
            ("X-Unicode-Space", "a\u{00A0}\u{3000}b\u{2028}c"),
            ("X-Empty", ""),
            ("X-Blank", "   "),
            ("X-Keep-Case", "VaLuE"),
            ("X-Separators", "a\u{1C}b\u{1F}c\u{85}d\u{202F}e"),  // Python's str.split() splits on these too
        ])
        #expect(headerBlock(r) == [
            "host:example.com",
            "x-blank:",
            "x-empty:",
            "x-keep-case:VaLuE",
            #"x-quoted:"a b c""#,
            "x-separators:a b c d e",
            "x-tabs:a b c d",
            "x-unicode-space:a b c",
        ])
    }

    @Test func duplicateNamesJoinInSendOrderAcrossCases() {
        let r = request([("My-Header", "z"), ("Host", "h"), ("my-header", " y "), ("MY-HEADER", "z"), ("My-Header", "")])
        #expect(headerBlock(r) == ["host:h", "my-header:z,y,z,"])
        #expect(signer.headersToSign(r) == ["host", "my-header"])
    }

    @Test func namesAreLowercasedAndSortedByByte() {
        let r = request([("X-b", "1"), ("x-A", "2"), ("Host", "h"), ("X-Amz-Target", "t"), ("Content-Type", "c"), ("X_Under", "u"), ("X-AMZ-DATE", "d")])
        #expect(signer.headersToSign(r) == ["content-type", "host", "x-a", "x-amz-date", "x-amz-target", "x-b", "x_under"])
    }

    @Test func botocoreDenyListAndLateHeadersAreNotSigned() {
        let unsigned = [
            "Connection", "Expect", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
            "Transfer-Encoding", "Upgrade", "User-Agent", "X-Amzn-Trace-Id", "Content-Length",
            "amz-sdk-invocation-id", "amz-sdk-request", "Authorization",
        ]
        let r = request([("Host", "h"), ("Content-Type", "application/x-amz-json-1.1")] + unsigned.map { ($0, "v") })
        #expect(signer.headersToSign(r) == ["content-type", "host"])
        #expect(Set(SigV4Signer.unsignedHeaders) == Set(unsigned.map { $0.lowercased() }))
        // Anything else is signed, including Date and headers the signer does not know.
        let other = request([("Host", "h"), ("Date", "Sun, 30 Aug 2015 12:36:00 GMT"), ("X-Custom", "1"), ("Accept", "*/*")])
        #expect(signer.headersToSign(other) == ["accept", "date", "host", "x-custom"])
    }

    @Test func signedHeaderListIsNormalisedByCanonicalRequest() {
        let r = request([("Host", "h"), ("X-A", "1")])
        let a = signer.canonicalRequest(r, signedHeaders: ["x-a", "host"])
        let b = signer.canonicalRequest(r, signedHeaders: ["Host", "X-A", "host"])
        #expect(a == b)
        #expect(a.hasSuffix("\n\nhost;x-a\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        // A signed header the request does not have still gets a line (and will not verify).
        #expect(signer.canonicalRequest(r, signedHeaders: ["host", "x-missing"]).contains("\nx-missing:\n"))
    }

    @Test("path normalisation and encoding", arguments: [
        ("/", "/"),
        ("", "/"),
        ("/custom/", "/custom/"),
        ("//", "/"),
        ("//example//", "/example/"),
        ("/./", "/"),
        ("/./example", "/example"),
        ("/example/..", "/"),
        ("/example1/example2/../..", "/"),
        ("/a/b/../../../c", "/c"),
        ("/a/./b/.", "/a/b"),
        ("/a/b/..x/.y", "/a/b/..x/.y"),
        ("/example space/", "/example%20space/"),
        ("/\u{1234}", "/%E1%88%B4"),
        ("/-._~0aZ", "/-._~0aZ"),
        ("/$delete", "/%24delete"),
        ("/a%2Fb", "/a%252Fb"),  // an already-encoded path is encoded again, as botocore does
        ("/a+b=c;d", "/a%2Bb%3Dc%3Bd"),
        ("relative/x", "relative/x"),
    ] as [(String, String)])
    func canonicalPaths(_ path: String, _ expected: String) {
        #expect(canonicalPath(path) == expected)
    }

    @Test("query canonicalisation", arguments: [
        ("", ""),
        ("Param1=value1", "Param1=value1"),
        ("Param2=value2&Param1=value1", "Param1=value1&Param2=value2"),
        ("Param1=value2&Param1=Value1", "Param1=Value1&Param1=value2"),
        ("b&a=", "a=&b="),
        ("a=1&&b=2&", "a=1&b=2"),
        ("k=a b", "k=a%20b"),
        ("k=a%20b", "k=a%20b"),
        ("k=a+b", "k=a%2Bb"),
        ("k=%zz%4", "k=%25zz%254"),
        ("%E1%88%B4=bar&Param=1&Param-3=2", "%E1%88%B4=bar&Param=1&Param-3=2"),
        ("\u{1234}=bar", "%E1%88%B4=bar"),
        ("-._~=AZaz09", "-._~=AZaz09"),
        ("k=a=b", "k=a%3Db"),
        ("k=/path", "k=%2Fpath"),
    ] as [(String, String)])
    func canonicalQueries(_ query: String, _ expected: String) {
        #expect(canonicalQuery(query) == expected)
    }

    @Test func payloadHashIsOverExactBytes() {
        let a = request([("Host", "h")], body: #"{"a":1}"#)
        let b = request([("Host", "h")], body: #"{"a": 1}"#)
        let hashA = signer.canonicalRequest(a, signedHeaders: ["host"]).split(separator: "\n").last!
        let hashB = signer.canonicalRequest(b, signedHeaders: ["host"]).split(separator: "\n").last!
        #expect(hashA == "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862")
        #expect(hashA != hashB)
        // An X-Amz-Content-SHA256 header is used as it is (botocore does the same).
        let declared = request([("Host", "h"), ("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")], body: "x")
        #expect(signer.canonicalRequest(declared, signedHeaders: ["host"]).hasSuffix("\nUNSIGNED-PAYLOAD"))
    }

    @Test func methodIsUppercased() {
        #expect(signer.canonicalRequest(request([("Host", "h")]), signedHeaders: ["host"]).hasPrefix("POST\n/\n\n"))
    }
}

extension Array where Element == String {
    func firstIndex(of value: String, after start: Int) -> Int? {
        self[start...].firstIndex(of: value)
    }
}
