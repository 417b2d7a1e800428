/// A small, strict XML reader for STS query-protocol responses: elements, attributes
/// (skipped), text, CDATA, comments, the XML declaration, and the five named plus numeric
/// character references. No DTDs (a `<!DOCTYPE` is an error), so no entity expansion.
struct XMLElement: Sendable, Equatable {
    var name: String            // local name (prefix removed)
    var children: [XMLElement] = []
    var text: String = ""

    func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// The element at a path of child names.
    func path(_ names: String...) -> XMLElement? {
        var node: XMLElement? = self
        for name in names { node = node?.child(name) }
        return node
    }
}

struct XMLSyntaxError: Error, Equatable {
    var message: String
}

func parseXML(_ bytes: [UInt8]) throws -> XMLElement {
    guard let text = String(validating: bytes, as: UTF8.self) else { throw XMLSyntaxError(message: "not UTF-8") }
    let s = Array(text.unicodeScalars)
    var i = 0
    var stack: [XMLElement] = []
    var root: XMLElement? = nil

    func startsWith(_ literal: String) -> Bool {
        var j = i
        for c in literal.unicodeScalars {
            guard j < s.count, s[j] == c else { return false }
            j += 1
        }
        return true
    }
    func skip(past literal: String) throws {
        let l = Array(literal.unicodeScalars)
        while i < s.count {
            if s[i] == l[0], i + l.count <= s.count, Array(s[i..<(i + l.count)]) == l {
                i += l.count
                return
            }
            i += 1
        }
        throw XMLSyntaxError(message: "missing '\(literal)'")
    }
    func decode(_ raw: ArraySlice<Unicode.Scalar>) throws -> String {
        var out = String.UnicodeScalarView()
        var k = raw.startIndex
        while k < raw.endIndex {
            let c = raw[k]
            if c != "&" {
                out.append(c)
                k += 1
                continue
            }
            guard let semi = raw[k...].firstIndex(of: ";"), semi - k <= 12 else {
                throw XMLSyntaxError(message: "bad character reference")
            }
            let name = String(String.UnicodeScalarView(raw[(k + 1)..<semi]))
            switch name {
            case "amp": out.append("&")
            case "lt": out.append("<")
            case "gt": out.append(">")
            case "quot": out.append("\"")
            case "apos": out.append("'")
            default:
                var value: UInt32? = nil
                if name.hasPrefix("#x") || name.hasPrefix("#X") { value = UInt32(name.dropFirst(2), radix: 16) }
                else if name.hasPrefix("#") { value = UInt32(name.dropFirst(), radix: 10) }
                guard let v = value, let scalar = Unicode.Scalar(v) else {
                    throw XMLSyntaxError(message: "unknown entity '&\(name);'")
                }
                out.append(scalar)
            }
            k = semi + 1
        }
        return String(out)
    }
    func localName(_ qualified: String) -> String {
        if let colon = qualified.lastIndex(of: ":") { return String(qualified[qualified.index(after: colon)...]) }
        return qualified
    }

    while i < s.count {
        if s[i] == "<" {
            if startsWith("<?") { try skip(past: "?>"); continue }
            if startsWith("<!--") { try skip(past: "-->"); continue }
            if startsWith("<![CDATA[") {
                i += 9
                let start = i
                try skip(past: "]]>")
                guard !stack.isEmpty else { throw XMLSyntaxError(message: "text outside the root element") }
                stack[stack.count - 1].text += String(String.UnicodeScalarView(s[start..<(i - 3)]))
                continue
            }
            if startsWith("<!") { throw XMLSyntaxError(message: "DTDs are not accepted") }
            if startsWith("</") {
                i += 2
                let start = i
                while i < s.count, s[i] != ">" { i += 1 }
                guard i < s.count else { throw XMLSyntaxError(message: "unclosed end tag") }
                let name = String(String.UnicodeScalarView(s[start..<i])).trimmingWhitespace()
                i += 1
                guard let open = stack.popLast(), open.name == localName(name) else {
                    throw XMLSyntaxError(message: "mismatched end tag </\(name)>")
                }
                if stack.isEmpty {
                    guard root == nil else { throw XMLSyntaxError(message: "more than one root element") }
                    root = open
                } else {
                    stack[stack.count - 1].children.append(open)
                }
                continue
            }
            // Start tag.
            i += 1
            let start = i
            var quote: Unicode.Scalar? = nil
            while i < s.count {
                if let q = quote { if s[i] == q { quote = nil } }
                else if s[i] == "\"" || s[i] == "'" { quote = s[i] }
                else if s[i] == ">" { break }
                i += 1
            }
            guard i < s.count else { throw XMLSyntaxError(message: "unclosed start tag") }
            var inner = String(String.UnicodeScalarView(s[start..<i]))
            i += 1
            let selfClosing = inner.hasSuffix("/")
            if selfClosing { inner.removeLast() }
            let name = String(inner.prefix { !$0.isWhitespace })
            guard !name.isEmpty else { throw XMLSyntaxError(message: "empty tag name") }
            if root != nil, stack.isEmpty { throw XMLSyntaxError(message: "more than one root element") }
            let element = XMLElement(name: localName(name))
            if selfClosing {
                if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
            } else {
                stack.append(element)
                if stack.count > 64 { throw XMLSyntaxError(message: "nested too deeply") }
            }
        } else {
            let start = i
            while i < s.count, s[i] != "<" { i += 1 }
            let chunk = s[start..<i]
            if stack.isEmpty {
                guard chunk.allSatisfy({ $0.properties.isWhitespace }) else {
                    throw XMLSyntaxError(message: "text outside the root element")
                }
            } else {
                stack[stack.count - 1].text += try decode(chunk)
            }
        }
    }
    guard stack.isEmpty else { throw XMLSyntaxError(message: "unclosed element <\(stack.last!.name)>") }
    guard let root else { throw XMLSyntaxError(message: "no root element") }
    return root
}
