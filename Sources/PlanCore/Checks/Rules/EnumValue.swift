import PlanSyntax

/// `PlanType` is CLOUDFORMATION; `AcceptLanguage` is en, jp or zh.
struct EnumValue: SpecRule {
    static let description = RuleDescription(
        id: "PC2003", name: "enum-value", severity: .error,
        summary: "PlanType is CLOUDFORMATION and AcceptLanguage is en, jp or zh",
        rationale: "PlanType's only value in the model is CLOUDFORMATION. AcceptLanguage is documented as en (the default), jp (Japanese, not ISO 'ja') and zh (Chinese); the AWS CLI sends any other value and the service rejects it.",
        fix: "Use one of the listed values, in exactly that case.",
        source: ServiceModel.apiDoc,
        badExample: Example.spec([:], "AcceptLanguage: ja"),
        goodExample: Example.spec([:], "AcceptLanguage: jp"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        if let t = spec.planType, !ServiceModel.planTypes.contains(t.value) {
            var message = "'PlanType' \(quoted(t.value)) is not a plan type; the only one is 'CLOUDFORMATION'"
            if t.value.uppercased() == "CLOUDFORMATION" { message += " (in capitals)" }
            context.report(message, in: spec, at: t.location)
        }
        if let l = spec.acceptLanguage, !ServiceModel.acceptLanguages.contains(l.value) {
            var message = "'AcceptLanguage' \(quoted(l.value)) is not one of 'en', 'jp', 'zh'"
            switch l.value.lowercased() {
            case "ja", "ja-jp", "jpn": message += " (Japanese is 'jp')"
            case "zh-cn", "zh-tw", "chi", "zho": message += " (Chinese is 'zh')"
            case "en", "jp", "zh": message += " (write it in lowercase)"
            default: break
            }
            context.report(message, in: spec, at: l.location)
        }
    }
}
