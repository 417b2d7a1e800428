public import PlanSyntax

/// What a rule is, for `plancc explain`, the README's rule table and the example tests.
public struct RuleDescription: Sendable {
    public var id: String
    /// kebab-case, e.g. `tag-reserved-prefix`.
    public var name: String
    public var severity: Diagnostic.Severity
    /// One line: what the rule checks.
    public var summary: String
    /// Why it matters.
    public var rationale: String
    /// How to fix a finding.
    public var fix: String
    /// The AWS documentation or model the rule enforces.
    public var source: String
    /// A spec document the rule reports (`nil` for rules that need several specs or raw bytes).
    public var badExample: String?
    /// A spec document the rule accepts.
    public var goodExample: String?
}

/// A check on one lowered spec. Rules are small value types with a stable id; they report
/// through `context` and never throw.
public protocol SpecRule: Sendable {
    static var description: RuleDescription { get }
    func check(_ spec: PlanSpec, _ context: inout RuleContext)
}

/// A check across every spec of one run (e.g. one plan per provisioned product). It gets
/// the run's files in report order and reads their specs in place.
public protocol ProjectRule: Sendable {
    static var description: RuleDescription { get }
    func check(_ files: [FileAnalysis], _ context: inout RuleContext)
}

/// Collects one rule's findings with its id and severity filled in.
public struct RuleContext: Sendable {
    public let ruleID: String
    public let severity: Diagnostic.Severity
    public var diagnostics: [Diagnostic] = []

    public init(ruleID: String, severity: Diagnostic.Severity) {
        self.ruleID = ruleID
        self.severity = severity
    }

    public mutating func report(_ message: String, file: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(severity, ruleID, message, file: file, at: location))
    }

    public mutating func report(_ message: String, in spec: PlanSpec, at location: SourceLocation) {
        report(message, file: spec.file, at: location)
    }
}
