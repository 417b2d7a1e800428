/// The limits of `CreateProvisionedProductPlan` in the service model (botocore 1.43.11,
/// `servicecatalog/2015-12-10/service-2.json`). Lengths count Unicode scalars, as Smithy's
/// `@length` does. Patterns are applied anchored: the whole value must match.
enum ServiceModel {
    static let apiDoc = "https://docs.aws.amazon.com/servicecatalog/latest/dg/API_CreateProvisionedProductPlan.html"
    static let tagDoc = "https://docs.aws.amazon.com/servicecatalog/latest/dg/API_Tag.html"
    static let parameterDoc = "https://docs.aws.amazon.com/servicecatalog/latest/dg/API_UpdateProvisioningParameter.html"

    static let idLength = 1...100
    static let provisionedProductNameLength = 1...128
    static let tokenLength = 1...128
    static let acceptLanguageLength = 0...100
    static let notificationArnLength = 1...1224
    static let parameterKeyLength = 1...1000
    static let parameterValueLength = 0...4096
    static let tagKeyLength = 1...128
    static let tagValueLength = 1...256
    static let maxTags = 50
    static let maxNotificationArns = 5

    static let planTypes = ["CLOUDFORMATION"]
    static let acceptLanguages = ["en", "jp", "zh"]

    /// `Id`: `^[a-zA-Z0-9_\-]*`. Returns the first character that does not fit, if any.
    static func idViolation(_ s: String) -> Unicode.Scalar? {
        if s.allBytes(isIDByte) { return nil }
        return s.unicodeScalars.first { !($0.isASCIIAlnum || $0 == "_" || $0 == "-") }
    }

    /// `ProvisionedProductName`: `[a-zA-Z0-9][a-zA-Z0-9._-]*`.
    static func provisionedProductNameViolation(_ s: String) -> Unicode.Scalar? {
        if s.leadingAlnumThen({ isIDByte($0) || $0 == UInt8(ascii: ".") }) { return nil }
        guard let first = s.unicodeScalars.first else { return nil }
        if !first.isASCIIAlnum { return first }
        return s.unicodeScalars.dropFirst().first { !($0.isASCIIAlnum || $0 == "." || $0 == "_" || $0 == "-") }
    }

    /// `IdempotencyToken`: `[a-zA-Z0-9][a-zA-Z0-9_-]*`.
    static func tokenViolation(_ s: String) -> Unicode.Scalar? {
        if s.leadingAlnumThen(isIDByte) { return nil }
        guard let first = s.unicodeScalars.first else { return nil }
        if !first.isASCIIAlnum { return first }
        return s.unicodeScalars.dropFirst().first { !($0.isASCIIAlnum || $0 == "_" || $0 == "-") }
    }

    @inline(__always) static func isASCIIAlnumByte(_ b: UInt8) -> Bool {
        (b &- 97 < 26) || (b &- 65 < 26) || (b &- 48 < 10)
    }

