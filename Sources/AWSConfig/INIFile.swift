/// The INI dialect of the AWS shared config and credentials files, read the way botocore reads
/// it (Python's `configparser.RawConfigParser` plus botocore's nested sub-sections):
///
/// * `[section]` headers; `key = value` or `key: value` (the first `=` or `:` splits); keys are
///   lower-cased, keys and values trimmed;
/// * whole-line comments start with `#` or `;` (after optional indentation); there are no
///   inline comments (`region = us-east-1 # x` keeps the `# x`);
/// * a line indented deeper than its key continues the value; a value that starts on the next
///   line (`s3 =` then indented `key = value` lines) is a nested sub-section;
/// * a `[DEFAULT]` section supplies defaults to every section;
/// * a duplicate section or a duplicate key within a section, a key before any section, or a
///   line that is neither is an error with its line number.
public enum INIValue: Sendable, Equatable {
    case text(String)
    case nested([String: String])

    public var text: String? {
        if case .text(let t) = self { return t }
        return nil
    }
    public var nested: [String: String]? {
        if case .nested(let n) = self { return n }
        return nil
    }
}

public struct INISection: Sendable, Equatable {
    public var name: String
    public var line: Int
    public var values: [String: INIValue]
}

public struct INIFile: Sendable, Equatable {
    /// Sections in file order (without `[DEFAULT]`, whose values are merged into each).
    public var sections: [INISection]

    public init(sections: [INISection]) { self.sections = sections }

    public subscript(section name: String) -> INISection? {
        sections.first { $0.name == name }
    }

    /// Parses `text`; `path` is only used in error messages.
    public static func parse(_ text: String, path: String) throws -> INIFile {
        var normalized = text.replacingCRLF()
        if normalized.hasSuffix("\n") { normalized.removeLast() }
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)

        struct Pending {
            var name: String
            var line: Int
            var order: [String] = []
            var values: [String: [String]] = [:]
        }
        var sections: [Pending] = []
        var defaults = Pending(name: "DEFAULT", line: 0)
        var current: Int? = nil       // index into sections, or -1 for DEFAULT
        var option: String? = nil
        var indentLevel = 0
        var seenSections = Set<String>()
        var errors: [(Int, String)] = []

        func append(_ value: String, to key: String) {
            if current == -1 { defaults.values[key, default: []].append(value) }
            else if let c = current { sections[c].values[key, default: []].append(value) }
        }

        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            let stripped = rawLine.trimmingWhitespace()
            let isComment = stripped.hasPrefix("#") || stripped.hasPrefix(";")
            let value = isComment ? "" : stripped
            if value.isEmpty {
                // An empty line inside a value is kept (configparser's empty_lines_in_values),
                // a comment line is not.
                if !isComment, current != nil, let option { append("", to: option) }
                continue
            }
            let indent = rawLine.prefix { $0.isWhitespace }.count
            if current != nil, let option, indent > indentLevel {
                append(value, to: option)
                continue
            }
            indentLevel = indent
            if value.hasPrefix("["), let close = value.lastIndex(of: "]"), value.index(after: value.startIndex) < close {
                let name = String(value[value.index(after: value.startIndex)..<close])
                option = nil
                if name == "DEFAULT" {
                    current = -1
                    continue
                }
                if seenSections.contains(name) {
                    throw AWSConfigError.configSyntax(path: path, line: lineNumber, message: "section [\(name)] appears twice")
                }
                seenSections.insert(name)
                sections.append(Pending(name: name, line: lineNumber))
                current = sections.count - 1
                continue
            }
            guard current != nil else {
                throw AWSConfigError.configSyntax(
                    path: path, line: lineNumber, message: "a setting before the first [section] header")
            }
            guard let delimiter = value.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                errors.append((lineNumber, "expected 'key = value' or a [section] header"))
                continue
            }
            let key = value[..<delimiter].trimmingWhitespace().lowercased()
            if key.isEmpty {
                errors.append((lineNumber, "a setting without a name"))
                continue
            }
            let optionValue = value[value.index(after: delimiter)...].trimmingWhitespace()
            let exists: Bool
            if current == -1 { exists = defaults.values[key] != nil } else { exists = sections[current!].values[key] != nil }
            if exists {
                let sectionName = current == -1 ? "DEFAULT" : sections[current!].name
                throw AWSConfigError.configSyntax(
                    path: path, line: lineNumber, message: "'\(key)' appears twice in section [\(sectionName)]")
            }
            if current == -1 {
                defaults.values[key] = [optionValue]
                defaults.order.append(key)
            } else {
                sections[current!].values[key] = [optionValue]
                sections[current!].order.append(key)
            }
            option = key
        }
        if let (line, message) = errors.first {
            throw AWSConfigError.configSyntax(path: path, line: line, message: message)
        }

        func finish(_ parts: [String], line: Int) throws -> INIValue {
            var joined = parts.joined(separator: "\n")
            while let last = joined.last, last.isWhitespace { joined.removeLast() }
            guard joined.hasPrefix("\n") else { return .text(joined) }
            var nested: [String: String] = [:]
            for nestedLine in joined.split(separator: "\n") {
                let trimmed = nestedLine.trimmingWhitespace()
                if trimmed.isEmpty { continue }
                guard let eq = trimmed.firstIndex(of: "=") else {
                    throw AWSConfigError.configSyntax(
                        path: path, line: line, message: "a nested setting in this section has no '='")
                }
                nested[trimmed[..<eq].trimmingWhitespace()] = trimmed[trimmed.index(after: eq)...].trimmingWhitespace()
            }
            return .nested(nested)
        }

        var defaultValues: [String: INIValue] = [:]
        for (key, parts) in defaults.values { defaultValues[key] = try finish(parts, line: 0) }
        var result: [INISection] = []
        for pending in sections {
            var values = defaultValues
            for (key, parts) in pending.values { values[key] = try finish(parts, line: pending.line) }
            result.append(INISection(name: pending.name, line: pending.line, values: values))
        }
        return INIFile(sections: result)
    }
}

