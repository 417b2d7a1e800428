/// A small JSON reader (RFC 8259) for credential documents.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double, text: String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

struct JSONSyntaxError: Error, Equatable {
    var message: String
}

func parseJSON(_ bytes: [UInt8]) throws -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    parser.skipSpace()
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.i == bytes.count else { throw JSONSyntaxError(message: "text after the JSON value") }
    return value
}

private struct JSONParser {
    let bytes: [UInt8]
    var i = 0

    mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 64 else { throw JSONSyntaxError(message: "nested too deeply") }
        guard i < bytes.count else { throw JSONSyntaxError(message: "unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw JSONSyntaxError(message: "expected a member name") }
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw JSONSyntaxError(message: "expected ':'") }
                i += 1
                skipSpace()
                members[key] = try value(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw JSONSyntaxError(message: "unexpected end of input") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw JSONSyntaxError(message: "expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw JSONSyntaxError(message: "unexpected end of input") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw JSONSyntaxError(message: "expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null"); return .null
        default:
            return try number()
        }
    }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else {
            throw JSONSyntaxError(message: "unexpected character")
        }
        i += w.count
    }

    mutating func number() throws -> JSONValue {
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let digitsStart = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        guard i > digitsStart else { throw JSONSyntaxError(message: "unexpected character") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let f = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            guard i > f else { throw JSONSyntaxError(message: "bad number") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let e = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            guard i > e else { throw JSONSyntaxError(message: "bad number") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let value = Double(text) else { throw JSONSyntaxError(message: "bad number") }
        return .number(value, text: text)
    }

    mutating func string() throws -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw JSONSyntaxError(message: "unterminated string") }
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw JSONSyntaxError(message: "control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard i < bytes.count else { throw JSONSyntaxError(message: "unterminated string") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw JSONSyntaxError(message: "unpaired surrogate")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw JSONSyntaxError(message: "unpaired surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw JSONSyntaxError(message: "bad escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw JSONSyntaxError(message: "bad escape")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw JSONSyntaxError(message: "not UTF-8") }
        return s
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw JSONSyntaxError(message: "bad \\u escape")
        }
        i += 4
        return v
    }
}

/// Reads `AccessKeyId`, `SecretAccessKey`, a token member and `Expiration` from a credential
/// document (container, IMDS, credential_process). Problems are described without values.
func credentialsFromJSON(
    _ document: JSONValue, tokenKey: String, requireToken: Bool, requireExpiration: Bool
) -> Result<Credentials, CredentialsFailure> {
    guard case .object = document else { return .failure(.malformedResponse("the JSON document is not an object")) }
    func text(_ key: String, required: Bool) -> Result<String?, CredentialsFailure> {
        switch document[key] {
        case nil, .null?:
            return required ? .failure(.malformedResponse("the JSON document has no \(key)")) : .success(nil)
        case .string(let s)?:
            if s.isEmpty && required { return .failure(.malformedResponse("\(key) is empty")) }
            return .success(s.isEmpty ? nil : s)
        default:
            return .failure(.malformedResponse("\(key) is not a string"))
        }
    }
    do throws(CredentialsFailure) {
        let keyId = try text("AccessKeyId", required: true).get()!
        let secret = try text("SecretAccessKey", required: true).get()!
        let token = try text(tokenKey, required: requireToken).get()
        var expiration: Double? = nil
        if let raw = try text("Expiration", required: requireExpiration).get() {
            guard let parsed = parseTimestamp(raw) else {
                return .failure(.malformedResponse("Expiration '\(raw)' is not an ISO 8601 time"))
            }
            expiration = parsed
        }
        return .success(Credentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: token, expiration: expiration))
    } catch {
        return .failure(error)
    }
}
