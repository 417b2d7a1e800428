public import PlanSyntax

/// Every rule plancc knows, in id order. Syntax and shape problems are reported by the
/// front end and lowering; they are listed here too so `explain` and the docs cover them.
public enum RuleRegistry {
    public static let specRules: [any SpecRule] = [
        FieldLength(), FieldPattern(), EnumValue(), ListLimit(),
        TagReservedPrefix(), TagDuplicateKey(), TagKeyCase(), TagValueReservedPrefix(),
        ParameterDuplicateKey(), ParameterPreviousValueConflict(), ParameterMissingValue(), AmbiguousScalar(),
        NotificationArnDuplicate(), NotificationArnNotSNS(),
    ]

    public static let projectRules: [any ProjectRule] = [DuplicateProvisionedProduct()]

    /// Ids and severities, looked up once rather than per spec.
    private static let specRuleHeads: [(id: String, severity: Diagnostic.Severity)] =
        specRules.map { (type(of: $0).description.id, type(of: $0).description.severity) }

    public static let frontEndRules: [RuleDescription] = FrontEndRules.all

    /// Every rule's description, sorted by id.
    public static var all: [RuleDescription] {
        (frontEndRules + specRules.map { type(of: $0).description } + projectRules.map { type(of: $0).description })
            .sorted { $0.id < $1.id }
    }

    public static func describe(_ idOrName: String) -> RuleDescription? {
        let key = idOrName.uppercased()
        return all.first { $0.id == key || $0.name == idOrName.lowercased() }
    }

    /// Runs every enabled spec rule on one spec.
    public static func check(_ spec: PlanSpec, disabled: Set<String> = [], into diagnostics: inout [Diagnostic]) {
        for (rule, head) in zip(specRules, specRuleHeads) {
            if !disabled.isEmpty && disabled.contains(head.id) { continue }
            var context = RuleContext(ruleID: head.id, severity: head.severity)
            rule.check(spec, &context)
            if !context.diagnostics.isEmpty { diagnostics.append(contentsOf: context.diagnostics) }
        }
    }

    /// Runs every enabled project rule across all specs of a run.
    public static func check(project files: [FileAnalysis], disabled: Set<String> = [], into diagnostics: inout [Diagnostic]) {
        for rule in projectRules {
            let d = type(of: rule).description
            if disabled.contains(d.id) { continue }
            var context = RuleContext(ruleID: d.id, severity: d.severity)
            rule.check(files, &context)
            diagnostics.append(contentsOf: context.diagnostics)
        }
    }
}
