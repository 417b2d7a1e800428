import PlanSyntax

/// At most 50 tags and at most 5 notification ARNs.
struct ListLimit: SpecRule {
    static let description = RuleDescription(
        id: "PC2004", name: "list-limit", severity: .error,
        summary: "Tags has at most 50 items and NotificationArns at most 5",
        rationale: "These are the model's list limits. The AWS CLI does not check them (it sent 51 tags and 6 ARNs in our tests); the service rejects the request.",
        fix: "Remove tags (tags set by TagOptions count too) or notification topics.",
        source: ServiceModel.apiDoc,
        badExample: Example.spec([:], "NotificationArns:\n" + (1...6).map { "  - arn:aws:sns:us-east-1:123456789012:t\($0)" }.joined(separator: "\n")),
        goodExample: Example.spec([:], "NotificationArns:\n  - arn:aws:sns:us-east-1:123456789012:t1"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        if let tags = spec.tags, tags.items.count > ServiceModel.maxTags {
            context.report("'Tags' has \(tags.items.count) tags; the service allows at most \(ServiceModel.maxTags)", in: spec, at: tags.location)
        }
        if let arns = spec.notificationArns, arns.items.count > ServiceModel.maxNotificationArns {
            context.report("'NotificationArns' has \(arns.items.count) ARNs; the service allows at most \(ServiceModel.maxNotificationArns)", in: spec, at: arns.location)
        }
    }
}
