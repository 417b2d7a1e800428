import PlanSyntax

/// Each provisioning parameter key appears once.
struct ParameterDuplicateKey: SpecRule {
    static let description = RuleDescription(
        id: "PC4001", name: "parameter-duplicate-key", severity: .error,
        summary: "each provisioning parameter key appears once",
        rationale: "A CloudFormation parameter has one value. Neither the model nor cfn-lint forbids a repeated key in the list form, so which value wins would be up to the service.",
        fix: "Remove one of the entries.",
        source: ServiceModel.parameterDoc,
        badExample: Example.spec([:], "ProvisioningParameters:\n  - {Key: Size, Value: '1'}\n  - {Key: Size, Value: '2'}"),
        goodExample: Example.spec([:], "ProvisioningParameters:\n  - {Key: Size, Value: '1'}"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        guard let params = spec.provisioningParameters?.items, params.count > 1 else { return }
        for (i, j) in duplicates(params.map(\.key.value)) {
            let at = params[j].key.location
            context.report("duplicate parameter key \(quoted(params[i].key.value)) (first at \(at.line):\(at.column))", in: spec, at: params[i].key.location)
        }
    }
}

/// `UsePreviousValue: true` together with a `Value`.
struct ParameterPreviousValueConflict: SpecRule {
    static let description = RuleDescription(
        id: "PC4002", name: "parameter-previous-value-conflict", severity: .error,
        summary: "a parameter with UsePreviousValue: true has no Value",
        rationale: "The model says Value is ignored when UsePreviousValue is true, but the service rejects the combination: \"Cannot specify usePreviousValue as true and non empty value for a parameter\" (boto/boto3#4426).",
        fix: "Remove either the Value or UsePreviousValue.",
        source: "https://github.com/boto/boto3/issues/4426",
        badExample: Example.spec([:], "ProvisioningParameters:\n  Size: {Value: '2', UsePreviousValue: true}"),
        goodExample: Example.spec([:], "ProvisioningParameters:\n  Size: {UsePreviousValue: true}"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        guard let params = spec.provisioningParameters?.items else { return }
        for i in params.indices where params[i].usePreviousValue?.value == true && params[i].value != nil {
            let p = params[i]
            if let value = p.value {
                context.report("parameter \(quoted(p.key.value)) has both UsePreviousValue: true and a Value; the service rejects that", in: spec, at: value.location)
            }
        }
    }
}

/// A parameter with neither Value nor UsePreviousValue.
struct ParameterMissingValue: SpecRule {
    static let description = RuleDescription(
        id: "PC4003", name: "parameter-missing-value", severity: .warning,
        summary: "a parameter has a Value or UsePreviousValue: true",
        rationale: "A Key alone sends no value: the template's default applies on a new product and the previous value on an update, which is rarely what the author meant to write down.",
        fix: "Add 'Value' (write '' for an empty value) or 'UsePreviousValue: true', or remove the entry.",
        source: ServiceModel.parameterDoc,
        badExample: Example.spec([:], "ProvisioningParameters:\n  - Key: Size"),
        goodExample: Example.spec([:], "ProvisioningParameters:\n  - {Key: Size, Value: '2'}"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        guard let params = spec.provisioningParameters?.items else { return }
        for i in params.indices where params[i].value == nil && params[i].usePreviousValue?.value != true {
            let p = params[i]
            context.report("parameter \(quoted(p.key.value)) has neither a Value nor UsePreviousValue: true", in: spec, at: p.key.location)
        }
    }
}
