/// A problem found in the input. Problems are values: they are collected and reported
/// together; only I/O failures are thrown.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning, note

        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    /// Stable rule id, e.g. `PC0001`. See `plancc explain`.
    public var ruleID: String
    /// Lowercase, no trailing period, user values in single quotes.
    public var message: String
    /// The path as the user gave it.
    public var file: String
    public var location: SourceLocation

    public init(_ severity: Severity, _ ruleID: String, _ message: String, file: String, at location: SourceLocation) {
        self.severity = severity
        self.ruleID = ruleID
        self.message = message
        self.file = file
        self.location = location
    }

    /// `path:line:col: severity: message [ID]`, the gcc/clang shape editors and CI read.
    public var rendered: String {
        "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message) [\(ruleID)]"
    }

    /// Orders by file, then position, then rule id, then message: the order users read them in.
    public static func ordered(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file.utf8.lexicographicallyPrecedes(b.file.utf8) }
        if a.location != b.location { return a.location < b.location }
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        return a.message < b.message
    }
}

/// Quotes a user value for a message: single quotes, control characters made visible,
/// long values shortened.
public func quoted(_ s: String, limit: Int = 60) -> String {
    var out = ""
    var n = 0
    for u in s.unicodeScalars {
        if n == limit { out += "…"; break }
        switch u {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 || u.value == 0x7F {
                out += "\\u{\(String(u.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        n += 1
    }
    return "'\(out)'"
}
