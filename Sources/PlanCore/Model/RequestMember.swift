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
}

/// Members of a `Tag` and of an `UpdateProvisioningParameter` in the API's list form.
public enum TagMember: String, CaseIterable, Sendable { case key = "Key", value = "Value" }
public enum ParameterMember: String, CaseIterable, Sendable {
    case key = "Key", value = "Value", usePreviousValue = "UsePreviousValue"
}
