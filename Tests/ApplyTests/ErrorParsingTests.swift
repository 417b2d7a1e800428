import PlanApply
import Testing

@Suite struct ErrorParsingTests {
    func parse(_ body: String, headers: [(name: String, value: String)] = [], status: Int = 400) -> ServiceErrorResponse {
        ServiceErrorResponse.parse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test func typeField() {
        let e = parse(#"{"__type":"InvalidParametersException","Message":"bad"}"#)
        #expect(e.code == "InvalidParametersException")
        #expect(e.message == "bad")
        #expect(e.status == 400)
    }

    @Test func headerWinsOverBody() {
        let e = parse(#"{"__type":"FromType","code":"FromCode"}"#, headers: [("X-Amzn-Errortype", "FromHeader:http://internal.amazon.com/")])
        #expect(e.code == "FromHeader")
    }

    @Test func codeWinsOverType() {
        #expect(parse(#"{"__type":"FromType","code":"FromCode"}"#).code == "FromCode")
    }

    @Test(arguments: [
        "FooError",
        "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        "aws.protocoltests.json#FooError",
        "aws.protocoltests.json#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        "com.amazonaws.servicecatalog#FooError",
    ])
    func cleaning(raw: String) {
        #expect(cleanErrorCode(raw) == "FooError")
        #expect(parse("{\"__type\":\"\(raw)\"}").code == "FooError")
    }

    @Test func nestedTypeIsIgnored() {
        let e = parse(#"{"Nested":{"__type":"Inner"},"message":"m"}"#, status: 503)
        #expect(e.code == "503")
        #expect(e.message == "m")
    }

    @Test func statusWhenNothingNamesTheError() {
        #expect(parse("", status: 502).code == "502")
        let html = parse("<html>Bad Gateway</html>", status: 502)
        #expect(html.code == "502")
        #expect(html.message == "<html>Bad Gateway</html>")
    }

    @Test func requestIdAndDescription() {
        let e = parse(#"{"__type":"ResourceNotFoundException","message":"Plan x not found."}"#,
                      headers: [("x-amzn-RequestId", "req-1")])
        #expect(e.requestId == "req-1")
        #expect(e.description == "ResourceNotFoundException: Plan x not found. (request id req-1)")
    }
}
