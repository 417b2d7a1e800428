/// The members of `CreateProvisionedProductPlanInput` (botocore 1.43.11 service model), the
/// single table that lowering, the JSON Schema test and the docs agree on.
public enum RequestMember: String, CaseIterable, Sendable {
    case acceptLanguage = "AcceptLanguage"
    case idempotencyToken = "IdempotencyToken"
    case notificationArns = "NotificationArns"
    case pathId = "PathId"
    case planName = "PlanName"
    case planType = "PlanType"
    case productId = "ProductId"
    case provisionedProductName = "ProvisionedProductName"
    case provisioningArtifactId = "ProvisioningArtifactId"
    case provisioningParameters = "ProvisioningParameters"
    case tags = "Tags"

    /// Required in a spec. `IdempotencyToken` is required by the API but derived when absent.
    public var isRequired: Bool {
        switch self {
        case .planName, .planType, .productId, .provisioningArtifactId, .provisionedProductName: return true
        default: return false
        }
    }

    public static let required: [RequestMember] = allCases.filter(\.isRequired)

    /// The member a key names, if any: `init(rawValue:)` without its chain of string compares.
    public static func named(_ name: String) -> RequestMember? {
        let n = name.utf8.count
        guard n < byLength.count else { return nil }
        for member in byLength[n] where member.rawValue == name { return member }
        return nil
    }

    /// The members grouped by the length of their names.
    private static let byLength: [[RequestMember]] = {
        var table = [[RequestMember]](repeating: [], count: allCases.map(\.rawValue.utf8.count).max()! + 1)
        for m in allCases { table[m.rawValue.utf8.count].append(m) }
        return table
    }()
}

/// Members of a `Tag` and of an `UpdateProvisioningParameter` in the API's list form.
public enum TagMember: String, CaseIterable, Sendable { case key = "Key", value = "Value" }
public enum ParameterMember: String, CaseIterable, Sendable {
    case key = "Key", value = "Value", usePreviousValue = "UsePreviousValue"
}