extension String {
    /// CRLF and lone CR become LF (Python's universal newlines).
    func replacingCRLF() -> String {
        guard contains("\r") || unicodeScalars.contains("\r") else { return self }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out.append("\n")
                previousCR = true
            } else {
                if !(scalar == "\n" && previousCR) { out.append(scalar) }
                previousCR = false
            }
        }
        return String(out)
    }
}

/// POSIX `shlex.split` (whitespace separation, quotes and backslashes); nil when a quote is
/// not closed.
func shellSplit(_ text: String) -> [String]? {
    var words: [String] = []
    var word = ""
    var inWord = false
    var iterator = Array(text.unicodeScalars).makeIterator()
    var quote: Unicode.Scalar? = nil
    while let c = iterator.next() {
        if let q = quote {
            if c == q {
                quote = nil
            } else if q == "\"", c == "\\" {
                guard let next = iterator.next() else { return nil }
                if next == "\"" || next == "\\" {
                    word.unicodeScalars.append(next)
                } else {
                    word.unicodeScalars.append(c)
                    word.unicodeScalars.append(next)
                }
            } else {
                word.unicodeScalars.append(c)
            }
            continue
        }
        switch c {
        case " ", "\t", "\n", "\r":
            if inWord {
                words.append(word)
                word = ""
                inWord = false
            }
        case "'", "\"":
            quote = c
            inWord = true
        case "\\":
            guard let next = iterator.next() else { return nil }
            word.unicodeScalars.append(next)
            inWord = true
        default:
            word.unicodeScalars.append(c)
            inWord = true
        }
    }
    if quote != nil { return nil }
    if inWord { words.append(word) }
    return words
}

// Descriptions show names and sizes, never values (the files hold secret keys).
extension INIValue: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        switch self {
        case .text(let t): return "<text, \(t.count) characters>"
        case .nested(let n): return "<nested: \(n.keys.sorted().joined(separator: ", "))>"
        }
    }
    public var debugDescription: String { description }
}

extension INISection: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "[\(name)] (line \(line)): \(values.keys.sorted().joined(separator: ", "))" }
    public var debugDescription: String { description }
}

extension INIFile: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "INIFile(\(sections.map { "[\($0.name)]" }.joined(separator: " ")))" }
    public var debugDescription: String { description }
}
