import PlanSyntax

/// IDs, the provisioned product name, the idempotency token, notification ARNs and tags
/// match the service model's patterns in full (anchored; the model's own patterns are not).
struct FieldPattern: SpecRule {
    static let description = RuleDescription(
        id: "PC2002", name: "field-pattern", severity: .error,
        summary: "IDs, ProvisionedProductName, IdempotencyToken, NotificationArns and tags match the service model's patterns in full",
        rationale: "The model's patterns are unanchored, so read literally '^[a-zA-Z0-9_\\-]*' accepts 'bad id!'. plancc applies them anchored, as the documentation presents them: Id ^[a-zA-Z0-9_-]*$; ProvisionedProductName and IdempotencyToken start with a letter or digit, then letters, digits, '_', '-' (and '.' for the name); NotificationArn arn:partition:service:region:account:resource; tag keys and values only Unicode letters, digits, separators and _ . : / = + - @.",
        fix: "Remove or replace the character the message names. IDs are copied from the console or `aws servicecatalog search-products`.",
        source: ServiceModel.apiDoc,
        badExample: Example.spec(["ProductId": "'prod abc'"]),
        goodExample: Example.spec(["ProductId": "prod-abc"]))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        func id(_ field: Located<String>?, _ name: String) {
            guard let field, !field.value.isEmpty, let bad = ServiceModel.idViolation(field.value) else { return }
            context.report("'\(name)' \(quoted(field.value)) contains \(bad.shown); IDs are letters, digits, '_' and '-'", in: spec, at: field.location)
        }
        id(spec.productId, "ProductId")
        id(spec.provisioningArtifactId, "ProvisioningArtifactId")
        id(spec.pathId, "PathId")
        if let name = spec.provisionedProductName, !name.value.isEmpty, let bad = ServiceModel.provisionedProductNameViolation(name.value) {
            let first = name.value.unicodeScalars.first == bad
            context.report("'ProvisionedProductName' \(quoted(name.value)) \(first ? "starts with \(bad.shown); it must start with a letter or digit" : "contains \(bad.shown); allowed are letters, digits, '.', '_' and '-'")", in: spec, at: name.location)
        }
        if let token = spec.idempotencyToken, !token.value.isEmpty, let bad = ServiceModel.tokenViolation(token.value) {
            let first = token.value.unicodeScalars.first == bad
            context.report("'IdempotencyToken' \(quoted(token.value)) \(first ? "starts with \(bad.shown); it must start with a letter or digit" : "contains \(bad.shown); allowed are letters, digits, '_' and '-'")", in: spec, at: token.location)
        }
        // Lists are read in place; an item is copied only to report it.
        if let arns = spec.notificationArns?.items {
            for i in arns.indices where !arns[i].value.isEmpty {
                if let problem = ServiceModel.notificationArnProblem(arns[i].value) {
                    let arn = arns[i]
                    context.report("notification ARN \(quoted(arn.value)) is not an ARN: \(problem)", in: spec, at: arn.location)
                }
            }
        }
        if let tags = spec.tags?.items {
            for i in tags.indices {
                if let bad = ServiceModel.tagViolation(tags[i].key.value) {
                    let tag = tags[i]
                    context.report("tag key \(quoted(tag.key.value)) contains \(bad.shown); tags allow Unicode letters, digits, spaces and _ . : / = + - @", in: spec, at: tag.key.location)
                }
                if let bad = ServiceModel.tagViolation(tags[i].value.value) {
                    let tag = tags[i]
                    context.report("tag \(quoted(tag.key.value)) value \(quoted(tag.value.value)) contains \(bad.shown); tags allow Unicode letters, digits, spaces and _ . : / = + - @", in: spec, at: tag.value.location)
                }
            }
        }
    }
}
