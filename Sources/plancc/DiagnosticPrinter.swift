import PlanCore
import PlanSyntax

enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, github
}

/// Renders findings: `text` (gcc/clang shape, with a caret snippet and colour on a terminal),
/// `json` (one object per line) or `github` (workflow commands that become annotations).
struct DiagnosticPrinter {
    var format: OutputFormat
    var snippets: Bool
    var color: Bool

    func render(_ d: Diagnostic, source: SourceText?, into out: inout Output) {
        switch format {
        case .text:
            if color {
                let sev = d.severity == .error ? "\u{1B}[1;31merror:\u{1B}[0m" : d.severity == .warning ? "\u{1B}[1;35mwarning:\u{1B}[0m" : "\u{1B}[1;36mnote:\u{1B}[0m"
                out.line("\u{1B}[1m\(d.file):\(d.location.line):\(d.location.column):\u{1B}[0m \(sev) \(d.message) [\(d.ruleID)]")
            } else {
                out.line(d.rendered)
            }
            if snippets, let snippet = source?.snippet(at: d.location) {
                out.line(color ? snippet.replacingLastLine { "\u{1B}[1;32m\($0)\u{1B}[0m" } : snippet)
            }
        case .json:
            let object: JSONValue = .object([
                ("file", .string(d.file)),
                ("line", .string(String(d.location.line))),
                ("column", .string(String(d.location.column))),
                ("severity", .string(d.severity.rawValue)),
                ("ruleId", .string(d.ruleID)),
                ("message", .string(d.message)),
            ])
            // Line and column as numbers: patch the canonical form (keys stay sorted).
            var text = object.canonicalString
            text = text.replacingOccurrences(of: "\"line\":\"\(d.location.line)\"", with: "\"line\":\(d.location.line)")
            text = text.replacingOccurrences(of: "\"column\":\"\(d.location.column)\"", with: "\"column\":\(d.location.column)")
            out.line(text)
        case .github:
            let command = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            out.line("::\(command) file=\(escapeProperty(d.file)),line=\(d.location.line),col=\(d.location.column),title=\(escapeProperty(d.ruleID))::\(escapeData(d.message))")
        }
    }

    /// GitHub workflow command escaping (@actions/core).
    private func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    private func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }

    func replacingLastLine(_ transform: (String) -> String) -> String {
        guard let nl = lastIndex(of: "\n") else { return transform(self) }
        return String(self[...nl]) + transform(String(self[index(after: nl)...]))
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        let t = Array(target.utf8)
        let u = self.utf8
        guard t.count <= u.count else { return nil }
        var i = u.startIndex
        while i != u.endIndex {
            if u[i] == t[0] {
                var j = i, k = 0
                while k < t.count, j != u.endIndex, u[j] == t[k] { j = u.index(after: j); k += 1 }
                if k == t.count { return i..<j }
            }
            i = u.index(after: i)
        }
        return nil
    }
}

/// Colour when writing to a terminal, unless NO_COLOR is set (no-color.org).
func useColor(fd: Int32) -> Bool {
    if let v = IO.environment("NO_COLOR"), !v.isEmpty { return false }
    if IO.environment("TERM") == "dumb" { return false }
    return IO.isTerminal(fd)
}

func summary(files: Int, specs: Int, errors: Int, warnings: Int) -> String {
    func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
    let found = errors == 0 && warnings == 0 ? "no problems" : "\(plural(errors, "error")), \(plural(warnings, "warning"))"
    return "\(plural(files, "file")), \(plural(specs, "spec")): \(found)"
}
