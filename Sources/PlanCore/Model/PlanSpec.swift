public import PlanSyntax

/// One spec document, lowered: the `CreateProvisionedProductPlan` input as the user wrote
/// it, every value with its location. Optional members are nil when absent; required ones
/// are nil only when lowering reported them missing (then the spec has errors and is never
/// emitted).
public struct PlanSpec: Sendable {
    public var file: String
    /// 0-based index of the document in its file.
    public var documentIndex: Int
    /// Where the document's mapping starts.
    public var location: SourceLocation

    public var acceptLanguage: Located<String>?
    public var idempotencyToken: Located<String>?
    public var notificationArns: LocatedList<Located<String>>?
    public var pathId: Located<String>?
    public var planName: Located<String>?
    public var planType: Located<String>?
    public var productId: Located<String>?
    public var provisionedProductName: Located<String>?
    public var provisioningArtifactId: Located<String>?
    public var provisioningParameters: LocatedList<ProvisioningParameter>?
    public var tags: LocatedList<Tag>?

    public init(file: String, documentIndex: Int, location: SourceLocation) {
        self.file = file
        self.documentIndex = documentIndex
        self.location = location
    }
}

/// A `Tag`: both members are required by the model; lowering reports a missing one.
public struct Tag: Sendable {
    public var key: Located<String>
    public var value: Located<String>
    public var location: SourceLocation
    /// The value was an unquoted (plain) scalar, which other YAML tools may re-type.
    public var valueIsPlain: Bool
    public init(key: Located<String>, value: Located<String>, at location: SourceLocation, valueIsPlain: Bool = false) {
        self.key = key
        self.value = value
        self.location = location
        self.valueIsPlain = valueIsPlain
    }
}

/// An `UpdateProvisioningParameter`.
public struct ProvisioningParameter: Sendable {
    public var key: Located<String>
    public var value: Located<String>?
    public var usePreviousValue: Located<Bool>?
    public var location: SourceLocation
    /// The value was an unquoted (plain) scalar, which other YAML tools may re-type.
    public var valueIsPlain: Bool
    public init(key: Located<String>, value: Located<String>?, usePreviousValue: Located<Bool>?, at location: SourceLocation, valueIsPlain: Bool = false) {
        self.key = key
        self.value = value
        self.usePreviousValue = usePreviousValue
        self.location = location
        self.valueIsPlain = valueIsPlain
    }
}
