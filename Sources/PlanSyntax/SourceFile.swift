/// The text of a source file, for drawing snippets under diagnostics.
public struct SourceText: Sendable {
    public let bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The given 1-based line, without its line break, or nil if the file is shorter.
    public func line(_ number: Int) -> String? {
        var current = 1
        var start = 0
        var i = 0
        // Skip a UTF-8 BOM.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3; i = 3 }
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == 0x0A {
                if current == number {
                    var end = i
                    if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                    return String(decoding: bytes[start..<end], as: UTF8.self)
                }
                current += 1
                start = i + 1
            }
            i += 1
        }
        return nil
    }

    /// The source line and a caret under the column, as compilers print them.
    public func snippet(at location: SourceLocation) -> String? {
        guard let text = line(location.line) else { return nil }
        var pad = ""
        var n = 1
        for u in text.unicodeScalars {
            if n >= location.column { break }
            pad.unicodeScalars.append(u == "\t" ? "\t" : " ")
            n += 1
        }
        return "\(text)\n\(pad)^"
    }
}