    @inline(__always) static func isIDByte(_ b: UInt8) -> Bool {
        isASCIIAlnumByte(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    /// Tag keys and values: `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`.
    static func tagViolation(_ s: String) -> Unicode.Scalar? {
        // Almost every tag is ASCII letters, digits and punctuation: decide on the bytes.
        if s.allBytes(isTagByte) { return nil }
        return s.unicodeScalars.first { !isTagScalar($0) }
    }

    /// An ASCII byte allowed in tags (non-ASCII bytes answer false; the caller falls back).
    @inline(__always) static func isTagByte(_ b: UInt8) -> Bool {
        if isASCIIAlnumByte(b) { return true }
        switch b {
        case UInt8(ascii: " "), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"),
             UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"):
            return true
        default:
            return false
        }
    }

    static func isTagScalar(_ u: Unicode.Scalar) -> Bool {
        if u.isASCII {
            return u.isASCIIAlnum || u == " " || "_.:/=+-@".unicodeScalars.contains(u)
        }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .spaceSeparator, .lineSeparator, .paragraphSeparator,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// `NotificationArn`:
    /// `arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}`,
    /// anchored. Returns why it does not match, if it does not.
    static func notificationArnProblem(_ s: String) -> String? {
        s.withBytes { notificationArnProblem(bytes: $0) }
    }

    static func notificationArnProblem(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var u = bytes.makeIterator()
        guard u.next() == UInt8(ascii: "a"), u.next() == UInt8(ascii: "r"), u.next() == UInt8(ascii: "n"),
              u.next() == UInt8(ascii: ":") else {
            return "must start with 'arn:'"
        }
        let names = ["partition", "service", "region", "account"]
        for (n, name) in names.enumerated() {
            var length = 0
            while true {
                guard let c = u.next() else {
                    return "must have six ':'-separated fields (arn:partition:service:region:account:resource)"
                }
                if c == UInt8(ascii: ":") { break }
                guard (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") else {
                    return "its \(name) field may hold only lowercase letters, digits, '-' and '.'"
                }
                length += 1
            }
            if n == 0 && length < 1 { return "its partition field is empty" }
            if length > 63 { return "its \(name) field is longer than 63 characters" }
        }
        guard let first = u.next() else { return "its resource field is empty" }
        if first == UInt8(ascii: "/") { return "its resource field must not start with '/'" }
        // `.` in the model's (Java) pattern matches anything but a line break.
        var scalars = first & 0xC0 != 0x80 ? 1 : 0
        var previous: (UInt8, UInt8) = (0, first)
        var byte: UInt8? = first
        while let b = byte {
            if b == 0x0A || b == 0x0D { return "it contains a line break" }
            if previous.1 == 0xC2 && b == 0x85 { return "it contains a line break" }
            if previous.0 == 0xE2 && previous.1 == 0x80 && (b == 0xA8 || b == 0xA9) { return "it contains a line break" }
            previous = (previous.1, b)
            byte = u.next()
            if let next = byte, next & 0xC0 != 0x80 { scalars += 1 }
        }
        if scalars > 1024 { return "its resource field is longer than 1024 characters" }
        return nil
    }
}

extension Unicode.Scalar {
    var isASCIIAlnum: Bool {
        (self >= "a" && self <= "z") || (self >= "A" && self <= "Z") || (self >= "0" && self <= "9")
    }

    /// How to show a character in a message: printable ones as themselves, others by code point.
    var shown: String {
        if self == " " { return "a space" }
        if self == "\t" { return "a tab" }
        if value < 0x20 || value == 0x7F || properties.generalCategory == .spaceSeparator
            || properties.generalCategory == .format || properties.generalCategory == .control {
            return "U+" + String(value, radix: 16, uppercase: true).leftPadded(4)
        }
        return "'\(self)'"
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
    var scalarCount: Int { unicodeScalars.count }

    /// The number of Unicode scalars, counted from the UTF-8 bytes (each scalar has exactly
    /// one non-continuation byte); stops early once past `limit` since only "more" matters.
    func scalarCount(upTo limit: Int) -> Int {
        withBytes { b in
            var n = 0
            for x in b where x & 0xC0 != 0x80 {
                n += 1
                if n > limit { break }
            }
            return n
        }
    }

    /// Runs `body` on the string's UTF-8 bytes, in place for native strings.
    @inline(__always) func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(utf8).withUnsafeBufferPointer(body)
    }

    /// True when every byte is ASCII and passes `test` (an empty string passes).
    @inline(__always) func allBytes(_ test: (UInt8) -> Bool) -> Bool {
        withBytes { b in
            for x in b where !test(x) { return false }
            return true
        }
    }

    /// True when the first byte is an ASCII letter or digit and every later one passes `test`.
    @inline(__always) func leadingAlnumThen(_ test: (UInt8) -> Bool) -> Bool {
        withBytes { b in
            guard let first = b.first, ServiceModel.isASCIIAlnumByte(first) else { return false }
            for x in b.dropFirst() where !test(x) { return false }
            return true
        }
    }
}
