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
        guard let arns = spec.notificationArns?.items, arns.count > 1 else { return }
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
        guard let arns = spec.notificationArns?.items else { return }
        for i in arns.indices where !isSNSTopicArn(arns[i].value) {
            let arn = arns[i]
            // An ARN that is not an ARN at all is PC2002's finding, not this rule's.
            if ServiceModel.notificationArnProblem(arn.value) == nil {
                context.report("notification ARN \(quoted(arn.value)) is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)", in: spec, at: arn.location)
            }
        }
    }
}

/// `^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[a-zA-Z0-9_-]+$` (cfn-lint's stricter pattern), on bytes.
func isSNSTopicArn(_ s: String) -> Bool {
    s.withBytes(isSNSTopicArn(bytes:))
}

private let awsBytes: (UInt8, UInt8, UInt8) = (UInt8(ascii: "a"), UInt8(ascii: "w"), UInt8(ascii: "s"))

func isSNSTopicArn(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var field = 0, length = 0
    var prefix: UInt32 = 0 // the first bytes of the current field, for the fixed words
    for b in bytes {
        if b == UInt8(ascii: ":") && field < 5 {
            switch field {
            case 0: if length != 3 || prefix != 0x61726E { return false }          // arn
            case 1: if length < 3 { return false }                                  // aws…
            case 2: if length != 3 || prefix != 0x736E73 { return false }          // sns
            case 3: if length == 0 { return false }
            default: if length != 12 { return false }
            }
            field += 1
            length = 0
            prefix = 0
            continue
        }
        let lower = b >= 97 && b <= 122, digit = b >= 48 && b <= 57, dash = b == UInt8(ascii: "-")
        switch field {
        case 0, 2: if !lower { return false }
        case 1:
            if length < 3 {
                if b != (length == 0 ? awsBytes.0 : length == 1 ? awsBytes.1 : awsBytes.2) { return false }
            } else if !(lower || dash) { return false }
        case 3: if !(lower || digit || dash) { return false }
        case 4: if !digit { return false }
        default: if !(lower || digit || dash || (b >= 65 && b <= 90) || b == UInt8(ascii: "_")) { return false }
        }
        if length < 3 { prefix = prefix << 8 | UInt32(b) }
        length += 1
    }
    return field == 5 && length > 0
}
