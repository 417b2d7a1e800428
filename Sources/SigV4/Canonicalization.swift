// The string helpers behind the canonical request, each a small pure function that mirrors
// one line of botocore's `SigV4Auth` (botocore/auth.py) or `remove_dot_segments`
// (botocore/utils.py).

extension Array where Element == UInt8 {
    /// Appends a string's UTF-8 bytes with one copy (`append(contentsOf: s.utf8)` goes byte
    /// by byte).
    @inline(__always) public mutating func append(utf8 s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil {
            append(contentsOf: Array(s.utf8))
        }
    }
}

/// ASCII-only lowercasing: header names are tokens, and `Ä` must not become `ä` here.
func asciiLowercased(_ s: String) -> String {
    if !s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return s }
    // Written straight into the new string (header names fit in a small, inline string).
    var source = s
    return source.withUTF8 { bytes in
        String(unsafeUninitializedCapacity: bytes.count) { out in
            for k in 0..<bytes.count {
                let b = bytes[k]
                out[k] = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
            }
            return bytes.count
        }
    }
}

/// Lowercase hexadecimal.
func hexEncoded<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    if let done = bytes.withContiguousStorageIfAvailable({ hexEncoded(buffer: $0) }) { return done }
    return Array(bytes).withUnsafeBufferPointer { hexEncoded(buffer: $0) }
}

func hexEncoded(buffer: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: buffer.count * 2) { out in
        for (k, b) in buffer.enumerated() {
            out[2 * k] = hexDigits[Int(b >> 4)]
            out[2 * k + 1] = hexDigits[Int(b & 0x0F)]
        }
        return buffer.count * 2
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// RFC 3986 unreserved characters: `A-Z a-z 0-9 - _ . ~`.
@inline(__always)
func isUnreserved(_ c: UInt8) -> Bool {
    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
        || c == 0x2D || c == 0x5F || c == 0x2E || c == 0x7E
}

/// Percent-encodes every byte that is not unreserved (and not `/` when `keepSlash`), with
/// uppercase hex digits. Python's `quote(s, safe='/~')` on a UTF-8 string does the same.
func uriEncode<S: Sequence>(_ bytes: S, keepSlash: Bool) -> String where S.Element == UInt8 {
    let table: [UInt8] = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.underestimatedCount)
    for c in bytes {
        if isUnreserved(c) || (keepSlash && c == 0x2F) {
            out.append(c)
        } else {
            out.append(0x25)
            out.append(table[Int(c >> 4)])
            out.append(table[Int(c & 0x0F)])
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Decodes `%XY` escapes; a `%` that does not start a valid escape stays as it is.
/// `+` is left alone (it is not a space in SigV4's view of a query).
func percentDecoded(_ s: Substring) -> [UInt8] {
    let b = Array(s.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(b.count)
    var i = 0
    func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
    while i < b.count {
        if b[i] == 0x25, i + 2 < b.count, let hi = hexValue(b[i + 1]), let lo = hexValue(b[i + 2]) {
            out.append(hi << 4 | lo)
            i += 3
        } else {
            out.append(b[i])
            i += 1
        }
    }
    return out
}

/// botocore's `remove_dot_segments`: drops `.` segments, resolves `..`, merges runs of `/`,
/// keeps a leading `/` and (when anything is left) a trailing `/`. An empty path becomes `/`
/// (`normalize_url_path`).
func normalizedPath(_ path: String) -> String {
    if path.isEmpty { return "/" }
    var output: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
        if segment == "." { continue }
        if segment == ".." {
            if !output.isEmpty { output.removeLast() }
            continue
        }
        output.append(segment)
    }
    let first = path.hasPrefix("/") ? "/" : ""
    let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
    return first + output.joined(separator: "/") + last
}

/// The canonical URI: the normalised path, percent-encoded once more with `/` kept.
func canonicalPath(_ path: String) -> String {
    // Every awsJson request is sent to `/`, which is already canonical.
    if path == "/" { return path }
    return uriEncode(normalizedPath(path).utf8, keepSlash: true)
}

/// The canonical query: every `name=value` pair decoded, then encoded with only unreserved
/// characters left as they are, sorted by encoded name and then encoded value, joined by `&`.
/// A parameter without `=` gets an empty value; empty pieces (`a=1&&b=2`) are skipped.
func canonicalQuery(_ query: String) -> String {
    if query.isEmpty { return "" }
    var pairs: [(name: String, value: String)] = []
    for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
        let name: Substring
        let value: Substring
        if let eq = piece.firstIndex(of: "=") {
            name = piece[piece.startIndex..<eq]
            value = piece[piece.index(after: eq)...]
        } else {
            name = piece
            value = ""
        }
        pairs.append((uriEncode(percentDecoded(name), keepSlash: false), uriEncode(percentDecoded(value), keepSlash: false)))
    }
    pairs.sort { $0.name != $1.name ? utf8Less($0.name, $1.name) : utf8Less($0.value, $1.value) }
    return pairs.map { $0.name + "=" + $0.value }.joined(separator: "&")
}

/// Python's `str.isspace()` set: what `' '.join(value.split())` in botocore splits on.
@inline(__always)
func isPythonWhitespace(_ v: UInt32) -> Bool {
    switch v {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
        return true
    default:
        return false
    }
}

/// Trims the value and collapses every run of whitespace to one space (SigV4's "Trimall",
/// exactly as botocore does it, including tabs, line breaks and Unicode spaces).
func trimAll(_ value: String) -> String {
    // Fast path, the usual case: printable ASCII with no leading, trailing or doubled space
    // is already canonical.
    let clean: Bool = value.utf8.withContiguousStorageIfAvailable { bytes in
        var previousSpace = true // a leading space is not clean
        for b in bytes {
            if b < 0x20 || b >= 0x7F { return false }
            if b == 0x20 {
                if previousSpace { return false }
                previousSpace = true
            } else {
                previousSpace = false
            }
        }
        return !previousSpace
    } ?? false
    if clean { return value }
    if value.isEmpty { return value }
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    for scalar in value.unicodeScalars {
        if isPythonWhitespace(scalar.value) {
            pendingSpace = !out.isEmpty
        } else {
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(scalar)
        }
    }
    return String(out)
}

/// Byte-wise (code point) order, as Python sorts strings.
func utf8Less(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
