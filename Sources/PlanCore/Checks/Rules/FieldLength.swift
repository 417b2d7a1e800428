import PlanSyntax

/// Every string member is within the service model's length bounds, counted in Unicode
/// scalars (Smithy `@length`), including tag keys and values, parameter keys and values and
/// notification ARNs. PlanName has no bounds in the model; plancc requires it non-empty.
struct FieldLength: SpecRule {
    static let description = RuleDescription(
        id: "PC2001", name: "field-length", severity: .error,
        summary: "every string member is within the service model's length limits, counted in Unicode characters",
        rationale: "The AWS CLI checks only minimum lengths, so an over-long value fails only at the service (InvalidParametersException) after the pipeline has started. Smithy counts Unicode scalar values, not bytes or UTF-16 units. Limits: ProductId, ProvisioningArtifactId, PathId 1-100; ProvisionedProductName 1-128; IdempotencyToken 1-128; AcceptLanguage up to 100; NotificationArns items 1-1224; parameter Key 1-1000 and Value up to 4096; tag Key 1-128 and Value 1-256 (Service Catalog tag values cannot be empty, unlike most AWS tags); PlanName non-empty (a plancc convention: the model sets no bound).",
        fix: "Shorten the value, or fill in the empty one.",
        source: ServiceModel.apiDoc,
        badExample: Example.spec([:], "Tags:\n  team: ''"),
        goodExample: Example.spec([:], "Tags:\n  team: web"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        /// `label` names the value in the message, e.g. "'PathId'" or "the value of tag 'team'".
        func bound(_ field: Located<String>?, _ label: @autoclosure () -> String, _ range: ClosedRange<Int>) {
            guard let field, !fits(field.value, range) else { return }
            // Count only as far as the limit; the exact length is needed only for the message.
            var n = field.value.scalarCount(upTo: range.upperBound)
            if n > range.upperBound { n = field.value.scalarCount }
            if n == 0 && range.lowerBound > 0 {
                context.report("\(label()) must not be empty", in: spec, at: field.location)
            } else if !range.contains(n) {
                let allowed = range.lowerBound == 0 ? "at most \(range.upperBound)" : "\(range.lowerBound) to \(range.upperBound)"
                context.report("\(label()) is \(n) characters long; the service allows \(allowed)", in: spec, at: field.location)
            }
        }
        bound(spec.planName, "'PlanName'", 1...Int.max)
        bound(spec.productId, "'ProductId'", ServiceModel.idLength)
        bound(spec.provisioningArtifactId, "'ProvisioningArtifactId'", ServiceModel.idLength)
        bound(spec.pathId, "'PathId'", ServiceModel.idLength)
        bound(spec.provisionedProductName, "'ProvisionedProductName'", ServiceModel.provisionedProductNameLength)
        bound(spec.idempotencyToken, "'IdempotencyToken'", ServiceModel.tokenLength)
        bound(spec.acceptLanguage, "'AcceptLanguage'", ServiceModel.acceptLanguageLength)
        // The lists are read in place, and a value that fits is passed over before any
        // message closure is made.
        if let arns = spec.notificationArns?.items {
            for i in arns.indices where !fits(arns[i].value, ServiceModel.notificationArnLength) {
                bound(arns[i], "a notification ARN", ServiceModel.notificationArnLength)
            }
        }
        if let params = spec.provisioningParameters?.items {
            for i in params.indices {
                if !fits(params[i].key.value, ServiceModel.parameterKeyLength) {
                    let p = params[i]
                    bound(p.key, p.key.value.isEmpty ? "a parameter key" : "parameter key \(quoted(p.key.value))", ServiceModel.parameterKeyLength)
                }
                if let value = params[i].value, !fits(value.value, ServiceModel.parameterValueLength) {
                    let p = params[i]
                    bound(value, "the value of parameter \(quoted(p.key.value))", ServiceModel.parameterValueLength)
                }
            }
        }
        if let tags = spec.tags?.items {
            for i in tags.indices {
                if !fits(tags[i].key.value, ServiceModel.tagKeyLength) {
                    let t = tags[i]
                    bound(t.key, t.key.value.isEmpty ? "a tag key" : "tag key \(quoted(t.key.value))", ServiceModel.tagKeyLength)
                }
                if tags[i].value.value.isEmpty {
                    let t = tags[i]
                    context.report("tag \(quoted(t.key.value)) has an empty value; Service Catalog requires 1 to 256 characters", in: spec, at: t.value.location)
                } else if !fits(tags[i].value.value, ServiceModel.tagValueLength) {
                    let t = tags[i]
                    bound(t.value, "the value of tag \(quoted(t.key.value))", ServiceModel.tagValueLength)
                }
            }
        }
    }
}

/// Within `range` for certain without counting: non-empty, no more bytes than the upper
/// bound (a string never has more scalars than bytes), and a lower bound of at most 1.
@inline(__always)
private func fits(_ s: String, _ range: ClosedRange<Int>) -> Bool {
    let bytes = s.utf8.count
    return bytes > 0 && bytes <= range.upperBound && range.lowerBound <= 1
}
