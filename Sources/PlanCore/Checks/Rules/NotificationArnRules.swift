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
        let arns = spec.notificationArns?.items ?? []
        for (i, j) in duplicates(arns.map(\.value)) {
            let at = arns[j].location
            context.report("duplicate notification ARN \(quoted(arns[i].value)) (first at \(at.line):\(at.column))", in: spec, at: arns[i].location)
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
            if !isSNSTopicArn(arn.value) {
                context.report("notification ARN \(quoted(arn.value)) is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)", in: spec, at: arn.location)
            }
        }
    }
}

/// `^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[a-zA-Z0-9_-]+$` (cfn-lint's stricter pattern), on bytes.
func isSNSTopicArn(_ s: String) -> Bool {
    let u = Array(s.utf8)
    var parts: [ArraySlice<UInt8>] = []
    var start = 0
    for (i, b) in u.enumerated() where b == UInt8(ascii: ":") && parts.count < 5 {
        parts.append(u[start..<i])
        start = i + 1
    }
    parts.append(u[start...])
    guard parts.count == 6 else { return false }
    func all(_ p: ArraySlice<UInt8>, _ ok: (UInt8) -> Bool) -> Bool { !p.isEmpty && p.allSatisfy(ok) }
    let lower = { (b: UInt8) in (b >= 97 && b <= 122) }
    let digit = { (b: UInt8) in (b >= 48 && b <= 57) }
    return parts[0].elementsEqual("arn".utf8)
        && parts[1].starts(with: "aws".utf8) && parts[1].allSatisfy { lower($0) || $0 == UInt8(ascii: "-") }
        && parts[2].elementsEqual("sns".utf8)
        && all(parts[3]) { lower($0) || digit($0) || $0 == UInt8(ascii: "-") }
        && parts[4].count == 12 && parts[4].allSatisfy(digit)
        && all(parts[5]) { lower($0) || digit($0) || ($0 >= 65 && $0 <= 90) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
}
