import ArgumentParser
import PlanCore
import PlanSyntax

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a rule: what it checks, why, and how to fix a finding. Without an id, list the rules."
    )

    @Argument(help: "A rule id (PC2001) or name (field-length).")
    var rule: String?

    @Flag(help: "List the rules as a Markdown table (the README's rule table is this output).")
    var markdown = false

    func run() throws {
        var out = Output(fd: 1)
        defer { out.flush() }
        if markdown {
            out.write(markdownTable())
            return
        }
        guard let rule else {
            for d in RuleRegistry.all {
                out.line("\(d.id)  \(d.severity.rawValue.padding(7))  \(d.name.padding(34))  \(d.summary)")
            }
            return
        }
        guard let d = RuleRegistry.describe(rule) else {
            out.flush()
            printError("unknown rule '\(rule)'; `plancc explain` lists the rules")
            throw ExitWith(code: Exit.usage)
        }
        out.write(explanation(d))
    }
}

func explanation(_ d: RuleDescription) -> String {
    var s = "\(d.id) \(d.name) (\(d.severity.rawValue))\n\n"
    s += "Checks: \(d.summary).\n\n"
    s += "Why: \(d.rationale)\n\n"
    s += "Fix: \(d.fix)\n\n"
    s += "Source: \(d.source)\n"
    if let bad = d.badExample {
        s += "\nReported:\n" + indented(bad)
    }
    if let good = d.goodExample {
        s += "\nAccepted:\n" + indented(good)
    }
    return s
}

func markdownTable() -> String {
    var s = "| id | name | severity | checks |\n|---|---|---|---|\n"
    for d in RuleRegistry.all {
        s += "| \(d.id) | `\(d.name)` | \(d.severity.rawValue) | \(d.summary.replacingOccurrences(of: "|", with: "\\|")) |\n"
    }
    return s
}

private func indented(_ example: String) -> String {
    example.split(separator: "\n").map { "    " + $0 + "\n" }.joined()
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
