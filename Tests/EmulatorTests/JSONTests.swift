import Testing
@testable import EmulatorCore

@Suite("JSON reader and writer")
struct JSONTests {
    @Test func roundTrip() throws {
        let text = #"{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"d\"\\\n\u0001é😀"},"e":[]}"#
        let v = try JSON.parse(text)
        #expect(v["a"]?.array?.count == 6)
        #expect(v["a"]?.array?[2] == .number(-300))
        #expect(v["b"]?["c"] == .string("d\"\\\n\u{1}é😀"))
        #expect(v.text == #"{"a":[1,2.5,-300,true,false,null],"b":{"c":"d\"\\\n\u0001é😀"},"e":[]}"#)
        #expect(try JSON.parse(v.text) == v)
    }

    @Test func surrogatePairsAndEscapes() throws {
        #expect(try JSON.parse(#""\ud83d\ude00\/""#) == .string("😀/"))
    }

    @Test(arguments: ["", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "tru", "01", "1.", "\"\\x\"", "\"\u{1}\"", "{} {}", "\"\\ud800\"", "NaN"])
    func rejectsMalformedInput(text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    }

    @Test func duplicateKeysKeepTheLast() throws {
        let v = try JSON.parse(#"{"a":1,"a":2}"#)
        #expect(v == .object([("a", .number(2))]))
    }

    @Test func objectBuilderLeavesOutNil() {
        var o = JSONObject()
        o.set("x", "1")
        o.set("y", nil as String?)
        o.set("z", 3)
        #expect(o.json.text == #"{"x":"1","z":3}"#)
    }
}
