/// A JSON value with a canonical byte form: object keys sorted by UTF-16 code units (RFC 8785
/// order), no insignificant whitespace, strings minimally escaped, non-ASCII as UTF-8.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        a.canonicalBytes == b.canonicalBytes
    }

    /// The canonical bytes (no trailing newline).
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(into: &out)
        return out
    }

    public var canonicalString: String { String(decoding: canonicalBytes, as: UTF8.self) }

    public func write(into out: inout [UInt8]) {
        switch self {
        case .string(let s): writeJSONString(s, into: &out)
        case .bool(let b): out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var inOrder = true
            for i in members.indices.dropFirst() where !utf16Less(members[i - 1].0, members[i].0) {
                inOrder = false
                break
            }
            for (i, (key, value)) in (inOrder ? members : members.sorted(by: { utf16Less($0.0, $1.0) })).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeJSONString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// RFC 8785 sorts by UTF-16 code units.
public func utf16Less(_ a: String, _ b: String) -> Bool {
    // For ASCII (every member name, most keys) UTF-8 order is UTF-16 order, and cheaper.
    let ascii: Bool? = a.withBytes { x in
        b.withBytes { y in
            let n = min(x.count, y.count)
            for i in 0..<n {
                let p = x[i], q = y[i]
                if p >= 0x80 || q >= 0x80 { return nil }
                if p != q { return p < q }
            }
            // Equal up to the shorter length: decide on the rest only if it is ASCII too.
            for i in n..<x.count where x[i] >= 0x80 { return nil }
            for i in n..<y.count where y[i] >= 0x80 { return nil }
            return x.count < y.count
        }
    }
    if let ascii { return ascii }
    return a.utf16.lexicographicallyPrecedes(b.utf16)
}

private let hex: [UInt8] = Array("0123456789abcdef".utf8)

/// Minimal escaping (RFC 8785 / ECMAScript JSON.stringify): `"` and `\`, the short forms
/// \b \t \n \f \r, other controls as \u00xx; everything else as UTF-8.
public func writeJSONString(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    s.withBytes { bytes in
        // Most strings need no escape at all: copy them in one go.
        var start = 0
        for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
            start = i + 1
            out.append(UInt8(ascii: "\\"))
            switch b {
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
            default:
                out.append(contentsOf: "u00".utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }
    out.append(UInt8(ascii: "\""))
}
