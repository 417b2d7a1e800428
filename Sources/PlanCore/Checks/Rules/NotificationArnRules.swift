import PlanSyntax

/// Each notification ARN appears once.
struct NotificationArnDuplicate: SpecRule {
    static let description = RuleDescription(
        id: "PC5001", name: "notification-arn-duplicate", severity: .error,
        summary: "each notification ARN appears once",
        rationale: "CloudFormation requires unique notification ARNs (uniqueItems), and a duplicate uses up one of the five allowed.",
        fix: "Remove the repeated ARN.",
        source: ServiceModel.apiDoc,
        badExample: Example.spec([:], "NotificationArns:\n  - arn:aws:sns:us-east-1:123456789012:deploys\n  - arn:aws:sns:us-east-1:123456789012:deploys"),
        goodExample: Example.spec([:], "NotificationArns:\n  - arn:aws:sns:us-east-1:123456789012:deploys"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        var first: [String: SourceLocation] = [:]
        for arn in spec.notificationArns?.items ?? [] {
            if let at = first[arn.value] {
                context.report("duplicate notification ARN \(quoted(arn.value)) (first at \(at.line):\(at.column))", in: spec, at: arn.location)
            } else {
                first[arn.value] = arn.location
            }
        }
    }
}

/// Notification ARNs are SNS topic ARNs.
struct NotificationArnNotSNS: SpecRule {
    static let description = RuleDescription(
        id: "PC5002", name: "notification-arn-not-sns", severity: .warning,
        summary: "notification ARNs name SNS topics (arn:PARTITION:sns:REGION:ACCOUNT:TOPIC)",
        rationale: "Stack events are published to SNS topics; the model accepts any ARN, but anything else fails when the stack is created. cfn-lint applies the same stricter pattern.",
        fix: "Use the ARN of an SNS topic, e.g. arn:aws:sns:us-east-1:123456789012:deploys.",
        source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-servicecatalog-cloudformationprovisionedproduct.html",
        badExample: Example.spec([:], "NotificationArns:\n  - arn:aws:sqs:us-east-1:123456789012:deploys"),
        goodExample: Example.spec([:], "NotificationArns:\n  - arn:aws:sns:us-east-1:123456789012:deploys"))

    func check(_ spec: PlanSpec, _ context: inout RuleContext) {
        for arn in spec.notificationArns?.items ?? [] {
            guard ServiceModel.notificationArnProblem(arn.value) == nil else { continue } // PC2002 reports it
            let parts = arn.value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            let ok = parts.count == 6 && parts[1].hasPrefix("aws") && parts[2] == "sns" && !parts[3].isEmpty
                && parts[4].count == 12 && parts[4].allSatisfy(\.isNumber)
                && !parts[5].isEmpty && parts[5].unicodeScalars.allSatisfy { $0.isASCIIAlnum || $0 == "-" || $0 == "_" }
            if !ok {
                context.report("notification ARN \(quoted(arn.value)) is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)", in: spec, at: arn.location)
            }
        }
    }
}
